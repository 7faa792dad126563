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

/** A word: letters and digits, with apostrophes, dots and hyphens inside ("we're", "e.g", "single-purpose"). */
const WORD = /[\p{L}\p{N}]+(?:['.-][\p{L}\p{N}]+)*/gu;

/** Lower-cased word tokens with offsets; apostrophes stay inside words ("we're"). */
export function words(text: string): Array<{ word: string; start: number; end: number }> {
  const result: Array<{ word: string; start: number; end: number }> = [];
  const normalized = text.replace(/[’‘]/g, "'");
  for (const match of normalized.matchAll(WORD)) {
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
 * spelling matches. The words as `words` finds them, without its offsets: this runs over every
 * finalist's text and sentences, and the offsets' objects were a third of its time.
 */
export function terms(text: string): string[] {
  const result: string[] = [];
  const add = (part: string) => {
    if (part.length < 2 && !(part >= "0" && part <= "9")) return;
    if (STOP_WORDS.has(part)) return;
    result.push(stem(part));
  };
  for (const match of text.replace(/[’‘]/g, "'").matchAll(WORD)) {
    const word = match[0].toLowerCase();
    if (word.includes(".") || word.includes("-")) {
      for (const part of [word.replace(/[.-]/g, ""), ...word.split(/[.-]/)]) add(part);
    } else add(word);
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
