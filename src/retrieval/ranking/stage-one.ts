import type { PassageScope } from "../index/passage-scope.js";
import type { SignalMaxes } from "./combine.js";
import type { StageOneSignals } from "./signals.js";
import { TopK } from "./top-k.js";

/**
 * Stage 1's choice of finalists: over every passage in scope for a question's first ranking, and,
 * for its second ranking after feedback, over the first one's best and the passages feedback
 * raised, when that provably picks the same finalists. `valueAt` is a passage's stage-1 value
 * (ranking/rank.ts); the best `kept` (at least `depth`) are kept, best first.
 */

/**
 * How many of its best passages a question's first ranking keeps, so the second ranking (after
 * feedback) can look at these and the passages feedback raised instead of every passage.
 */
export const KEPT = 400;

/** What a question's first ranking leaves its second (see `Ranker.rank`). */
export interface FirstRanking {
  /** Its best positions in stage 1, best first; every other position scored at most `floor`. */
  kept: number[];
  /** 0 when every position that scored is kept. */
  floor: number;
  /** Each stage-1 signal's best value in scope. */
  maxes: SignalMaxes;
}

/** A second ranking of the same question, with signals that only grew where `raised` says. */
export interface SecondRanking {
  first: FirstRanking;
  /** The positions whose text or context signal feedback raised. */
  raised: ArrayLike<number> & Iterable<number>;
}

/** Each signal's best value once feedback has raised some passages' text and context. */
export function raisedMaxes(
  { first, raised }: SecondRanking,
  signals: StageOneSignals,
  inScope: Uint8Array | undefined,
): SignalMaxes {
  let { text, context } = first.maxes;
  for (const position of raised) {
    if (inScope && inScope[position] === 0) continue;
    if ((signals.text[position] as number) > text) text = signals.text[position] as number;
    if ((signals.context[position] as number) > context) context = signals.context[position] as number;
  }
  return { text, context, vector: first.maxes.vector };
}

/** Stage 1 over every passage in scope: the `kept` best, best first, and the value of the last. */
export function stageOneOverAll(
  valueAt: (position: number) => number,
  depth: number,
  keep: number,
  scope: PassageScope | undefined,
  count: number,
): { best: number[]; floor: number } {
  const kept = Math.max(depth, keep);
  const top = new TopK(kept);
  const inScope = scope?.mask;
  for (let position = scope?.from ?? 0; position < (scope?.to ?? count); position++) {
    if (inScope && inScope[position] === 0) continue;
    const value = valueAt(position);
    if (value >= top.floor) top.offer(position, value);
  }
  return keptOf(top, kept);
}

/**
 * Stage 1 of the second ranking, over the first one's kept passages and those feedback raised,
 * when that provably picks what a ranking of every passage would. Feedback only adds to the
 * text and context signals, so their best values can only grow and every passage it did not
 * raise scores at most what it scored the first time: at most the first ranking's floor. When
 * the finalists all score above that floor, no other passage can be one. Null otherwise.
 */
export function stageOneAgain(
  { first, raised }: SecondRanking,
  valueAt: (position: number) => number,
  depth: number,
  keep: number,
  inScope: Uint8Array | undefined,
): { best: number[]; floor: number } | null {
  const kept = Math.max(depth, keep);
  const top = new TopK(kept);
  const firstKept = new Set(first.kept);
  for (const position of first.kept) top.offer(position, valueAt(position));
  for (const position of raised) {
    if (firstKept.has(position) || (inScope && inScope[position] === 0)) continue;
    top.offer(position, valueAt(position));
  }
  const found = keptOf(top, kept);
  const last = found.best[depth - 1];
  const lowest = last === undefined ? 0 : valueAt(last);
  return first.floor > 0 && lowest <= first.floor
    ? null
    : { best: found.best, floor: Math.max(first.floor, found.floor) };
}

/** The positions a stage 1 kept, best first, and the value of the last when it kept all it could. */
function keptOf(top: TopK, kept: number): { best: number[]; floor: number } {
  const best = top.best();
  return {
    best: best.map(({ position }) => position),
    floor: best.length === kept ? (best[kept - 1]?.value ?? 0) : 0,
  };
}
