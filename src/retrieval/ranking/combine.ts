import type { PassageScope } from "../index/passage-scope.js";
import type { RetrievalSettings } from "../settings.js";
import { ADJUSTMENTS, type AdjustmentFacts, type AdjustmentName } from "./adjustments.js";
import type { StageOneSignals } from "./signals.js";

/**
 * The one place where a passage's signals (ranking/signals.ts) and adjustments
 * (ranking/adjustments.ts) become its score. Stage 1 scores every passage in scope with the
 * cheap signals, to pick the finalists; stage 2 adds the finalists' sentence and coverage
 * signals and applies the adjustments. A short reply then inherits part of its turn's score.
 */

/** What stage 1 multiplies each signal by: its weight over its best value in scope (0 when no passage has it). */
export interface StageOneScales {
  text: number;
  context: number;
  /** The context scale for the reply that opens after a turn asking something (`answerContextWeight`). */
  answerContext: number;
  vector: number;
}

/** The best value of each stage-1 signal among the passages in scope. */
export interface SignalMaxes {
  text: number;
  context: number;
  vector: number;
}

export function stageOneMaxes(signals: StageOneSignals, scope: PassageScope | undefined): SignalMaxes {
  // Plain loops over typed arrays: on a 50,000-passage archive nearly every passage holds some searched word.
  let maxText = 0;
  let maxContext = 0;
  let maxVector = 0;
  const { text, context, vector } = signals;
  const inScope = scope?.mask;
  for (let position = scope?.from ?? 0; position < (scope?.to ?? text.length); position++) {
    if (inScope && inScope[position] === 0) continue;
    // Comparisons, not Math.max: this runs over every passage twice a question.
    if ((text[position] as number) > maxText) maxText = text[position] as number;
    if ((context[position] as number) > maxContext) maxContext = context[position] as number;
    if ((vector[position] as number) > maxVector) maxVector = vector[position] as number;
  }
  return { text: maxText, context: maxContext, vector: maxVector };
}

/** What stage 1 multiplies each signal by, given each signal's best value. */
export function scalesOf(
  maxes: SignalMaxes,
  { weights, answerContextWeight }: Pick<RetrievalSettings, "weights" | "answerContextWeight">,
): StageOneScales {
  const contextScale = maxes.context > 0 ? weights.context / maxes.context : 0;
  return {
    text: maxes.text > 0 ? weights.text / maxes.text : 0,
    context: contextScale,
    answerContext: contextScale * answerContextWeight,
    vector: maxes.vector > 0 ? weights.vector / maxes.vector : 0,
  };
}

/** Stage 1's sum for one passage: the cheap signals, normalised and weighted. */
export function stageOneSum(
  signals: StageOneSignals,
  scales: StageOneScales,
  position: number,
  answersQuestion: boolean,
): number {
  return (
    (signals.text[position] as number) * scales.text +
    (signals.context[position] as number) * (answersQuestion ? scales.answerContext : scales.context) +
    (signals.vector[position] as number) * scales.vector
  );
}

/** The product of the adjustments stage 1 applies that hold for a passage (1 when none does). */
export function stageOneFactor(facts: AdjustmentFacts, settings: RetrievalSettings): number {
  let factor = 1;
  for (const adjustment of ADJUSTMENTS)
    if (adjustment.inStageOne && adjustment.applies(facts)) factor *= adjustment.factor(settings);
  return factor;
}

/** A finalist's stage-2 signals, and the best of each among the finalists (what they are normalised to). */
export interface StageTwoValues {
  sentence: number;
  coverage: number;
}

/** Stage 2's score of a finalist: stage 1's sum, the stage-2 signals normalised and weighted, then every adjustment that holds. */
export function finalScore(
  stageOne: number,
  values: StageTwoValues,
  best: StageTwoValues,
  facts: AdjustmentFacts,
  settings: RetrievalSettings,
): { score: number; adjustments: AdjustmentName[] } {
  const { weights } = settings;
  let score = stageOne;
  if (best.sentence > 0) score += (weights.sentence * values.sentence) / best.sentence;
  if (best.coverage > 0) score += (weights.coverage * values.coverage) / best.coverage;
  const adjustments: AdjustmentName[] = [];
  for (const adjustment of ADJUSTMENTS) {
    if (!adjustment.applies(facts)) continue;
    score *= adjustment.factor(settings);
    adjustments.push(adjustment.name);
  }
  return { score, adjustments };
}

/**
 * A short reply ("We haven't seen a lot of requests for that use case.") is about the turn it
 * answers: it gains `share` of that turn's score (as scored before any reply inherited).
 */
export function inheritReplies(
  hits: Array<{ position: number; score: number; evidence: { inherited: number } }>,
  repliesTo: (position: number) => number | undefined,
  share: number,
): void {
  if (share <= 0) return;
  const scoreAt = new Map(hits.map((hit) => [hit.position, hit.score]));
  for (const hit of hits) {
    const answered = repliesTo(hit.position);
    if (answered === undefined) continue;
    hit.evidence.inherited = share * (scoreAt.get(answered) ?? 0);
    hit.score += hit.evidence.inherited;
  }
}
