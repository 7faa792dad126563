import type { RetrievalSettings } from "../settings.js";

/**
 * Adjustments: multipliers of a passage's fused score, each for one thing true of the passage,
 * applied in this order by ranking/combine.ts. They are data so that one list says what can move
 * a passage besides its signals, and each hit records which ones moved it.
 */

/** What the adjustments look at in a passage. */
export interface AdjustmentFacts {
  /** It is by a speaker the question favours (named, the guest's side for "they", the notes for "who is…"). */
  favouredSpeaker: boolean;
  /** Its best sentence pair ends asking a question. */
  asks: boolean;
  /** It ends its turn with a question that the other speaker answers next. */
  handsOver: boolean;
  /** The question asks for a kind of answer and it states one. */
  statesAnswer: boolean;
}

export interface Adjustment {
  name: string;
  /** The settings the factor comes from. */
  settings: ReadonlyArray<keyof RetrievalSettings>;
  applies(facts: AdjustmentFacts): boolean;
  factor(settings: RetrievalSettings): number;
  /** Also applied to the cheap stage-1 score that picks the finalists. */
  inStageOne: boolean;
}

/** In the order they multiply. */
export const ADJUSTMENTS = [
  {
    name: "speaker",
    settings: ["speakerBoost"],
    applies: (f: AdjustmentFacts) => f.favouredSpeaker,
    factor: (s: RetrievalSettings) => 1 + s.speakerBoost,
    inStageOne: true,
  },
  // A question is not its answer (see RetrievalSettings): a passage that asks, or sets up the other
  // speaker's answer, counts less, unless it is by the speaker asked about ("what did Jeremy ask…").
  {
    name: "asking sentence",
    settings: ["askingPassageWeight"],
    applies: (f: AdjustmentFacts) => f.asks && !f.favouredSpeaker,
    factor: (s: RetrievalSettings) => s.askingPassageWeight,
    inStageOne: false,
  },
  {
    name: "asking turn",
    settings: ["askingTurnWeight"],
    applies: (f: AdjustmentFacts) => !f.asks && f.handsOver && !f.favouredSpeaker,
    factor: (s: RetrievalSettings) => s.askingTurnWeight,
    inStageOne: false,
  },
  {
    name: "answer type",
    settings: ["answerTypeBoost"],
    applies: (f: AdjustmentFacts) => f.statesAnswer,
    factor: (s: RetrievalSettings) => 1 + s.answerTypeBoost,
    inStageOne: false,
  },
] as const satisfies readonly Adjustment[];

export type AdjustmentName = (typeof ADJUSTMENTS)[number]["name"];
