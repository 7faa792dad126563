import { AppError } from "../errors.js";
import { resolveLabel } from "./labels.js";
import { showTime } from "./timecode.js";
import type { EpisodeMeta, Turn, TurnCue } from "./types.js";

/**
 * What every timed format (WebVTT, SRT, JSON segments) reads a cue into; the
 * rules shared by all of them — times in order, known speakers, consecutive
 * cues of one speaker joined into one turn — live here, once.
 */
export interface TimedCue {
  /** 1-based line the cue starts on (its timing line; JSON: the segment's `{`), for error messages. */
  line: number;
  /** Seconds from the start of the recording. */
  start: number;
  end: number;
  /** The speaker as written (label or full name), or null: the previous cue's speaker goes on. */
  speaker: string | null;
  /** Line the speaker is named on, when it differs from `line`. */
  speakerLine?: number;
  /** The words, as plain text (markup removed, whitespace collapsed). */
  text: string;
  /** Offsets of the cue's text in the source file. */
  textStart: number;
  textEnd: number;
  /** A further voice of the same cue (`<v A>…</v><v B>…`): same times, so no order check against it. */
  sameCue?: boolean;
}

function orderError(file: string, cue: TimedCue, what: string, problem: string): AppError {
  return new AppError(
    problem.includes("overlap") ? "E_TRANSCRIPT_CUE_OVERLAP" : "E_TRANSCRIPT_CUE_ORDER",
    `${file}:${cue.line}: the ${what} ${problem}. Fix its times (cues must follow one another in time).`,
  );
}

/** Rejects a cue that ends before it starts, goes back in time, or overlaps the one before. */
function checkOrder(cues: TimedCue[], file: string, what: string): void {
  let previous: TimedCue | undefined;
  for (const cue of cues) {
    if (cue.end < cue.start) {
      throw orderError(
        file,
        cue,
        what,
        `ends (${showTime(cue.end)}) before it starts (${showTime(cue.start)})`,
      );
    }
    if (previous && !cue.sameCue) {
      if (cue.start < previous.start) {
        throw orderError(
          file,
          cue,
          what,
          `starts at ${showTime(cue.start)}, before the one on line ${previous.line} (${showTime(previous.start)}): it goes backwards`,
        );
      }
      if (cue.start < previous.end) {
        throw orderError(
          file,
          cue,
          what,
          `starts at ${showTime(cue.start)}, before the one on line ${previous.line} ends (${showTime(previous.end)}): they overlap`,
        );
      }
    }
    if (!cue.sameCue) previous = cue;
  }
}

function labelOf(cue: TimedCue, meta: EpisodeMeta, file: string, what: string): string {
  const written = cue.speaker ?? "";
  const label = resolveLabel(written, meta);
  if (label) return label;
  const known = Object.entries(meta.speakers)
    .map(([l, s]) => (l === s.name ? l : `${l} (${s.name})`))
    .join(", ");
  throw new AppError(
    "E_TRANSCRIPT_UNKNOWN_SPEAKER",
    `${file}:${cue.speakerLine ?? cue.line}: speaker "${written}" is not one of the metadata's speakers: ${known}. Add "${written}" to the episode's meta.json speakers (or fix the ${what}).`,
  );
}

/** Turns of a timed transcript: consecutive cues of one speaker form one turn, timed by its first cue. */
export function turnsFromCues(cues: TimedCue[], meta: EpisodeMeta, file: string, what: string): Turn[] {
  checkOrder(cues, file, what);
  const turns: Turn[] = [];
  let current = null as { label: string; parts: TimedCue[] } | null;
  const close = () => {
    if (!current) return;
    const { label, parts } = current;
    const speaker = meta.speakers[label];
    if (!speaker) throw new Error(`unreachable: unknown label ${label}`);
    const turnCues: TurnCue[] = [];
    let text = "";
    for (const part of parts) {
      if (text) text += " ";
      turnCues.push({ offset: text.length, time: part.start, start: part.textStart, end: part.textEnd });
      text += part.text;
    }
    const first = parts[0] as TimedCue;
    const last = parts.at(-1) as TimedCue;
    turns.push({
      index: turns.length,
      label,
      speaker: { name: speaker.name, role: speaker.role },
      text,
      start: first.textStart,
      end: last.textEnd,
      timestamp: first.start,
      cues: turnCues,
    });
  };
  let label: string | undefined;
  for (const cue of cues) {
    if (cue.speaker !== null) label = labelOf(cue, meta, file, what);
    if (cue.text === "") continue;
    if (label === undefined) {
      throw new AppError(
        "E_TRANSCRIPT_SPEAKER_MISSING",
        `${file}:${cue.line}: the first ${what} with words names no speaker. Start it with the speaker (${speakerHint(what, meta)}).`,
      );
    }
    if (current?.label === label) current.parts.push(cue);
    else {
      close();
      current = { label, parts: [cue] };
    }
  }
  close();
  if (turns.length === 0) {
    throw new AppError(
      "E_TRANSCRIPT_EMPTY",
      `${file}: holds no ${what}s with words. Put the episode's transcript in it.`,
    );
  }
  return turns;
}

function speakerHint(what: string, meta: EpisodeMeta): string {
  const label = Object.keys(meta.speakers)[0] ?? "Name";
  return what === "segment" ? `"speaker": "${label}"` : `"${label}: …" or <v ${label}>`;
}
