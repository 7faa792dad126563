import type { EpisodeMeta } from "../corpus/types.js";
import type { Bm25 } from "../retrieval/index/bm25.js";
import type { LexicalIndex } from "../retrieval/index/lexical.js";
import type { Hit, Query, QueryAnalysis, Retrieval } from "../retrieval/retriever.js";

/**
 * The search the use case needs, and nothing more; the index's `Retriever`
 * (src/retrieval) is one. The summarizer and the rewriter are in src/llm/types.ts.
 */
export interface PassageRetriever {
  readonly index: {
    /** Every episode of the index: scoping reads their ids and titles, answers their titles and links. */
    readonly episodes: EpisodeMeta[];
    /** The passages' word statistics, by which the refusal judge weighs the question's words. */
    readonly lexical: {
      readonly text: Bm25;
      /** Related words and how telling a word is, which the summary check also reads. */
      readonly related: LexicalIndex["related"];
      readonly information: LexicalIndex["information"];
    };
  };
  /** The best passages for a question, with what was understood of it. */
  retrieve(query: Query): Promise<Retrieval>;
  /** What a question asks, without searching (the asking part of a longer message). */
  analyse(query: Query): QueryAnalysis;
  /** How much the episodes of the best passages talk about the question's words, for refusal. */
  topicality(analysis: QueryAnalysis, hits: Hit[]): number;
  /** A topic word of a question naming a show or person that none of their episodes says (null: none). */
  missingTopic(analysis: QueryAnalysis): string | null;
}
