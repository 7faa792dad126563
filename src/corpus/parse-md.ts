import { AppError } from "../errors.js";
import { resolveLabel } from "./labels.js";
import { type MdBlock, markdownBlocks } from "./md-blocks.js";
import { type MdText, markdownText } from "./md-text.js";
import { transcriptText } from "./parse-text.js";
import type { EpisodeMeta, Speaker, Turn, TurnCue } from "./types.js";

/**
 * Parser for Markdown transcripts (`.md`) as podcast networks publish them:
 *
 * - A turn starts with the speaker in bold, `**Rob Pike:** text` or
 *   `**Rob Pike**: text`; a paragraph without a label continues the last speaker.
 * - Markers are not speakers: after an ad break (`**Break:**`) the speaker
 *   before it goes on; after something played (`**Jingle:**`, `**Song:**`,
 *   `**Clip from…:**`) the unlabelled paragraphs are what was played, and no
 *   one's words, so they are left out.
 * - Escaped timestamps `\[00:12:40.15\]` / `\[04:01\]` time what follows them;
 *   other bracketed notes (`\[laughs\]`) are no one's words.
 * - Quoted blocks (`> …`), lists and headline links of a news show are read out
 *   by its host: they are the words of the speaker whose turn they are in.
 * - Words before the first label are the episode's notes, not a person's.
 *
 * Time: in a file with timestamps, every word is timed by the last timestamp at
 * or before it (0, the start of the recording, before the first one), so a link
 * to a quote never starts after its first word. A file without timestamps is
 * untimed (null). Turn offsets run from the first word after the label to the
 * end of the turn's last paragraph, Markdown included.
 */

const NOTES_SPEAKER: Speaker = { name: "Episode notes", role: "notes" };

type Owner = { label: string } & Speaker;

interface OpenTurn {
  label: string;
  speaker: Speaker;
  paragraphs: string[];
  length: number;
  cues: TurnCue[];
  start: number;
  end: number;
}

interface Piece {
  block: MdBlock;
  text: MdText;
  /** Where the piece's words start in the source (after the label). */
  from: number;
}

/** The words of each block, with where they start. */
function pieces(source: string, blocks: MdBlock[]): Piece[] {
  return blocks.map((block) => {
    const from = block.label?.contentStart ?? block.start;
    return { block, from, text: markdownText(source, block.start, block.end, from) };
  });
}

function speakerOf(name: string, meta: EpisodeMeta, file: string, block: MdBlock): Owner {
  const label = resolveLabel(name, meta);
  const speaker = label === undefined ? undefined : meta.speakers[label];
  if (label === undefined || !speaker) {
    throw new AppError(
      "E_TRANSCRIPT_UNKNOWN_SPEAKER",
      `${file}:${block.line}: speaker "${name}" is not one of the episode's speakers (${Object.keys(meta.speakers).join(", ")}). Add "${name}" to the episode's meta.json speakers, or build again if the file changed during the build.`,
    );
  }
  return {
    label,
    name: speaker.name,
    role: speaker.role,
    ...(speaker.pronouns ? { pronouns: speaker.pronouns } : {}),
  };
}

