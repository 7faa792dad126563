import { isStopWord, phraseKey, words } from "../analysis/tokens.js";
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
}

/** Built once per index: an archive has thousands of initialisms, and every question looks them up. */
const tables = new WeakMap<Record<string, string>, InitialismTable>();

function initialismTable(acronyms: Record<string, string>): InitialismTable {
  let table = tables.get(acronyms);
  if (table) return table;
  table = { whole: new Map(), endings: new Map() };
  const add = (map: Map<string, string[]>, key: string, term: string) =>
    map.set(key, [...(map.get(key) ?? []), term]);
  for (const [letters, term] of Object.entries(acronyms)) {
    if (letters.length < 3) continue;
    add(table.whole, letters, term);
    for (let start = 1; start < letters.length; start++) add(table.endings, letters.slice(start), term);
  }
  tables.set(acronyms, table);
  return table;
}

/**
 * Corpus initialisms a question spells out: "file system" finds "EFS" (the
 * initials of two or more consecutive words are the initialism or its end).
 */
export function spelledOutInitialisms(question: string, lexical: LexicalIndex): Array<[string, number]> {
  const { whole, endings } = initialismTable(lexical.acronyms);
  const asked = words(question).map((w) => w.word);
  const initials = asked.map((w) => w[0] ?? "");
  const found: Array<[string, number]> = [];
  for (let i = 0; i < initials.length; i++) {
    for (let k = 2; k <= 5 && i + k <= initials.length; k++) {
      // Spelled-out names start and end with content words ("correction of errors").
      if (isStopWord(asked[i] as string) || isStopWord(asked[i + k - 1] as string)) continue;
      const spelled = initials.slice(i, i + k).join("");
      for (const term of whole.get(spelled) ?? []) found.push([term, 1]);
      for (const term of endings.get(spelled) ?? []) found.push([term, 0.6]);
    }
  }
  return found;
}
