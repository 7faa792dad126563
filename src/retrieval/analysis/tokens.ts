import { nameForm, STOP_WORDS, stemWord } from "../profile/english.js";

/**
 * The one tokeniser: the index, the question, the episode scope and the offline embedder all
 * read text through it, since the same function must see both sides or terms stop matching.
 * What is English in it (stop words, stemming, the form of a name) comes from the profile.
 */

/** A short stable hash of a text (FNV-1a), to name caches after what they were derived with. */
export function fingerprint(text: string): string {
  let h = 0x811c9dc5;
  for (const char of text) h = Math.imul(h ^ (char.codePointAt(0) as number), 0x01000193);
  return (h >>> 0).toString(16);
}

/** Changes whenever the stop words do, so that tables derived with them are derived again. */
export const STOP_WORD_FINGERPRINT = fingerprint([...STOP_WORDS].join(" "));

export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word);
}

/** Lower-cased word tokens with offsets; apostrophes stay inside words ("we're"). */
export function words(text: string): Array<{ word: string; start: number; end: number }> {
  const result: Array<{ word: string; start: number; end: number }> = [];
  const normalized = text.replace(/[’‘]/g, "'");
  for (const match of normalized.matchAll(/[\p{L}\p{N}]+(?:['.-][\p{L}\p{N}]+)*/gu)) {
    result.push({ word: match[0].toLowerCase(), start: match.index, end: match.index + match[0].length });
  }
  return result;
}

const stemCache = new Map<string, string>();

/** The stem of a lower-case word (see `stemWord`), remembered. */
export function stem(word: string): string {
  let cached = stemCache.get(word);
  if (cached === undefined) {
    cached = stemWord(word);
    if (stemCache.size < 200_000) stemCache.set(word, cached);
  }
  return cached;
}

/**
 * Index terms of a text: stems of the content words. Hyphenated and dotted
 * words ("single-purpose", "re:invent") also yield their parts, so either
 * spelling matches.
 */
export function terms(text: string): string[] {
  const result: string[] = [];
  for (const { word } of words(text)) {
    const parts = /[.-]/.test(word) ? [word.replace(/[.-]/g, ""), ...word.split(/[.-]/)] : [word];
    for (const part of parts) {
      if (part.length < 2 && !/^\d$/.test(part)) continue;
      if (STOP_WORDS.has(part)) continue;
      result.push(stem(part));
    }
  }
  return result;
}

/** Changes whenever phrase keys are made differently, so that tables holding them are derived again. */
export const PHRASE_KEYS = "stems joined by _, v1";

/**
 * The key of a phrase of several words ("went over" -> "go_over", "get in touch" -> "get_in_touch"):
 * each word stemmed as `stem` does, stop words kept, joined by "_", as WordNet writes its phrases.
 */
export function phraseKey(words: string[]): string {
  return words.map((word) => stem(word.toLowerCase())).join("_");
}

/**
 * The words of a text as names are compared: accents folded, no possessive or plural ("Kenji's",
 * "Castellanos" -> "kenji", "castellano"), so "the Castellanos episode" finds Priya Castellanos.
 */
export function nameWords(text: string): string[] {
  const folded = text.normalize("NFKD").replace(/\p{M}/gu, "");
  return words(folded)
    .map(({ word }) => nameForm(word))
    .filter(Boolean);
}
