import { countWords, splitSentences } from "../retrieval/analysis/sentences.js";
import type { Hit } from "../retrieval/ranking/hit.js";

/** A quote grows past its best sentence only while it is shorter than this. */
const QUOTE_TARGET_WORDS = 28;
const MAX_SENTENCES = 3;
/** A single sentence longer than this is cut at a word boundary. */
const MAX_QUOTE_CHARS = 400;

/**
 * The one to three sentences of a passage shown to people: the best-matching
 * sentence, with the sentences after (or before) it while the quote is short,
 * and "…" wherever the passage goes on.
 */
export function selectQuote(hit: Hit): string {
  const text = hit.passage.text;
  const sentences = splitSentences(text);
  if (sentences.length === 0) return text;
  let first = Math.max(
    0,
    sentences.findIndex(
      (s) => hit.sentence !== undefined && s.start <= hit.sentence.start && hit.sentence.start < s.end,
    ),
  );
  let last = first;
  let wordCount = countWords(sentences[first]?.text ?? "");
  while (wordCount < QUOTE_TARGET_WORDS && last - first + 1 < MAX_SENTENCES) {
    // Prefer what follows: an answer's best sentence is usually its opening claim.
    const next = sentences[last + 1];
    const previous = sentences[first - 1];
    if (next) {
      last += 1;
      wordCount += countWords(next.text);
    } else if (previous) {
      first -= 1;
      wordCount += countWords(previous.text);
    } else break;
  }
  const start = sentences[first]?.start ?? 0;
  const end = sentences[last]?.end ?? text.length;
  let quote = text.slice(start, end).replace(/\s+/g, " ");
  if (quote.length > MAX_QUOTE_CHARS) {
    const cut = quote.lastIndexOf(" ", MAX_QUOTE_CHARS);
    quote = `${quote.slice(0, cut > 0 ? cut : MAX_QUOTE_CHARS)}…`;
  }
  const before = start > 0 ? "… " : "";
  const after = end < text.trimEnd().length && !quote.endsWith("…") ? " …" : "";
  return `${before}${quote}${after}`;
}
