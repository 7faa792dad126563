import { stem } from "../analysis/tokens.js";
import { NUMBER_VALUES } from "../profile/english.js";

const DIGITS_OF = new Map(Object.entries(NUMBER_VALUES).map(([word, n]) => [stem(word), String(n)]));
const WORD_OF = new Map(Object.entries(NUMBER_VALUES).map(([word, n]) => [String(n), stem(word)]));

/** The other spelling of a number: "5" -> "five" (as a stem), "hundr" -> "100". */
export function numberForms(term: string): string[] {
  const other = WORD_OF.get(term) ?? DIGITS_OF.get(term);
  return other === undefined ? [] : [other];
}