export function parseMarkdownTranscript(raw: string, meta: EpisodeMeta, file: string): Turn[] {
  const source = transcriptText(raw, file);
  const blocks = markdownBlocks(source);
  const firstLabel = blocks.find((b) => b.label?.kind === "speaker");
  if (!firstLabel) {
    throw new AppError(
      "E_TRANSCRIPT_NO_SPEAKERS",
      `${file}:1: no speaker labels found; a turn starts with the speaker in bold ("**Name:** …"). Is this a transcript?`,
    );
  }
  const all = pieces(source, blocks);
  const timed = all.some((p) => p.text.stamps.length > 0);
  let time: number | null = timed ? 0 : null;

  const turns: Turn[] = [];
  let open: OpenTurn | null = null;
  /** Who unlabelled paragraphs belong to: a speaker, the notes, or no one (something played). */
  let owner: Owner | null = { label: "notes", ...NOTES_SPEAKER };

  const close = () => {
    if (open && open.paragraphs.length > 0) {
      turns.push({
        index: turns.length,
        label: open.label,
        speaker: personOf(open.speaker),
        text: open.paragraphs.join("\n\n"),
        start: open.start,
        end: open.end,
        timestamp: open.cues[0]?.time ?? null,
        ...(timed ? { cues: open.cues } : {}),
      });
    }
    open = null;
  };

  /** Adds a piece's words to the open turn (opening one for `owner` if needed), splitting its cues at timestamps. */
  const add = (piece: Piece) => {
    const { text, stamps } = piece.text;
    const from = piece.from;
    // Words before the piece's first timestamp, then the words after each.
    const cuts = [{ at: 0, seconds: null as number | null, start: from }];
    for (const stamp of stamps) cuts.push({ at: stamp.at, seconds: stamp.seconds, start: stamp.to });
    let firstWords = true;
    for (const [i, cut] of cuts.entries()) {
      if (cut.seconds !== null) time = cut.seconds;
      const next = cuts[i + 1];
      const words = text.slice(cut.at, next?.at ?? text.length).trim();
      if (words === "" || owner === null) continue;
      const start = skipSpace(source, cut.start);
      const end = trimEnd(source, start, next ? (stamps[i]?.from ?? piece.block.end) : piece.block.end);
      if (!open) {
        open = { label: owner.label, speaker: owner, paragraphs: [], length: 0, cues: [], start, end };
      }
      const turn: OpenTurn = open;
      if (firstWords || turn.paragraphs.length === 0) {
        if (turn.paragraphs.length > 0) turn.length += 2;
        turn.paragraphs.push(words);
      } else {
        turn.paragraphs[turn.paragraphs.length - 1] += ` ${words}`;
        turn.length += 1;
      }
      if (time !== null) turn.cues.push({ offset: turn.length, time, start, end });
      turn.length += words.length;
      turn.end = end;
      firstWords = false;
    }
  };

  for (const piece of all) {
    const label = piece.block.label;
    if (label?.kind === "speaker") {
      close();
      owner = speakerOf(label.name, meta, file, piece.block);
    } else if (label?.kind === "played") {
      close();
      owner = null;
    } else if (label?.kind === "break") {
      // The words of a break marker, if any, are the break's; the speaker before it goes on after it.
      const resume: Owner | null = owner;
      close();
      owner = null;
      add(piece);
      owner = resume;
      continue;
    }
    add(piece);
  }
  close();

  if (!turns.some((t) => t.speaker.role !== "notes")) {
    throw new AppError(
      "E_TRANSCRIPT_EMPTY",
      `${file}:${firstLabel.line}: no speaker says anything (every label is followed by no words). Put the episode's transcript in it.`,
    );
  }
  return mergeCues(turns);
}

/** Two cues at one time in a row (a paragraph break with no timestamp between) are one cue. */
function mergeCues(turns: Turn[]): Turn[] {
  for (const turn of turns) {
    if (!turn.cues) continue;
    const merged: TurnCue[] = [];
    for (const cue of turn.cues) {
      const last = merged.at(-1);
      if (last && last.time === cue.time) last.end = cue.end;
      else merged.push({ ...cue });
    }
    turn.cues = merged;
  }
  return turns;
}

function personOf({ name, role, pronouns }: Speaker): Speaker {
  return pronouns ? { name, role, pronouns } : { name, role };
}

function skipSpace(source: string, at: number): number {
  let i = at;
  while (i < source.length && /\s/.test(source[i] as string)) i += 1;
  return i;
}

function trimEnd(source: string, start: number, end: number): number {
  let i = end;
  while (i > start && /\s/.test(source[i - 1] as string)) i -= 1;
  return i;
}
