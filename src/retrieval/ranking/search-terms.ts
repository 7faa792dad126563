import type { WeightedTerm } from "../index/bm25.js";
import type { QueryAnalysis } from "../query/types.js";
import type { RetrievalSettings } from "../settings.js";

/**
 * The searched terms with their ranking weights: salience-scaled, faint relatives dropped, and
 * faint relatives that many passages hold (`documentsHolding`, from the index) too.
 */
export function searchTerms(
  analysis: QueryAnalysis,
  settings: Pick<
    RetrievalSettings,
    "salienceInRanking" | "minTermWeight" | "maxRelatedPerWord" | "faintCommonRelative"
  >,
  documentsHolding: (term: string) => number = () => 0,
): WeightedTerm[] {
  const mix = settings.salienceInRanking;
  // Faint relatives (a sister term of a common word) cost a posting-list walk each and add
  // little; so do the weakest of a word's many relatives.
  const perWord = new Map<string, number>();
  return [...analysis.searched]
    .filter(([, { weight }]) => weight >= settings.minTermWeight)
    .sort((a, b) => b[1].weight - a[1].weight)
    .filter(([term, { from }]) => {
      if (term === from) return true;
      const count = (perWord.get(from) ?? 0) + 1;
      perWord.set(from, count);
      return count <= settings.maxRelatedPerWord;
    })
    .map(([term, { weight, from }]) => ({
      term,
      from,
      weight: weight * (1 - mix + mix * (analysis.salience.get(from) ?? 1)),
    }))
    .filter(
      ({ term, from, weight }) =>
        term === from ||
        weight >= settings.faintCommonRelative.weight ||
        documentsHolding(term) <= settings.faintCommonRelative.documents,
    )
    .map(({ term, weight }) => ({ term, weight }));
}
