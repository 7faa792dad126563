import { AppError } from "../errors.js";
import { LABEL_LIKE, NAME } from "./labels.js";
import { type Line, splitLines } from "./lines.js";
import type { RemovedCharacter } from "./problems.js";
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

/**
 * Characters no text transcript holds: NUL (binary data, UTF-16) and U+FFFD, which Node puts where
 * bytes were not UTF-8. One is enough to refuse the file.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point here.
const NEVER_TEXT = /[\u0000\ufffd]/;
/** Control characters other than NUL, tab and line breaks (U+0009–U+000D): stray in text, common in data. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point here.
const STRAY = /[\u0001-\u0008\u000e-\u001f]/g;
/**
 * A text transcript may hold at most one stray control character per this many characters; the
 * parsers read it without them. Real text holds a few, pasted in with a snippet (`gotime/go-time-87.md`
 * of the Changelog archive: 4 U+001D in 61,527 characters, 0.07 per 1,000). Binary data read as
 * UTF-8 holds far more (about one byte in ten of random data is such a character, and it holds NUL
 * and U+FFFD, refused at once). Under 1,000 characters a single one is too many to tell from data.
 */
export const CHARACTERS_PER_STRAY = 1000;

/** Line, column and code of the characters at `positions` (ascending), in one pass over the text before them. */
function charactersAt(source: string, positions: number[]): RemovedCharacter[] {
  let line = 1;
  let lineStart = 0;
  let scanned = 0;
  return positions.map((at) => {
    for (let i = source.indexOf("\n", scanned); i !== -1 && i < at; i = source.indexOf("\n", i + 1)) {
      line += 1;
      lineStart = i + 1;
    }
    scanned = at;
    // Named, since the character is invisible in an editor.
    const code = `U+${(source.codePointAt(at) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
    return { line, column: at - lineStart + 1, code };
  });
}

function binary(file: string, found: RemovedCharacter, why: string): AppError {
  return new AppError(
    "E_TRANSCRIPT_BINARY",
    `${file}:${found.line}: the file holds binary or non-UTF-8 data (${found.code} at column ${found.column}), not a text transcript${why}. Save it as UTF-8 text, without control characters.`,
  );
}

/**
 * Rejects input that is not a transcript at all (empty, binary, not UTF-8), naming the file, line,
 * column and character; returns the stray control characters of one that is, in order: the parsers
 * read it without them (`transcriptText`), and a build lists them (`strayCharacters`).
 */
export function checkTextTranscript(source: string, file: string): RemovedCharacter[] {
  if (source.trim() === "") {
    throw new AppError(
      "E_TRANSCRIPT_EMPTY",
      `${file}: the transcript is empty. Put the episode's text in it.`,
    );
  }
  const never = source.search(NEVER_TEXT);
  if (never !== -1) throw binary(file, charactersAt(source, [never])[0] as RemovedCharacter, "");
  const positions: number[] = [];
  for (const match of source.matchAll(STRAY)) positions.push(match.index);
  if (positions.length * CHARACTERS_PER_STRAY > source.length) {
    const count = positions.length === 1 ? "1 control character" : `${positions.length} control characters`;
    throw binary(
      file,
      charactersAt(source, positions.slice(0, 1))[0] as RemovedCharacter,
      `: ${count} in ${source.length} characters, more than the 1 per ${CHARACTERS_PER_STRAY.toLocaleString("en-US")} characters a transcript is imported without`,
    );
  }
  return charactersAt(source, positions);
}

/**
 * The transcript as every parser reads it: checked (`checkTextTranscript`), and without its stray
 * control characters. They are removed, not replaced by spaces: they sit against words and code
 * ("`^]func append(…"), where a space would split a word or open a code span with one. Lines are as
 * in the file (no line break is removed); offsets are into this text, so in a repaired file they fall
 * short of the file's by the characters removed before them.
 */
export function transcriptText(source: string, file: string): string {
  return checkTextTranscript(source, file).length > 0 ? withoutStrayCharacters(source) : source;
}

/** The text without its stray control characters, unchecked. */
export function withoutStrayCharacters(source: string): string {
  return source.replace(STRAY, "");
}

/**
 * The stray control characters a transcript is read without, for a build to list; none when it
 * is refused (empty, binary), which its parser reports.
 */
export function strayCharacters(source: string, file: string): RemovedCharacter[] {
  try {
    return checkTextTranscript(source, file);
  } catch {
    return [];
  }
}

export function parseTextTranscript(raw: string, meta: EpisodeMeta, file: string): Turn[] {
  const source = transcriptText(raw, file);
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
