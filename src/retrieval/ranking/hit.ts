import type { Passage } from "../index/passage.js";
import type { AdjustmentName } from "./adjustments.js";
import type { FusionSignal } from "./fusion-weights.js";
import type { PassageTerms } from "./passage-terms.js";

/** A passage with the retriever's score (higher is better, comparable within one query). */
export interface Hit {
  passage: Passage;
  /** The passage's position in the index. */
  position: number;
  score: number;
  /** Each signal's raw value for this passage, before it was normalised and weighted (ranking/signals.ts). */
  signals: Record<FusionSignal, number>;
  /** The passage's best-matching sentence, offsets within `passage.text`. */
  sentence?: { start: number; end: number };
  /** What the ranking found in the passage, for the refusal judge to read rather than work out again. */
  evidence: HitEvidence;
}

export interface HitEvidence {
  /** The passage's words, those of the turn it replies to, and its sentences, as the ranking read them. */
  terms: PassageTerms;
  /**
   * The question asks for a kind of answer (an amount, a date…) and the passage states one, as the
   * ranking reads it (ranking/passage-facts.ts; the judge is stricter, see answer/abstain.ts).
   */
  statesAnswer: boolean;
  /** The adjustments that multiplied the score (ranking/adjustments.ts), in the order applied. */
  adjustments: AdjustmentName[];
  /** What a short reply inherited from the turn it answers (`replyInheritance`), 0 for the others. */
  inherited: number;
  /** It is in an episode of the show or person the question names (true when it names none). */
  inNamedEpisode: boolean;
  /**
   * It is a short reply that says only words of the turn before it, which asked nothing: "Salt,
   * please." after "You could say 'Give salt, please.'" (see `TurnLinks.echoes`).
   */
  echo: boolean;
}
