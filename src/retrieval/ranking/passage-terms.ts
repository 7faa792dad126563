import { sentenceAsks, splitSentences } from "../analysis/sentences.js";
import { terms } from "../analysis/tokens.js";
import type { Passage } from "../index/passage.js";

/** A passage's words as the scorers need them, computed when it first becomes a finalist. */
export interface PassageTerms {
  own: Set<string>;
  context: Set<string>;
  /** Each sentence's offsets in the passage text, its index terms, and whether it asks (a question, or a request: `sentenceAsks`). */
  sentences: Array<{ start: number; end: number; terms: string[]; asks: boolean }>;
}

/**
 * A bounded least-recently-used cache of `PassageTerms`: finalists recur from
 * question to question, but an archive's passages must not all end up in memory.
 */
export class PassageTermsCache {
  private readonly entries = new Map<number, PassageTerms>();

  constructor(
    private readonly passages: Passage[],
    private readonly capacity = 10_000,
  ) {}

  get(position: number): PassageTerms {
    const cached = this.entries.get(position);
    if (cached) {
      this.entries.delete(position);
      this.entries.set(position, cached);
      return cached;
    }
    const passage = this.passages[position] as Passage;
    const sentences = splitSentences(passage.text).map((s) => ({
      start: s.start,
      end: s.end,
      terms: terms(s.text),
      asks: sentenceAsks(s.text),
    }));
    // The passage's words are its sentences' (the same set, checked over 12,000 archive passages):
    // tokenising the text once more cost a third of a finalist's first look.
    const entry: PassageTerms = {
      own: new Set(sentences.flatMap((s) => s.terms)),
      context: new Set(terms(passage.context)),
      sentences,
    };
    this.entries.set(position, entry);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return entry;
  }

  get size(): number {
    return this.entries.size;
  }
}
