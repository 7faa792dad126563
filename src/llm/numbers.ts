import { CARDINALS } from "../retrieval/profile/english.js";

/**
 * Numbers as a summary may write them ("25", "two", "25K", "1.5") reduced to one form, so a
 * summary's "two degrees" matches a passage's "2 degrees" and its "35 years" does not match "25".
 */

const SCALES: Record<string, number> = { k: 1_000, m: 1_000_000, b: 1_000_000_000 };

/** The value of a lower-case word that is a number ("25", "25k", "1.5", "two"), else undefined. */
export function numberValue(word: string): string | undefined {
  const digits = /^(\d+(?:\.\d+)?)([kmb]?)$/.exec(word);
  if (digits) return String(Number(digits[1]) * (SCALES[digits[2] ?? ""] ?? 1));
  const spelled = CARDINALS[word];
  return spelled === undefined ? undefined : String(spelled);
}
