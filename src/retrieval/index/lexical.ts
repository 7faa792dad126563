import { splitSentences } from "../analysis/sentences.js";
import { terms } from "../analysis/tokens.js";
import type { PackedInformation } from "../analysis/word-frequency.js";
import type { PackedExpansions } from "../analysis/wordnet.js";
import { INITIALISM } from "../profile/english.js";
import { Bm25, type Bm25Data } from "./bm25.js";
import { dictionary } from "./dictionary.js";
import { TermStats, type TermStatsData } from "./term-stats.js";
import type { Passage } from "./passage.js";

export interface LexicalData {
  /** BM25 over each passage's own words. */
  text: Bm25Data;
  /** BM25 over the turn each passage replies to (the host's question before a guest's answer). */
  context: Bm25Data;
  /** BM25 statistics of pairs of adjacent sentences, to score the finalists' best spot on demand. */
  sentences: TermStatsData;
  /** Question words the corpus never uses -> related corpus words (WordNet). */
  expansions: PackedExpansions;
  /** Information content in spoken English (see analysis/word-frequency.ts), packed: "\nstem value" per word. */
  information: string;
  /** Term -> the word that nearly always follows it in the corpus ("cold" -> "start"). */
  collocations: Record<string, string>;
  /** Initialisms the corpus uses (as index terms: "ef", "sam", "coe"), lower case letters -> term. */
  acronyms: Record<string, string>;
}

export interface LexicalIndex {
  text: Bm25;
  context: Bm25;
  sentences: TermStats;
  /** Related corpus words of a question word, strongest first. */
  related(term: string): Array<[term: string, weight: number]>;
  /** The same expansions, packed for writing. */
  packed: PackedExpansions;
  /** Information content of a stem in spoken English (see analysis/word-frequency.ts), undefined when unseen. */
  information(term: string): number | undefined;
  /** The same table, packed for writing. */
  packedInformation: string;
  collocations: Record<string, string>;
  acronyms: Record<string, string>;
}

export function buildLexical(
  passages: Passage[],
  expansions: PackedExpansions,
  information: PackedInformation,
): LexicalIndex {
  const sentencePairs: string[][] = [];
  for (const passage of passages) {
    const sentences = splitSentences(passage.text).map((s) => terms(s.text));
    sentences.forEach((sentence, i) => {
      sentencePairs.push([...sentence, ...(sentences[i + 1] ?? [])]);
    });
  }
  return {
    text: Bm25.build(passages.map((p) => terms(p.text))),
    context: Bm25.build(passages.map((p) => terms(p.context))),
    // Sentences are short and similar in length: little length normalisation.
    sentences: TermStats.build(sentencePairs, 1.2, 0.3),
    related: relatedFrom(dictionary(expansions)),
    packed: expansions,
    information: informationFrom(information),
    packedInformation: information,
    collocations: findCollocations(passages),
    acronyms: findAcronyms(passages),
  };
}

function relatedFrom(packed: PackedExpansions): LexicalIndex["related"] {
  return (term) => {
    const entry = packed[term];
    if (!entry) return [];
    return entry.split(" ").map((pair) => {
      const at = pair.lastIndexOf(":");
      return [pair.slice(0, at), Number(pair.slice(at + 1))] as [string, number];
    });
  };
}

/**
 * Look-ups straight in the packed string: a question asks about a dozen words,
 * so scanning 600 kB a few times costs less than parsing 60,000 entries at start.
 */
function informationFrom(packed: string): LexicalIndex["information"] {
  const cache = new Map<string, number | undefined>();
  return (term) => {
    if (cache.has(term)) return cache.get(term);
    const at = packed.indexOf(`\n${term} `);
    const value =
      at === -1 ? undefined : Number(packed.slice(at + term.length + 2, packed.indexOf("\n", at + 1)));
    if (cache.size < 10_000) cache.set(term, value);
    return value;
  };
}

export function lexicalToJSON(index: LexicalIndex): LexicalData {
  return {
    text: index.text.toJSON(),
    context: index.context.toJSON(),
    sentences: index.sentences.toJSON(),
    expansions: index.packed,
    information: index.packedInformation,
    collocations: index.collocations,
    acronyms: index.acronyms,
  };
}

export function lexicalFromJSON(data: LexicalData): LexicalIndex {
  return {
    text: Bm25.fromJSON(data.text),
    context: Bm25.fromJSON(data.context),
    sentences: TermStats.fromJSON(data.sentences),
    related: relatedFrom(dictionary(data.expansions)),
    packed: data.expansions,
    information: informationFrom(data.information),
    packedInformation: data.information,
    collocations: dictionary(data.collocations),
    acronyms: dictionary(data.acronyms),
  };
}

/** Every index term of the corpus (for expansion and typo look-ups). */
export function corpusVocabulary(passages: Passage[]): Set<string> {
  const vocabulary = new Set<string>();
  for (const passage of passages) {
    for (const term of terms(passage.text)) vocabulary.add(term);
    for (const term of terms(passage.context)) vocabulary.add(term);
  }
  return vocabulary;
}

/** A word is bound to the next when it occurs this often and is followed by the same word this share of the time. */
const COLLOCATION_MIN_COUNT = 3;
const COLLOCATION_MIN_SHARE = 0.6;

/**
 * Words the corpus uses almost only in one fixed phrase ("cold" in "cold
 * start"). A question that puts such a word in another phrase ("cold brew")
 * is not about what the corpus means by it.
 */
export function findCollocations(passages: Passage[]): Record<string, string> {
  const counts = new Map<string, Map<string, number>>();
  for (const passage of passages) {
    const sequence = terms(passage.text);
    for (let i = 0; i + 1 < sequence.length; i++) {
      const next = counts.get(sequence[i] as string) ?? new Map<string, number>();
      next.set(sequence[i + 1] as string, (next.get(sequence[i + 1] as string) ?? 0) + 1);
      counts.set(sequence[i] as string, next);
    }
  }
  const result: Record<string, string> = {};
  for (const [term, next] of counts) {
    const total = [...next.values()].reduce((a, b) => a + b, 0);
    const [best, count] = [...next].sort((a, b) => b[1] - a[1])[0] ?? ["", 0];
    if (total >= COLLOCATION_MIN_COUNT && count / total >= COLLOCATION_MIN_SHARE) result[term] = best;
  }
  return result;
}

/**
 * Initialisms in the corpus ("EFS", "SAM", "COE"): all-capital words of two to
 * five letters. A question that spells one out ("file system", "correction of
 * errors") can then find it.
 */
export function findAcronyms(passages: Passage[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const passage of passages) {
    for (const match of passage.text.matchAll(INITIALISM)) {
      const letters = (match[1] as string).toLowerCase();
      const [term] = terms(match[0]);
      if (term) result[letters] = term;
    }
  }
  return result;
}
