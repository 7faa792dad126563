import { LABEL_LIKE, resolveLabel } from "./labels.js";
import type { Line } from "./lines.js";
import type { EpisodeMeta } from "./types.js";

/** The words of one speaker within a cue's text lines, with their place in the file. */
export interface CuePiece {
  /** The speaker as written (`<v Name>` or `Name:`), or null when the piece does not name one. */
  speaker: string | null;
  /** Line the piece starts on. */
  line: number;
  /** Plain text: markup removed, entities decoded, whitespace collapsed. */
  text: string;
  /** Offsets in the source of the piece's first and last characters (markup included). */
  start: number;
  end: number;
}

const VOICE = /<v(?:\.[^\s>]*)?[ \t]+([^>]*)>/g;
const DIALOGUE_LABEL = new RegExp(`^[ \\t]*(?:-[ \\t]*)?${LABEL_LIKE.source.slice(1)}`, "u");
const ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
  lrm: "",
  rlm: "",
};

/** Cue text as people read it: tags (`<i>`, `<c.x>`, `<00:01.000>`, SRT's `{\an8}`) removed, entities decoded. */
export function plainCueText(raw: string): string {
  return raw
    .replace(/<[^>]*>/g, "")
    .replace(/\{\\[^}]*\}/g, "")
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
      if (name.startsWith("#")) {
        const code =
          name[1]?.toLowerCase() === "x" ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
        return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
      }
      return ENTITIES[name.toLowerCase()] ?? whole;
    })
    .replace(/\s+/g, " ")
    .trim();
}

interface Span {
  text: string;
  start: number;
}

function trimmedSpan(span: Span): { start: number; end: number } | null {
  const lead = span.text.length - span.text.trimStart().length;
  const body = span.text.trim();
  return body ? { start: span.start + lead, end: span.start + lead + body.length } : null;
}

/**
 * Splits a cue's text lines into pieces by speaker: a voice tag `<v Name>`
 * anywhere, a `Name:` at the start of the cue, or `Name:` / `- Name:` at the
 * start of a later line when Name is one of the episode's speakers (a later
 * "Note: …" line is words, not a speaker).
 */
export function cuePieces(lines: Line[], meta: EpisodeMeta): CuePiece[] {
  const pieces: Array<{ speaker: string | null; line: number; spans: Span[] }> = [];
  const open = (speaker: string | null, line: number) => {
    pieces.push({ speaker, line, spans: [] });
  };
  for (const [i, line] of lines.entries()) {
    let rest: Span = { text: line.text, start: line.start };
    const label = DIALOGUE_LABEL.exec(rest.text);
    if (label?.[1] && (i === 0 || resolveLabel(label[1], meta))) {
      open(label[1], line.number);
      rest = { text: rest.text.slice(label[0].length), start: rest.start + label[0].length };
    }
    let at = 0;
    for (const voice of rest.text.matchAll(VOICE)) {
      if (voice.index > at) {
        if (pieces.length === 0) open(null, line.number);
        pieces.at(-1)?.spans.push({ text: rest.text.slice(at, voice.index), start: rest.start + at });
      }
      open(voice[1]?.trim() ?? "", line.number);
      at = voice.index + voice[0].length;
    }
    if (pieces.length === 0) open(null, line.number);
    pieces.at(-1)?.spans.push({ text: rest.text.slice(at), start: rest.start + at });
  }
  return pieces.map((piece) => {
    const text = plainCueText(piece.spans.map((s) => s.text).join("\n"));
    const bounds = piece.spans.map(trimmedSpan).filter((b) => b !== null);
    const start = bounds[0]?.start ?? piece.spans[0]?.start ?? 0;
    const end = bounds.at(-1)?.end ?? start;
    return { speaker: piece.speaker, line: piece.line, text, start, end };
  });
}
