import type { Rarity, WeightedTerm } from "../index/bm25.js";
import type { QueryAnalysis } from "../query/types.js";
import type { RetrievalSettings } from "../settings.js";
import type { Hit } from "./hit.js";

/**
 * Pseudo-relevance feedback: the most telling words of the best `feedbackPassages` passages that
 * the question did not search, weighted by rarity and by how close each passage came to the best
 * one. Searched too, lightly, they let a passage that says the same thing in the episode's words
 * rank with them.
 */
export function feedbackTerms(
  ranked: Hit[],
  analysis: QueryAnalysis,
  text: Rarity,
  settings: Pick<RetrievalSettings, "feedbackPassages" | "feedbackTerms" | "feedbackWeight">,
): WeightedTerm[] {
  const { feedbackPassages, feedbackTerms, feedbackWeight } = settings;
  const top = ranked.slice(0, feedbackPassages);
  const best = top[0]?.score ?? 0;
  if (feedbackWeight <= 0 || feedbackTerms <= 0 || best <= 0) return [];
  const gain = new Map<string, number>();
  for (const hit of top) {
    for (const term of hit.evidence.terms.own) {
      if (analysis.searched.has(term) || /^\d/.test(term)) continue;
      gain.set(term, (gain.get(term) ?? 0) + text.idf(term) * (hit.score / best));
    }
  }
  const chosen = [...gain].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, feedbackTerms);
  const most = chosen[0]?.[1] ?? 0;
  return chosen.map(([term, value]) => ({ term, weight: (feedbackWeight * value) / most }));
}
