import type { FusionSignal } from "./fusion-weights.js";

/**
 * The signals a passage is ranked by. Each is normalised to its best value among the passages
 * compared and multiplied by its weight (`settings.weights`, FUSION_WEIGHTS); ranking/combine.ts
 * adds them up. Stage 1 has every passage in scope, so its signals are cheap and read from the
 * indexes; stage 2 has only the finalists, and reads their sentences.
 */
export const SIGNALS: Record<FusionSignal, { stage: 1 | 2; about: string }> = {
  text: { stage: 1, about: "BM25 of the passage's own words" },
  context: {
    stage: 1,
    about:
      "BM25 of the turn the passage replies to; it counts `answerContextWeight` times for the reply that opens after a turn asking something",
  },
  vector: {
    stage: 1,
    about: "cosine similarity of the question's vector, among the nearest `vectorCandidates`",
  },
  sentence: {
    stage: 2,
    about:
      "BM25 of the passage's best pair of adjacent sentences; a pair ending in a question counts `askingSentenceWeight`",
  },
  coverage: {
    stage: 2,
    about: "how much of the question's topic the passage holds, rarity-weighted (ranking/coverage.ts)",
  },
};

/** The stage-1 signals of every passage, one slot per passage. */
export interface StageOneSignals {
  text: Float64Array;
  context: Float64Array;
  vector: Float64Array;
  /** Each signal's best value in scope, when whoever filled them noted it (else read off every passage). */
  maxes?: { text: number; context: number; vector: number };
}
