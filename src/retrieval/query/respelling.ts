import { distance } from "fastest-levenshtein";
import type { LexicalIndex } from "../index/lexical.js";
import { isRare } from "./information.js";

/** "strat" for "start": the commonest slip, which edit distance counts as two. */
function swapsTwoLetters(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const i = [...a].findIndex((letter, k) => letter !== b[k]);
  return (
    i >= 0 && i + 1 < a.length && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2)
  );
}

/** Corpus words a word the corpus does not use may be a typo of ("provisoned" -> "provisioned"). */
export function nearSpellings(term: string, vocabulary: Set<string>, lexical: LexicalIndex): string[] {
  // A real English word is not a typo of a corpus word ("bread" is not "break"), unless it is
  // so rare in speech that a slip of the keyboard is likelier ("strats" stems to "strat").
  if (term.length < 5 || /^\d/.test(term) || !isRare(term, lexical)) return [];
  const limit = term.length >= 8 ? 2 : 1;
  const result: string[] = [];
  for (const candidate of vocabulary) {
    if (Math.abs(candidate.length - term.length) > limit || candidate[0] !== term[0]) continue;
    if (distance(candidate, term) <= limit || swapsTwoLetters(candidate, term)) result.push(candidate);
  }
  return result;
}

/** Clipped words ("sync", "config", "perf") find the corpus words they clip ("synchronous"). */
export function longerForms(term: string, vocabulary: Set<string>): string[] {
  if (term.length < 4 || /^\d/.test(term)) return [];
  const result: string[] = [];
  for (const candidate of vocabulary) {
    if (candidate.length > term.length + 1 && candidate.startsWith(term)) result.push(candidate);
  }
  // A short prefix of many words ("inter") is not a clipping of any one of them.
  return result.length <= 3 ? result : [];
}
