import { AppError } from "../errors.js";
import { cuePieces } from "./cue-text.js";
import type { TimedCue } from "./cues.js";
import type { Line } from "./lines.js";
import { parseTimecode, TIMECODE_EXAMPLE, type TimecodeStyle } from "./timecode.js";
import type { EpisodeMeta } from "./types.js";

/** Groups lines into blocks separated by blank lines (captions put one cue in each). */
export function blocks(lines: Line[]): Line[][] {
  const result: Line[][] = [];
  let current: Line[] = [];
  for (const line of lines) {
    if (line.text.trim() === "") {
      if (current.length > 0) result.push(current);
      current = [];
    } else current.push(line);
  }
  if (current.length > 0) result.push(current);
  return result;
}

const TIMING = /^[ \t]*(\S+)[ \t]+-->[ \t]+(\S+)(?:[ \t]+.*)?$/;

function quoted(text: string): string {
  const short = text.trim();
  return `"${short.length > 60 ? `${short.slice(0, 60)}…` : short}"`;
}

/**
 * Reads one caption block into cues: `timing` is its timing line, the lines
 * after it are the text. A bad time names the file, the line and the value.
 */
export function cuesOfBlock(
  timing: Line,
  text: Line[],
  style: TimecodeStyle,
  meta: EpisodeMeta,
  file: string,
): TimedCue[] {
  const format = style === "vtt" ? "a WebVTT" : "an SRT";
  const match = TIMING.exec(timing.text);
  if (!match) {
    throw new AppError(
      "E_TRANSCRIPT_FORMAT",
      `${file}:${timing.number}: expected a cue timing line like "${TIMECODE_EXAMPLE[style].split(" ")[0]} --> …", found ${quoted(timing.text)}.`,
    );
  }
  const times = [match[1] ?? "", match[2] ?? ""].map((value) => {
    const seconds = parseTimecode(value, style);
    if (seconds === undefined) {
      throw new AppError(
        "E_TRANSCRIPT_TIMESTAMP",
        `${file}:${timing.number}: ${quoted(value)} is not ${format} time; write ${TIMECODE_EXAMPLE[style]}.`,
      );
    }
    return seconds;
  });
  const [start, end] = times as [number, number];
  const pieces = cuePieces(text, meta);
  if (pieces.length === 0) {
    const at = timing.start + timing.text.length;
    return [{ line: timing.number, start, end, speaker: null, text: "", textStart: at, textEnd: at }];
  }
  return pieces.map((piece, i) => ({
    line: timing.number,
    start,
    end,
    speaker: piece.speaker,
    speakerLine: piece.line,
    text: piece.text,
    textStart: piece.start,
    textEnd: piece.end,
    sameCue: i > 0,
  }));
}

export function formatError(file: string, line: Line, message: string): AppError {
  return new AppError(
    "E_TRANSCRIPT_FORMAT",
    `${file}:${line.number}: ${message} (found ${quoted(line.text)}).`,
  );
}
