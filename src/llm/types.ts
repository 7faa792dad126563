import type { AnswerPassage } from "../answer/types.js";
import type { GroundingSources } from "./grounding.js";

/**
 * What became of a summary request. `none` covers every failure (server
 * down, timeout, a reply that failed a check, a limit reached): the answer
 * then goes out with its quotes alone.
 */
export type Summary =
  | { kind: "summary"; text: string; cited: number[] }
  | { kind: "not_answered" }
  | { kind: "none"; reason: string };

export interface SummarizeOptions {
  /** Counts against the per-user rate limit. */
  user?: string;
  /**
   * Streams the summary: called with the text so far (whole words, links,
   * mentions and markup already stripped) while the model writes. Unchecked:
   * only the returned `Summary` counts, and when it is not a `summary` what
   * was shown must be replaced.
   */
  onPartial?: (text: string) => void;
  /** Related words and the episodes' speakers, for checking the summary against the passages. */
  grounding?: GroundingSources;
}

/** A short grounded answer written on top of the quotes; never throws. */
export interface Summarizer {
  /**
   * Summarises what `passages` (cited as [1], [2], … in this order) say about
   * `question`. Returns within its own deadline or when `signal` aborts.
   */
  summarize(
    question: string,
    passages: readonly AnswerPassage[],
    signal: AbortSignal,
    options?: SummarizeOptions,
  ): Promise<Summary>;
}

/** Turns a follow-up into a standalone question before retrieval; never throws. */
export interface Rewriter {
  /**
   * `earlier` holds the conversation's earlier questions as understood, oldest
   * first. Returns undefined when no usable rewrite came back in time.
   */
  rewrite(
    followUp: string,
    earlier: readonly string[],
    signal: AbortSignal,
    user?: string,
  ): Promise<string | undefined>;
}
