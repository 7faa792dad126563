import type { Bm25 } from "../retrieval/bm25.js";
import type { QueryAnalysis } from "../retrieval/retriever.js";
import { terms } from "../retrieval/text.js";
import type { Hit } from "../retrieval/types.js";
import type { AnswerStatus } from "./types.js";

/**
 * Deciding whether the episode answers a question. The signal is coverage: how
 * much of the question's topic (its words weighted by rarity, so "lambda" in a
 * Lambda episode counts for little and "banana" for a lot) the best passages
 * hold, directly, in the question they reply to, or through a related word.
 */
export interface AbstentionSettings {
  /** Coverage at or above which the answer is `answered`. */
  answered: number;
  /** Coverage at or above which the closest passages are shown as `uncertain`. */
  uncertain: number;
  /** Credit for a word found only in the turn a passage replies to. */
  contextCredit: number;
  /** How many top passages may each lend coverage (the best one counts). */
  passagesConsidered: number;
}

export const DEFAULT_ABSTENTION: AbstentionSettings = {
  answered: 0.5,
  uncertain: 0.25,
  contextCredit: 0.7,
  passagesConsidered: 3,
};

export interface Verdict {
  status: AnswerStatus;
  coverage: number;
}

function coverageOf(
  hit: Hit,
  analysis: QueryAnalysis,
  idf: (term: string) => number,
  settings: AbstentionSettings,
): number {
  const own = new Set(terms(hit.passage.text));
  const context = new Set(terms(hit.passage.context));
  let total = 0;
  let covered = 0;
  for (const [term, weight] of analysis.asked) {
    const mass = idf(term) * weight;
    total += mass;
    let credit = own.has(term) ? 1 : context.has(term) ? settings.contextCredit : 0;
    for (const [target, { weight: w, from }] of analysis.searched) {
      if (from !== term || target === term || credit >= 1) continue;
      const relative = w / weight;
      if (own.has(target)) credit = Math.max(credit, relative);
      else if (context.has(target)) credit = Math.max(credit, relative * settings.contextCredit);
    }
    covered += mass * credit;
  }
  return total > 0 ? covered / total : 0;
}

export function judge(
  hits: Hit[],
  analysis: QueryAnalysis,
  bm25: Bm25,
  settings: AbstentionSettings = DEFAULT_ABSTENTION,
): Verdict {
  if (analysis.asked.size === 0 || hits.length === 0) return { status: "not_found", coverage: 0 };
  // A word the corpus never uses is as rare as a word can be.
  const idf = (term: string) => bm25.idf(term);
  const coverage = Math.max(
    ...hits.slice(0, settings.passagesConsidered).map((hit) => coverageOf(hit, analysis, idf, settings)),
  );
  const status: AnswerStatus =
    coverage >= settings.answered ? "answered" : coverage >= settings.uncertain ? "uncertain" : "not_found";
  return { status, coverage };
}
