import { splitSentences } from "../retrieval/analysis/sentences.js";
import { CITATION, citedIn } from "./citations.js";
import { DOUBLE_QUOTES } from "./quote-match.js";

/** One sentence of a model's summary, taken apart for checking. */
export interface SummarySentence {
  /** The sentence as written (quotes in `"`). */
  text: string;
  /** What the sentence claims in its own words: quotes and citations left out. */
  own: string;
  /** The quoted spans, without their quotation marks. */
  quotes: string[];
  /**
   * The passages the sentence cites; a sentence citing none takes the citations of the
   * sentence that ends its run (a model often cites once after two sentences), else the one before.
   */
  cited: number[];
}

// A quoted span is masked while sentences are split (a quote may hold several sentences); the
// mask starts with a quotation mark and a capital so the splitter still sees a sentence start.
const MASK = /"Q(\d+)"/g;

/**
 * The sentences of a summary whose quotation marks are balanced. A citation written after the
 * full stop ("… cold starts. [1]") belongs to the sentence before it, not the next one.
 */
export function summarySentences(summary: string): SummarySentence[] {
  const quotes: string[] = [];
  const masked = summary
    .replace(DOUBLE_QUOTES, '"')
    // A quote that ends a sentence ('… she said "We review it every week." [1] Then …') leaves
    // a full stop after its mask, so the sentence still ends there.
    .replace(/"([^"]*)"/g, (_all, span: string, at: number, whole: string) => {
      const mask = `"Q${quotes.push(span) - 1}"`;
      const after = whole.slice(at + span.length + 2);
      return /[.!?]\s*$/.test(span) && !/^\s*[.!?]/.test(after) ? `${mask}.` : mask;
    })
    .replace(/([.!?])((?:\s*\[[^\]]*\])+)/g, "$2$1");
  const sentences = splitSentences(masked).map((sentence) => ({
    text: sentence.text.replace(MASK, (_all, i: string) => `"${quotes[Number(i)]}"`),
    own: sentence.text.replace(MASK, " ").replace(CITATION, " ").replace(/\s+/g, " ").trim(),
    quotes: [...sentence.text.matchAll(MASK)].map((match) => quotes[Number(match[1])] ?? ""),
    cited: [...new Set(citedIn(sentence.text))],
  }));
  sentences.forEach((sentence, i) => {
    if (sentence.cited.length > 0) return;
    const next = sentences.slice(i + 1).find((s) => s.cited.length > 0);
    const before = sentences.slice(0, i).findLast((s) => s.cited.length > 0);
    sentence.cited = (next ?? before)?.cited ?? [];
  });
  return sentences;
}
