import { AppError } from "../errors.js";
import { type TimedCue, turnsFromCues } from "./cues.js";
import { parseJsonWithSpans } from "./json-spans.js";
import { transcriptText } from "./parse-text.js";
import type { EpisodeMeta, Turn } from "./types.js";

/**
 * Parser for JSON segments (`.json`, e.g. exported by a speech-to-text tool):
 * an array of `{ "speaker": "Holly", "start": 12.5, "end": 17.25, "text": "…" }`,
 * or an object holding that array as `segments`. Times are seconds from the
 * start of the recording. A turn's offsets point at the `"text"` strings of
 * its first and last segments (inside the quotes, escapes as written).
 */
export function parseJsonTranscript(raw: string, meta: EpisodeMeta, file: string): Turn[] {
  const source = transcriptText(raw, file);
  const { value, spans, lineAt } = parseJsonWithSpans(source, file);
  const list = Array.isArray(value) ? value : isRecord(value) ? value.segments : undefined;
  if (!Array.isArray(list)) {
    throw new AppError(
      "E_TRANSCRIPT_FORMAT",
      `${file}:1: expected an array of segments ({ "speaker", "start", "end", "text" }) or an object with one as "segments".`,
    );
  }
  const items = spans.get(list)?.items ?? [];
  const cues = list.map((segment, i): TimedCue => {
    const line = lineAt(items[i]?.start ?? 0);
    const where = `${file}:${line}: segment ${i + 1}`;
    if (!isRecord(segment)) {
      throw new AppError(
        "E_TRANSCRIPT_FORMAT",
        `${where} is not an object { "speaker", "start", "end", "text" }.`,
      );
    }
    const properties = spans.get(segment)?.properties;
    const speaker = segment.speaker;
    if (typeof speaker !== "string" || speaker.trim() === "") {
      throw new AppError("E_TRANSCRIPT_FORMAT", `${where}: "speaker" is missing or not a name.`);
    }
    const [start, end] = (["start", "end"] as const).map((name) => {
      const seconds = segment[name];
      if (typeof seconds !== "number" || !Number.isFinite(seconds) || seconds < 0) {
        throw new AppError(
          "E_TRANSCRIPT_TIMESTAMP",
          `${file}:${lineAt(properties?.get(name)?.start ?? items[i]?.start ?? 0)}: segment ${i + 1}: "${name}" must be seconds from the start (a number, 0 or more), found ${JSON.stringify(seconds) ?? "nothing"}.`,
        );
      }
      return seconds;
    }) as [number, number];
    const text = segment.text;
    if (typeof text !== "string") {
      throw new AppError("E_TRANSCRIPT_FORMAT", `${where}: "text" is missing or not a string.`);
    }
    const textSpan = properties?.get("text") ?? { start: 0, end: 0 };
    return {
      line,
      start,
      end,
      speaker,
      speakerLine: lineAt(properties?.get("speaker")?.start ?? 0),
      text: text.replace(/\s+/g, " ").trim(),
      textStart: textSpan.start,
      textEnd: textSpan.end,
    };
  });
  return turnsFromCues(cues, meta, file, "segment");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
