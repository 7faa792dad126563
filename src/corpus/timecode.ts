/**
 * Cue times of the caption formats, in seconds. WebVTT: `mm:ss.ttt` or
 * `hh:mm:ss.ttt` (hours optional, exactly three fraction digits). SRT:
 * `hh:mm:ss,mmm`; a `.` before the milliseconds is accepted too, since many
 * tools write one. Minutes and seconds above 59 are not times.
 */
const VTT = /^(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})$/;
const SRT = /^(\d{1,}):([0-5]\d):([0-5]\d)[,.](\d{1,3})$/;

export type TimecodeStyle = "vtt" | "srt";

/** Seconds for a cue time, or undefined when `text` is not one. */
export function parseTimecode(text: string, style: TimecodeStyle): number | undefined {
  const match = (style === "vtt" ? VTT : SRT).exec(text);
  if (!match) return undefined;
  const [, hours, minutes, seconds, fraction] = match;
  const millis = Number((fraction ?? "0").padEnd(3, "0"));
  return Number(hours ?? 0) * 3600 + Number(minutes) * 60 + Number(seconds) + millis / 1000;
}

/** What a valid time looks like, for error messages. */
export const TIMECODE_EXAMPLE: Record<TimecodeStyle, string> = {
  vtt: "00:01:23.456 (or 01:23.456)",
  srt: "00:01:23,456",
};

/** A time as it would be written in a cue (hh:mm:ss.mmm), for error messages. */
export function showTime(seconds: number): string {
  const millis = Math.round(seconds * 1000);
  const h = Math.floor(millis / 3_600_000);
  const m = Math.floor((millis % 3_600_000) / 60_000);
  const s = Math.floor((millis % 60_000) / 1000);
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  return `${pad(h)}:${pad(m)}:${pad(s)}.${pad(millis % 1000, 3)}`;
}
