import { splitLines } from "./lines.js";

/**
 * The block structure of a Markdown transcript as published by podcast
 * networks (the Changelog archive's format): paragraphs separated by blank
 * lines, a turn starting with the speaker in bold, `**Name:** text` or
 * `**Name**: text`. Shared by the parser and by the scan that counts who
 * speaks across a show, so both see the same labels.
 */

/** A label at the start of a block: `**Name:**`, `**Name**:` (also after a heading's `#`). */
const LABEL = /^(?:#{1,6}[ \t]+)?\*\*([^*\n]{1,80}?)(?::[ \t]*\*\*|\*\*[ \t]*:)[ \t]*/;

/**
 * Labels that are not people. An ad break: the speaker before it goes on after
 * it. Something played (a jingle, a song, a clip): the unlabelled paragraphs
 * after it are what was played, not anyone's words.
 */
const BREAK = /\bbreak\b/i;
const PLAYED =
  /\b(?:intro|outro|jingle|song|sample|music|theme|clip|track|sound|audio|remix|extract|recording|ads?)\b/i;

export type LabelKind = "speaker" | "break" | "played";

export interface MdLabel {
  /** The name as written, whitespace collapsed ("Rob Pike"). */
  name: string;
  kind: LabelKind;
  /** Offset of the first character after the label (and the spaces after it). */
  contentStart: number;
}

export interface MdBlock {
  /** Offsets in the source: first character of the first line, end of the last line. */
  start: number;
  end: number;
  /** 1-based line the block starts on. */
  line: number;
  label: MdLabel | null;
}

export function labelKind(name: string): LabelKind {
  if (BREAK.test(name)) return "break";
  if (PLAYED.test(name)) return "played";
  return "speaker";
}

function labelAt(text: string, offset: number): MdLabel | null {
  const match = LABEL.exec(text);
  const name = match?.[1]?.replace(/\s+/g, " ").trim();
  if (!match || !name) return null;
  return { name, kind: labelKind(name), contentStart: offset + match[0].length };
}

/**
 * Splits a Markdown transcript into blocks: runs of non-blank lines, and a new
 * block at every line that starts with a label even without a blank line
 * before it (a few published files glue two turns together).
 */
export function markdownBlocks(source: string): MdBlock[] {
  const blocks: MdBlock[] = [];
  let current: MdBlock | null = null;
  for (const line of splitLines(source)) {
    if (line.text.trim() === "") {
      current = null;
      continue;
    }
    const label = labelAt(line.text, line.start);
    if (!current || label) {
      current = { start: line.start, end: line.start + line.text.length, line: line.number, label };
      blocks.push(current);
    } else current.end = line.start + line.text.length;
  }
  return blocks;
}

/** Who speaks in one episode, from its labels alone (no Markdown parsing): what the show's statistics need. */
export interface EpisodeVoices {
  /** Every speaker label, as written, in order of first appearance (markers left out). */
  speakers: string[];
  /** The speaker of the first turn, or null when no one speaks. */
  opener: string | null;
  /** Names a speaker introduces themself by in the episode's opening, besides their own ("I'm Kball"). */
  calledBy?: Record<string, string[]>;
}

/** The opening turns, where people introduce themselves. */
const OPENING_BLOCKS = 12;

/** "I'm Kball, and…", "I'm Kball." — a self-introduction by one capitalised word. */
const SELF_INTRODUCTION = /\bI(?:'|’)m ([A-Z][A-Za-z0-9]+)(?=[,.!;]|\s+and\b)/g;

export function episodeVoices(source: string): EpisodeVoices {
  const speakers = new Set<string>();
  const calledBy: Record<string, string[]> = {};
  markdownBlocks(source).forEach((block, i) => {
    if (block.label?.kind !== "speaker") return;
    const { name } = block.label;
    speakers.add(name);
    if (i >= OPENING_BLOCKS) return;
    const own = new Set(name.toLowerCase().split(/[\s.-]+/));
    for (const [, called] of source.slice(block.start, block.end).matchAll(SELF_INTRODUCTION)) {
      if (!called || own.has(called.toLowerCase()) || called === called.toUpperCase()) continue;
      const list = calledBy[name] ?? [];
      if (!list.includes(called)) list.push(called);
      calledBy[name] = list;
    }
  });
  const list = [...speakers];
  return {
    speakers: list,
    opener: list[0] ?? null,
    ...(Object.keys(calledBy).length > 0 ? { calledBy } : {}),
  };
}
