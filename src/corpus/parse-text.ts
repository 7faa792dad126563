import { AppError } from "../errors.js";
import { LABEL_LIKE, NAME } from "./labels.js";
import { type Line, splitLines } from "./lines.js";
import type { EpisodeMeta, Turn } from "./types.js";

/**
 * Parser for the plain `Name: text` transcript format (the bundled episode).
 *
 * A turn starts at a line `Label: …` whose label is one of the episode's speakers
 * and runs over any number of paragraphs until the next label. The page the
 * transcript was copied from adds furniture (site name, "Transcript", links)
 * that is not content, and an "About <guest>" biography before the transcript
 * that becomes a passage of its own, attributed to the episode notes.
 */

const FURNITURE = [
  /^forem$/i,
  /^transcript$/i,
  /^episode source$/i,
  /^watch this episode\b/i,
  /^episode #\d+/i,
];
const NOTES_SPEAKER = { name: "Episode notes", role: "notes" } as const;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

const NAME_ALONE = new RegExp(`^${NAME}$`, "u");

function unknownLabel(file: string, line: Line, label: string, labels: string[]): AppError {
  return new AppError(
    "E_TRANSCRIPT_UNKNOWN_SPEAKER",
    `${file}:${line.number}: "${label}:" looks like a speaker label, but the metadata's speakers are ${labels.join(", ")}. Add "${label}" to the episode's meta.json speakers (or reword the line).`,
  );
}

function isFurniture(line: string, meta: EpisodeMeta): boolean {
  const text = line.trim();
  return FURNITURE.some((re) => re.test(text)) || text === meta.show;
}

/** Rejects input that is not a transcript at all, naming the file and line. */
export function assertTextTranscript(source: string, file: string): void {
  if (source.trim() === "") {
    throw new AppError(
      "E_TRANSCRIPT_EMPTY",
      `${file}: the transcript is empty. Put the episode's text in it.`,
    );
  }
  // Control characters (other than tab and line breaks) or U+FFFD, which Node puts where bytes were not UTF-8.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point here.
  const bad = source.search(/[\u0000-\u0008\u000e-\u001f\ufffd]/);
  if (bad !== -1) {
    const before = source.slice(0, bad);
    const line = before.split("\n").length;
    const column = bad - before.lastIndexOf("\n");
    // Named, since the character is invisible in an editor: one stray control character is enough.
    const code = `U+${(source.codePointAt(bad) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
    throw new AppError(
      "E_TRANSCRIPT_BINARY",
      `${file}:${line}: the file holds binary or non-UTF-8 data (${code} at column ${column}), not a text transcript. Save it as UTF-8 text, without control characters.`,
    );
  }
}

export function parseTextTranscript(source: string, meta: EpisodeMeta, file: string): Turn[] {
  assertTextTranscript(source, file);
  const labels = Object.keys(meta.speakers);
  const alternatives = labels.map(escapeRegExp).join("|");
  // "Holly: text" on one line, or "Jeremy" alone with ": text" on the next.
  const inline = new RegExp(`^(${alternatives})[ \\t]*:[ \\t]*`);
  const alone = new RegExp(`^(${alternatives})[ \\t]*$`);
  const lines = splitLines(source);

  const turns: Turn[] = [];
  let current: { label: string; start: number; end: number; firstLine: number } | null = null;
  let notes: { start: number; end: number } | null = null;
  let inNotes = false;

  const close = () => {
    if (current && current.end > current.start) {
      const speaker = meta.speakers[current.label];
      if (!speaker) throw new Error(`unreachable: unknown label ${current.label}`);
      turns.push({
        index: turns.length,
        label: current.label,
        speaker: { name: speaker.name, role: speaker.role },
        text: source.slice(current.start, current.end),
        start: current.start,
        end: current.end,
        timestamp: null,
      });
    }
    current = null;
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as Line;
    const trimmed = line.text.trim();
    const next = lines[i + 1];
    const inlineMatch = inline.exec(line.text);
    const aloneMatch = alone.exec(line.text);
    if (inlineMatch) {
      close();
      inNotes = false;
      current = {
        label: inlineMatch[1] as string,
        start: line.start + inlineMatch[0].length,
        end: line.start + line.text.trimEnd().length,
        firstLine: line.number,
      };
      continue;
    }
    if (aloneMatch && next && /^\s*:/.test(next.text)) {
      close();
      inNotes = false;
      const lead = /^\s*:[ \t]*/.exec(next.text)?.[0].length ?? 0;
      current = {
        label: aloneMatch[1] as string,
        start: next.start + lead,
        end: next.start + next.text.trimEnd().length,
        firstLine: line.number,
      };
      i += 1;
      continue;
    }
    if (trimmed === "") continue;
    if (isFurniture(line.text, meta)) {
      close();
      inNotes = false;
      continue;
    }
    if (current) {
      // Inside the transcript, an unknown label would silently give its words to the previous speaker.
      const previousBlank = (lines[i - 1]?.text.trim() ?? "") === "";
      const split = next && /^\s*:/.test(next.text) && NAME_ALONE.test(trimmed) ? trimmed : null;
      const unknown = LABEL_LIKE.exec(line.text)?.[1] ?? split;
      if (previousBlank && unknown) {
        throw unknownLabel(file, line, unknown, labels);
      }
      current.end = line.start + line.text.trimEnd().length;
      continue;
    }
    if (turns.length === 0 && /^about\s+\S/i.test(trimmed)) {
      inNotes = true;
      continue;
    }
    if (inNotes) {
      const lead = line.text.length - line.text.trimStart().length;
      notes = notes ?? { start: line.start + lead, end: 0 };
      notes.end = line.start + line.text.trimEnd().length;
    }
    // Anything else before the first label is header text (show name, episode title).
  }
  close();

  if (turns.length === 0) {
    const found = lines.find((line) => !isFurniture(line.text, meta) && LABEL_LIKE.test(line.text));
    if (found) throw unknownLabel(file, found, LABEL_LIKE.exec(found.text)?.[1] ?? "", labels);
    throw new AppError(
      "E_TRANSCRIPT_NO_SPEAKERS",
      `${file}:1: no speaker turns found (expected lines like "${labels[0]}: …"). Is this a transcript?`,
    );
  }

  if (notes) {
    const bio: Turn = {
      index: 0,
      label: "notes",
      speaker: { ...NOTES_SPEAKER },
      text: source.slice(notes.start, notes.end),
      start: notes.start,
      end: notes.end,
      timestamp: null,
    };
    return [bio, ...turns].map((turn, index) => ({ ...turn, index }));
  }
  return turns;
}
