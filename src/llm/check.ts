import { stripUnsafe } from "./sanitize.js";
import type { SummaryFate } from "./stats.js";

/**
 * The plain-code checks a model's summary must pass before anyone sees it: the
 * model is never trusted to have followed its instructions. Every citation
 * must name a passage that was given, at least one must be there, and every
 * quoted span must appear word for word in a cited passage.
 */

/** Longest summary kept; `max_tokens` already bounds it, this bounds what a chat message must hold. */
export const MAX_SUMMARY_CHARS = 1_200;

export type SummaryCheck =
  | { ok: true; text: string; cited: number[] }
  | { ok: false; reason: Exclude<SummaryFate, "kept" | "not_answered"> };

const CITATION = /\[\s*(\d+(?:\s*(?:,|;|-|–|and)\s*\d+)*)\s*\]/gi;
// Other ways a model points at a passage ("passage 4", "source #2") must name a real one too.
const NAMED_REFERENCE = /\b(?:passage|source|excerpt)s?\s*#?\s*(\d+)/gi;
const DOUBLE_QUOTES = /[“”„‟«»＂]/g;

/** Passage numbers (1-based) named by one citation such as `[1]`, `[1, 3]` or `[2-4]`. */
function citationNumbers(body: string): number[] {
  const numbers: number[] = [];
  for (const part of body.split(/\s*(?:,|;|and)\s*/i)) {
    const range = /^(\d+)\s*[-–]\s*(\d+)$/.exec(part);
    if (range) {
      const [from, to] = [Number(range[1]), Number(range[2])];
      // A wide range is not a citation anyone wrote in good faith; fail it rather than loop.
      if (to < from || to - from > 20) return [0];
      for (let n = from; n <= to; n++) numbers.push(n);
    } else numbers.push(Number(part));
  }
  return numbers;
}

/** Case, whitespace, quote and dash style do not count when comparing a quote with a passage. */
export function normaliseForMatch(text: string): string {
  return text
    .normalize("NFKC")
    .replace(DOUBLE_QUOTES, "")
    .replace(/"/g, "")
    .replace(/[‘’‚‛`´]/g, "'")
    .replace(/\s*[-‐‑‒–—―]+\s*/g, " - ")
    .replace(/\s+/g, " ")
    .toLowerCase()
    .trim();
}

/** The parts of a quoted span that must each appear in a passage (an ellipsis separates parts). */
function quoteFragments(span: string): string[] {
  return span
    .split(/\.\.\.|…/)
    .map((part) => normaliseForMatch(part).replace(/^[\s,.;:!?'-]+|[\s,.;:!?'-]+$/g, ""))
    .filter((part) => /[\p{L}\p{N}]/u.test(part));
}

function cutAtSentence(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max);
  const end = Math.max(head.lastIndexOf(". "), head.lastIndexOf("! "), head.lastIndexOf("? "));
  return end > 0 ? head.slice(0, end + 1) : `${head.trimEnd()}…`;
}

/**
 * Checks a summary against the passages it was written from (`passages[0]` is
 * cited as [1]). On success returns the cleaned text (links, mentions and
 * markup stripped) and the passages it cites.
 */
export function checkSummary(raw: string, passages: readonly string[]): SummaryCheck {
  const text = cutAtSentence(stripUnsafe(raw), MAX_SUMMARY_CHARS);
  const words = text.replace(CITATION, " ").match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length < 3) return { ok: false, reason: "empty" };

  const cited = new Set<number>();
  for (const match of text.matchAll(CITATION)) {
    for (const n of citationNumbers(match[1] ?? "")) {
      if (!Number.isInteger(n) || n < 1 || n > passages.length) return { ok: false, reason: "bad_citation" };
      cited.add(n);
    }
  }
  for (const match of text.matchAll(NAMED_REFERENCE)) {
    const n = Number(match[1]);
    if (n < 1 || n > passages.length) return { ok: false, reason: "bad_citation" };
  }
  if (cited.size === 0) return { ok: false, reason: "no_citation" };

  const quoted = text.replace(DOUBLE_QUOTES, '"');
  const marks = quoted.split('"').length - 1;
  if (marks % 2 !== 0) return { ok: false, reason: "bad_quote" };
  const sources = [...cited].map((n) => normaliseForMatch(passages[n - 1] ?? ""));
  for (const match of quoted.matchAll(/"([^"]*)"/g)) {
    for (const fragment of quoteFragments(match[1] ?? "")) {
      if (!sources.some((source) => source.includes(fragment))) return { ok: false, reason: "bad_quote" };
    }
  }
  return { ok: true, text, cited: [...cited].sort((a, b) => a - b) };
}
