import { createRequire } from "node:module";
import { stemmer } from "stemmer";

/**
 * Text analysis shared by indexing and querying: the same function must see
 * both sides, or terms stop matching.
 */

// Function words, plus the fillers of unscripted speech ("yeah", "right", "you
// know") which carry no topic in a podcast transcript but are everywhere in it, and those of
// chat ("lol", "tbh", "or nah"), where the questions are typed.
const STOP_WORDS = new Set(
  `a about above after again against all am an and any are aren't as at be because been before being below
  between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during each
  few for from further had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself
  him himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself let's me more most
  mustn't my myself no nor not of off on once only or other ought our ours ourselves out over same shan't
  she she'd she'll she's should shouldn't so some such than that that's the their theirs them themselves then
  there there's these they they'd they'll they're they've this those through to too under until up very was
  wasn't we we'd we'll we're we've were weren't what what's when when's where where's which while who who's
  whom why why's with won't would wouldn't you you'd you'll you're you've your yours yourself yourselves
  yeah yes okay ok oh um uh like just really actually basically right well mean know think thing things
  kind sort lot lots also maybe gonna wanna got get gets getting go going say said says tell told
  anything something everything someone anyone everyone ever even still way ways much many
  awesome great absolutely totally definitely sure guess let us will shall may might must
  its hi hey thanks thank please does did doing done make made
  lol lmao haha tbh imo imho idk btw fyi afaik iirc omg pls plz thx nah nope yep yup ya ur hmm eh
  anyway anyways gotta kinda sorta dunno`
    .split(/\s+/)
    .filter(Boolean),
);

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

/**
 * WordNet's irregular verb forms and their base forms ("led" -> "lead", "wrote" -> "write",
 * "built" -> "build", "won" -> "win"), from the wink-lexicon package. Porter stemming only
 * strips regular endings, so "how long has holly led engineering orgs" missed "leading". A
 * form that is also a word of its own ("bit", "found") is folded on both sides alike, so it
 * still matches itself.
 */
const IRREGULAR_VERBS = new Map<string, string>(
  Object.entries(
    createRequire(import.meta.url)("wink-lexicon/src/wn-verb-exceptions.js") as Record<string, string>,
  ),
);

/** Porter stem of a lower-case word, with "'s" and "n't" forms and irregular verbs folded first. */
export function stem(word: string): string {
  let cached = stemCache.get(word);
  if (cached === undefined) {
    const written = word.replace(/'s$/, "").replace(/'/g, "");
    const base = IRREGULAR_VERBS.get(written) ?? written;
    cached = /^\d/.test(base) ? base : stemmer(base);
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
