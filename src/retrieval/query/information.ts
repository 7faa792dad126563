import { UNSEEN_INFORMATION } from "../analysis/word-frequency.js";
import type { LexicalIndex } from "../index/lexical.js";
import type { RetrievalSettings } from "../settings.js";
import { numberForms } from "./numbers.js";

/**
 * How telling a word is, from how rare it is in everyday spoken English (its information
 * content, analysis/word-frequency.ts) and how much more often the episode says it.
 */

/** Information (nats) of a number in digits with no number word of its own: about "thirty"'s (10.9). 8–10 measured alike. */
const NUMBER_INFORMATION = 10;

/**
 * Information (nats) at or above which an English word is rare enough to be taken for a typo of a
 * corpus word: fewer than about 1 in a million spoken words ("strat"). 13 also took "interval"
 * for "internal".
 */
const RARE_WORD_INFORMATION = 14;

/**
 * Information content in spoken English. Subtitles spell numbers out, so a number in digits
 * counts as its spoken form ("5" as "five"), or as a number word of middling frequency: "2018"
 * and "30" are no rarer in speech than "thirty", and do not make "who won the 2018 world cup?"
 * characteristic of an episode that mentions re:Invent 2018.
 */
export function information(term: string, lexical: LexicalIndex): number {
  const known = lexical.information(term);
  if (known !== undefined || !/^\d+$/.test(term)) return known ?? UNSEEN_INFORMATION;
  const word = numberForms(term)[0];
  return (word === undefined ? undefined : lexical.information(word)) ?? NUMBER_INFORMATION;
}

/**
 * log(share of the episode's words / share of everyday spoken English's words), for a corpus word.
 * A word written joined ("two-week", `parts` "two", "week") is unknown to everyday English as one
 * word; it is taken to be as common there as its rarest part, not as rare as an unknown word:
 * the archive writing "two-week" does not make a question about a two-week trip its subject.
 */
export function keyness(term: string, lexical: LexicalIndex, parts?: string[]): number {
  const share = lexical.text.frequency(term);
  if (share === 0) return Number.NEGATIVE_INFINITY;
  // Information is -log(share in spoken English).
  const everyday = parts?.length
    ? Math.max(...parts.map((part) => information(part, lexical)))
    : information(term, lexical);
  return Math.log(share) + everyday;
}

/** 0.1 for everyday words ("big", "look"), 1 for rare ones ("ephemeral", "Mongolia"). */
export function salience(
  term: string,
  lexical: LexicalIndex,
  { low, high }: RetrievalSettings["salience"],
): number {
  return Math.min(1, Math.max(0.1, (information(term, lexical) - low) / (high - low)));
}

/** Not an everyday English word: too rare in speech (or unknown) to have a meaning of its own here. */
export function isRare(term: string, lexical: LexicalIndex): boolean {
  const value = lexical.information(term);
  return value === undefined || value >= RARE_WORD_INFORMATION;
}
