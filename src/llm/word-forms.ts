import { stem } from "../retrieval/analysis/tokens.js";

/**
 * The stems of a list of base forms and their regular inflections ("add" -> add, adds, added,
 * adding), for word lists compared with stemmed text: Porter stemming does not bring every
 * form to one stem ("added" stems to "ad", "add" to "add").
 */
export function stemsOfForms(baseForms: string): Set<string> {
  const stems = new Set<string>();
  for (const base of baseForms.split(/\s+/).filter(Boolean)) {
    const root = base.replace(/e$/, "");
    const last = base.at(-1) ?? "";
    const doubled = /[^aeiou][aeiou][bdgmnprt]$/.test(base) ? `${base}${last}` : base;
    for (const form of [
      base,
      `${base}s`,
      `${base}es`,
      `${root}ed`,
      `${doubled}ed`,
      `${root}ing`,
      `${doubled}ing`,
    ]) {
      stems.add(stem(form));
    }
  }
  return stems;
}
