import type { PassageRetriever } from "../answer/ports.js";
import type { AnswerPassage } from "../answer/types.js";
import type { GroundingSources } from "./grounding.js";

/**
 * What the summary check may know besides the passages, from the index serving them: related
 * words (its WordNet expansions), how common a word is, and the speakers, titles and shows of
 * the passages' episodes.
 */
export function groundingSources(
  retriever: PassageRetriever,
  passages: readonly AnswerPassage[],
): GroundingSources {
  const ids = new Set(passages.map((p) => p.episode.id));
  const episodes = retriever.index.episodes.filter((e) => ids.has(e.id));
  return {
    related: retriever.index.lexical.related,
    information: retriever.index.lexical.information,
    people: episodes.flatMap((e) => Object.values(e.speakers)),
    context: episodes.flatMap((e) => [e.title, e.show]),
  };
}
