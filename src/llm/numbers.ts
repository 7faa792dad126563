/**
 * Numbers as a summary may write them ("25", "two", "25K", "1.5") reduced to one form, so a
 * summary's "two degrees" matches a passage's "2 degrees" and its "35 years" does not match "25".
 */

const CARDINALS: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
  hundred: 100,
  thousand: 1_000,
  million: 1_000_000,
  billion: 1_000_000_000,
  dozen: 12,
};

const SCALES: Record<string, number> = { k: 1_000, m: 1_000_000, b: 1_000_000_000 };

/** The value of a lower-case word that is a number ("25", "25k", "1.5", "two"), else undefined. */
export function numberValue(word: string): string | undefined {
  const digits = /^(\d+(?:\.\d+)?)([kmb]?)$/.exec(word);
  if (digits) return String(Number(digits[1]) * (SCALES[digits[2] ?? ""] ?? 1));
  const spelled = CARDINALS[word];
  return spelled === undefined ? undefined : String(spelled);
}
