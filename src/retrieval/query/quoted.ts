import { terms, words } from "../analysis/tokens.js";
import type { Bm25 } from "../index/bm25.js";

/**
 * Phrases a question quotes ("who came up with the 'heck yes or no' rule?", "what's 'broaden and
 * build'?"): what someone said, or a name for it, in the words they used. Two words or more, in
 * double quotes (straight or curly) or in single quotes that open after a space and close before
 * one (not the apostrophes of "what's" and "Jaana's").
 */
const QUOTED = /["“]([^"”]{3,80})["”]|(?:^|[\s(])['‘]([^'’]{3,80})['’](?=[\s.,;:!?)]|$)/g;

export function quotedPhrases(question: string): string[] {
  const phrases: string[] = [];
  for (const match of question.matchAll(QUOTED)) {
    const phrase = (match[1] ?? match[2] ?? "").trim();
    if (words(phrase).length >= 2 && terms(phrase).length > 0) phrases.push(phrase);
  }
  return phrases;
}

/** The phrase's words in order, anything but letters and digits between them, in any case. */
function phrasePattern(phrase: string): RegExp {
  // words() reads a curly apostrophe as a straight one; a transcript may write either.
  const escaped = words(phrase).map(({ word }) =>
    word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/'/g, "['’]"),
  );
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped.join("[^\\p{L}\\p{N}]+")}(?![\\p{L}\\p{N}])`, "iu");
}

/**
 * Passages said so common a phrase's words that looking through them costs more than it finds: a
 * phrase is looked for only among at most this many passages that hold all its words.
 */
const MAX_PHRASE_CANDIDATES = 3000;

/** A quoted phrase as the ranking looks for it: the passages holding all its words, and its pattern. */
export interface QuotedPhrase {
  holding: Set<number>;
  pattern: RegExp;
}

/** The phrases as the ranking looks for them (from the postings alone: no passage is read here). */
export function phraseSearches(phrases: string[], text: Bm25): QuotedPhrase[] {
  const searches: QuotedPhrase[] = [];
  for (const phrase of phrases) {
    const phraseTerms = [...new Set(terms(phrase))];
    if (phraseTerms.length === 0) continue;
    const holding = text.documentsWithAll(phraseTerms);
    if (holding.length === 0 || holding.length > MAX_PHRASE_CANDIDATES) continue;
    searches.push({ holding: new Set(holding), pattern: phrasePattern(phrase) });
  }
  return searches;
}

/** Whether the passage at `position` says one of the phrases word for word (case and punctuation aside). */
export function saysQuoted(searches: QuotedPhrase[], position: number, text: () => string): boolean {
  return searches.some(({ holding, pattern }) => holding.has(position) && pattern.test(text()));
}
