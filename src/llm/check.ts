import { CITATION, citationNumbers } from "./citations.js";
import { checkGrounding, type GroundingSources, type SourcePassage } from "./grounding.js";
import { DOUBLE_QUOTES } from "./quote-match.js";
import { stripUnsafe } from "./sanitize.js";
import type { SummaryFate } from "./stats.js";

/**
 * The plain-code checks a model's summary must pass before anyone sees it: the
 * model is never trusted to have followed its instructions. Every citation
 * must name a passage that was given, at least one must be there, and every
 * sentence must be grounded in the passages it cites (grounding.ts): its
 * quotes word for word, its speakers, numbers, names and content words. A
 * summary with one sentence that fails is dropped whole; the quotes stay.
 */

/** Longest summary kept; `max_tokens` already bounds it, this bounds what a chat message must hold. */
export const MAX_SUMMARY_CHARS = 1_200;

export type SummaryCheck =
  | { ok: true; text: string; cited: number[] }
  | { ok: false; reason: Exclude<SummaryFate, "kept" | "not_answered">; detail?: string };

// Other ways a model points at a passage ("passage 4", "source #2") must name a real one too.
const NAMED_REFERENCE = /\b(?:passage|source|excerpt)s?\s*#?\s*(\d+)/gi;

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
export function checkSummary(
  raw: string,
  passages: readonly SourcePassage[],
  sources: GroundingSources = {},
): SummaryCheck {
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

  const marks = text.replace(DOUBLE_QUOTES, '"').split('"').length - 1;
  if (marks % 2 !== 0) return { ok: false, reason: "bad_quote" };
  const grounded = checkGrounding(text, passages, sources);
  if (!grounded.ok) {
    return { ok: false, reason: grounded.reason, detail: `sentence ${grounded.sentence} ${grounded.detail}` };
  }
  return { ok: true, text, cited: [...cited].sort((a, b) => a - b) };
}
