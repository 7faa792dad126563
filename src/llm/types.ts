import type { AnswerPassage } from "../answer/types.js";

/**
 * What became of a summary request. `none` covers every failure (server
 * down, timeout, a reply that failed a check, a limit reached): the answer
 * then goes out with its quotes alone.
 */
export type Summary =
  | { kind: "summary"; text: string; cited: number[] }
  | { kind: "not_answered" }
  | { kind: "none"; reason: string };

/** A short grounded answer written on top of the quotes; never throws. */
export interface Summarizer {
  /**
   * Summarises what `passages` (cited as [1], [2], … in this order) say about
   * `question`. Returns within its own deadline or when `signal` aborts.
   * `user` counts against the per-user rate limit.
   */
  summarize(
    question: string,
    passages: readonly AnswerPassage[],
    signal: AbortSignal,
    user?: string,
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
