import { isStopWord, phraseKey, terms, words } from "../analysis/tokens.js";
import type { LexicalIndex } from "../index/lexical.js";

/** Meanings carried by several words of a question together rather than by each word. */

/** WordNet phrases of two to four words in a question ("go_over"), with their corpus relatives. */
export function wordNetPhrases(
  question: string,
  lexical: LexicalIndex,
): Map<string, Array<[term: string, weight: number]>> {
  const sequence = words(question).map(({ word }) => word);
  const found = new Map<string, Array<[term: string, weight: number]>>();
  for (let n = 2; n <= 4; n++) {
    for (let i = 0; i + n <= sequence.length; i++) {
      const key = phraseKey(sequence.slice(i, i + n));
      const relatives = lexical.related(key);
      if (relatives.length > 0) found.set(key, relatives);
    }
  }
  return found;
}

/** A corpus's initialisms by their letters, and by each shorter ending of their letters. */
interface InitialismTable {
  whole: Map<string, string[]>;
  endings: Map<string, string[]>;
  /** Per number of letters: the share of all letter strings that long that spell some entry. */
  density: Map<number, number>;
}

/**
 * The chance, at most, that a run of words spells some initialism of the corpus by accident, for
 * the match to count on its letters alone. The bundled episode's 18 initialisms and their endings
 * are 2% of two-letter strings; 508 episodes' are 57% of them and 7% of three-letter ones.
 */
const CHANCE_SPELLING = 0.04;

/** Built once per index: an archive has thousands of initialisms, and every question looks them up. */
const tables = new WeakMap<Record<string, string>, InitialismTable>();

function initialismTable(lexical: LexicalIndex): InitialismTable {
  const { acronyms } = lexical;
  let table = tables.get(acronyms);
  if (table) return table;
  table = { whole: new Map(), endings: new Map(), density: new Map() };
  const add = (map: Map<string, string[]>, key: string, term: string) =>
    map.set(key, [...(map.get(key) ?? []), term]);
  for (const [letters, term] of Object.entries(acronyms)) {
    if (letters.length < 3) continue;
    add(table.whole, letters, term);
    for (let start = 1; start < letters.length; start++) add(table.endings, letters.slice(start), term);
  }
  const spellings = new Map<number, number>();
  for (const letters of new Set([...table.whole.keys(), ...table.endings.keys()]))
    spellings.set(letters.length, (spellings.get(letters.length) ?? 0) + 1);
  for (const [length, count] of spellings) table.density.set(length, count / 26 ** length);
  tables.set(acronyms, table);
  return table;
}

/**
 * How a word of a spelled-out name must go with an initialism, where words spell one by chance:
 * said with it in at least this many passages…
 */
const MIN_SAID_TOGETHER = 2;
/** …and this many times as often as chance would have them meet (passages × both ÷ each's passages). */
const MIN_LIFT = 10;

/** Whether `word` goes with `initialism` in the corpus (see MIN_SAID_TOGETHER, MIN_LIFT). */
function goesWith(lexical: LexicalIndex, initialism: string, word: string): boolean {
  const together = lexical.text.documentsWithAll([initialism, word]).length;
  const chance = (lexical.text.df(initialism) * lexical.text.df(word)) / lexical.text.size;
  return together >= MIN_SAID_TOGETHER && together >= MIN_LIFT * chance;
}

/**
 * Corpus initialisms a question spells out: "file system" finds "EFS" (the initials of two or
 * more consecutive words are the initialism or its end). Where the corpus has so many initialisms
 * that words spell one by chance, only when each of those words goes with it there: in an archive
 * "making people anxious" is not "MPA" (a multi-page app, said nowhere near "anxious"), nor
 * "Google keep ending" "GKE" (said with "Google", but with "keep" and "end" only by chance), while
 * "software bills of materials" is "SBOM".
 */
export function spelledOutInitialisms(question: string, lexical: LexicalIndex): Array<[string, number]> {
  const { whole, endings, density } = initialismTable(lexical);
  const asked = words(question).map((w) => w.word);
  const initials = asked.map((w) => w[0] ?? "");
  const found: Array<[string, number]> = [];
  // Overlapping runs of words ask the same pairs again.
  const pairs = new Map<string, boolean>();
  const goes = (initialism: string, term: string) => {
    const key = `${initialism} ${term}`;
    const known = pairs.get(key);
    if (known !== undefined) return known;
    const value = goesWith(lexical, initialism, term);
    pairs.set(key, value);
    return value;
  };
  for (let i = 0; i < initials.length; i++) {
    for (let k = 2; k <= 5 && i + k <= initials.length; k++) {
      // Spelled-out names start and end with content words ("correction of errors").
      if (isStopWord(asked[i] as string) || isStopWord(asked[i + k - 1] as string)) continue;
      const spelled = initials.slice(i, i + k).join("");
      const candidates: Array<[string, number]> = [
        ...(whole.get(spelled) ?? []).map((term): [string, number] => [term, 1]),
        ...(endings.get(spelled) ?? []).map((term): [string, number] => [term, 0.6]),
      ];
      if (candidates.length === 0) continue;
      if ((density.get(k) ?? 0) <= CHANCE_SPELLING) {
        found.push(...candidates);
        continue;
      }
      const spelledTerms = terms(asked.slice(i, i + k).join(" "));
      if (spelledTerms.length === 0) continue;
      for (const candidate of candidates)
        if (spelledTerms.every((term) => goes(candidate[0], term))) found.push(candidate);
    }
  }
  return found;
}
