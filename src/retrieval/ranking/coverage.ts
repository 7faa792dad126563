import type { Bm25, Rarity } from "../index/bm25.js";
import type { QueryAnalysis } from "../query/types.js";

/**
 * How much of a question a passage holds, measured twice for two jobs, as two named quantities:
 *
 * - `coverage`, a ranking signal (ranking/signals.ts): the question's topic weight the passage
 *   holds, unbounded, each asked word counted by its salience and its rarity in the episode (IDF)
 *   and found through its best searched form (the word, a relative, a respelling) at that form's
 *   search weight. It only compares passages with each other (stage 2 divides it by the best
 *   finalist's), so a passage holding three of the asked things beats one repeating one of them.
 * - `topicShare`, the refusal judge's (answer/abstain.ts): the share, 0..1, of the question's topic
 *   the passage holds, compared with fixed thresholds. Everyday words weigh little and the
 *   episode's own subject too (rarity capped), a relative counts a fixed `relatedCredit` of its
 *   expansion weight, and a respelling counts as the word itself.
 *
 * They also credit a word found only in the turn the passage replies to differently:
 * `RANKING_CONTEXT_CREDIT` (0.5) for ranking, where the passage that says the words itself should
 * come first, and `contextCredit` (0.7) for the judge, where a reply to a question naming the topic
 * does answer it. Each was set by measurement for its own job (eval/RESULTS.md); making them one
 * would move figures, so they stay two, named apart.
 */

/** A passage's words and those of the turn it replies to (index terms). */
export interface PassageWords {
  own: Set<string>;
  context: Set<string>;
}

/** Ranking's credit for an asked word found only in the turn the passage replies to. */
export const RANKING_CONTEXT_CREDIT = 0.5;

/** The `coverage` ranking signal (see above). */
export function coverage({ own, context }: PassageWords, analysis: QueryAnalysis, text: Rarity): number {
  const credit = new Map<string, number>();
  const give = (target: string, found: number) => {
    const entry = analysis.searched.get(target);
    if (entry) credit.set(entry.from, Math.max(credit.get(entry.from) ?? 0, found * entry.weight));
  };
  // Walk the passage's words, not the (often much longer) list of searched words.
  for (const term of context) if (!own.has(term)) give(term, RANKING_CONTEXT_CREDIT);
  for (const term of own) give(term, 1);
  let total = 0;
  for (const [term, value] of credit) {
    const rarity = text.idf(term) || 1;
    total += value * (analysis.salience.get(term) ?? 1) * (analysis.known.has(term) ? rarity : 1);
  }
  return total;
}

/**
 * How much an asked word weighs in `topicShare`: its salience, and for a word the episode uses,
 * its rarity there (the episode's own subject is not evidence of an answer).
 */
export function topicMass(term: string, analysis: QueryAnalysis, text: Bm25): number {
  const salience = analysis.salience.get(term) ?? 1;
  if (!analysis.known.has(term)) return salience;
  const maxIdf = Math.log(1 + (text.size + 0.5) / 0.5);
  return salience * Math.min(1, text.idf(term) / (0.5 * maxIdf));
}

/** The judge's credits: for a word found only in the turn replied to, and for a relative (times its expansion weight). */
export interface ShareCredits {
  contextCredit: number;
  relatedCredit: number;
}

/** The `topicShare` of a passage (see above), 0..1. */
export function topicShare(
  { own, context }: PassageWords,
  analysis: QueryAnalysis,
  text: Bm25,
  credits: ShareCredits,
): number {
  let total = 0;
  let covered = 0;
  for (const [term, weight] of analysis.asked) {
    const mass = topicMass(term, analysis, text) * weight;
    total += mass;
    let credit = own.has(term) ? 1 : context.has(term) ? credits.contextCredit : 0;
    const respelled = analysis.respelled.get(term);
    for (const [target, { weight: w, from }] of analysis.searched) {
      if (from !== term || target === term || credit >= 1) continue;
      // A misspelt word found as written correctly is the word itself, not a relative.
      const relative = respelled?.includes(target) ? 1 : (w / weight) * credits.relatedCredit;
      if (own.has(target)) credit = Math.max(credit, relative);
      else if (context.has(target)) credit = Math.max(credit, relative * credits.contextCredit);
    }
    covered += mass * credit;
  }
  return total > 0 ? covered / total : 0;
}
