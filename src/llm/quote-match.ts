/** Double quotation marks of every style, folded to `"` before quotes are looked for. */
export const DOUBLE_QUOTES = /[“”„‟«»＂]/g;

/** Case, whitespace, quote and dash style do not count when comparing a quote with a passage. */
export function normaliseForMatch(text: string): string {
  return text
    .normalize("NFKC")
    .replace(DOUBLE_QUOTES, "")
    .replace(/"/g, "")
    .replace(/[‘’‚‛`´]/g, "'")
    .replace(/\s*[-‐‑‒–—―]+\s*/g, " - ")
    .replace(/\s+/g, " ")
    .toLowerCase()
    .trim();
}

/** The parts of a quoted span that must each appear in a passage (an ellipsis separates parts). */
export function quoteFragments(span: string): string[] {
  return span
    .split(/\.\.\.|…/)
    .map((part) => normaliseForMatch(part).replace(/^[\s,.;:!?'-]+|[\s,.;:!?'-]+$/g, ""))
    .filter((part) => /[\p{L}\p{N}]/u.test(part));
}

/** Whether every part of a quoted span appears word for word in one of `sources` (normalised). */
export function quoteFound(span: string, sources: readonly string[]): boolean {
  return quoteFragments(span).every((fragment) => sources.some((source) => source.includes(fragment)));
}
