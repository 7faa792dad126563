import type { Embedder } from "../embeddings/types.js";
import type { Passage } from "./index/passage.js";
import type { LoadedIndex } from "./index/storage.js";
import { spellOut } from "./profile/english.js";
import { QueryAnalyser } from "./query/analyse.js";
import type { Query, QueryAnalysis } from "./query/types.js";
import { feedbackTerms } from "./ranking/feedback.js";
import type { Hit } from "./ranking/hit.js";
import { passageFacts } from "./ranking/passage-facts.js";
import { type PassageTerms, PassageTermsCache } from "./ranking/passage-terms.js";
import { Ranker } from "./ranking/rank.js";
import { searchTerms } from "./ranking/search-terms.js";
import { type StageOneSignals, sum } from "./ranking/signals.js";
import { DEFAULT_RETRIEVAL, type RetrievalSettings } from "./settings.js";

export type { Query, QueryAnalysis } from "./query/types.js";
export type { Hit, HitEvidence } from "./ranking/hit.js";
export { DEFAULT_RETRIEVAL, type RetrievalSettings } from "./settings.js";

export interface Retrieval {
  hits: Hit[];
  analysis: QueryAnalysis;
  /** The words the best passages lent the search (pseudo-relevance feedback), strongest first. */
  feedback: string[];
}

/**
 * Hybrid retrieval over one index, the path of a question: read it (query/), search the lexical
 * indexes and the vector index for every passage (stage 1), rank the best of them on their
 * sentences (stage 2, ranking/), then search again with the words the best passages lend
 * (feedback) and rank once more.
 */
export class Retriever {
  private readonly analyser: QueryAnalyser;
  private readonly ranker: Ranker;
  /** Words of passages that became finalists (filled lazily and bounded: most passages never are). */
  private readonly termsCache: PassageTermsCache;

  constructor(
    readonly index: LoadedIndex,
    private readonly embedder: Embedder,
    readonly settings: RetrievalSettings = DEFAULT_RETRIEVAL,
  ) {
    this.analyser = new QueryAnalyser(index, settings);
    this.ranker = new Ranker(index.passages, settings, index.lexical.text, index.episodes);
    this.termsCache = new PassageTermsCache(index.passages);
  }

  /** What the question asks, and about whom (see QueryAnalysis). */
  analyse(query: Query): QueryAnalysis {
    return this.analyser.analyse(query);
  }

  /** A passage's words and sentences, as the ranking reads them (cached; a hit carries its own in `evidence`). */
  passageTerms(position: number): PassageTerms {
    return this.termsCache.get(position);
  }

  async retrieve(query: Query): Promise<Retrieval> {
    const analysis = this.analyse(query);
    const weighted = searchTerms(analysis, this.settings);
    const { lexical, passages } = this.index;
    // Stage 1, every passage holding a searched word: BM25 over passages and
    // over the turn each replies to, and vector similarity.
    const signals: StageOneSignals = {
      text: lexical.text.score(weighted).scores,
      context: lexical.context.score(weighted).scores,
      vector: await this.vectorSimilarity(query, analysis),
    };
    // What stage 2 finds in a passage depends on the question alone: worked out once for both rankings.
    const factsOf = passageFacts(analysis, weighted, {
      passages,
      lexical,
      termsOf: (position) => this.termsCache.get(position),
      settings: this.settings,
    });
    const episodeFactors = this.ranker.episodeFactors(query, analysis, weighted);
    let hits = this.ranker.rank(query, analysis, signals, factsOf, episodeFactors);
    // Pseudo-relevance feedback: the best passages' own telling words are searched too, lightly,
    // so a passage that says the same thing in the episode's words ranks with them. BM25 adds up
    // over terms, so only the new terms' postings are walked.
    const feedback = feedbackTerms(hits, analysis, lexical.text, this.settings);
    if (feedback.length > 0) {
      // The sentence pairs (and so the quotes) are still scored on the question's own words.
      hits = this.ranker.rank(
        query,
        analysis,
        {
          text: sum(signals.text, lexical.text.score(feedback).scores),
          context: sum(signals.context, lexical.context.score(feedback).scores),
          vector: signals.vector,
        },
        factsOf,
        episodeFactors,
      );
    }
    return { hits: hits.slice(0, query.limit), analysis, feedback: feedback.map(({ term }) => term) };
  }

  /** Similarity of each passage to the question's vector (0 outside the nearest candidates). */
  private async vectorSimilarity(query: Query, analysis: QueryAnalysis): Promise<Float64Array> {
    const { passages, vectors } = this.index;
    // "Who is the host?" is like no passage; the host's name is like the passages that name him.
    const vectorText =
      analysis.aboutPerson.length > 0
        ? analysis.aboutPerson.join(" ")
        : spellOut(query.previous ? `${query.text} ${query.previous}` : query.text);
    const [queryVector] = await this.embedder.embed([vectorText]);
    const vector = new Float64Array(passages.length);
    // A scoped question searches only its episodes' vectors, or a big archive would crowd them out.
    const accept = query.episodes
      ? (label: number) => query.episodes?.has((passages[label] as Passage).episodeId) === true
      : undefined;
    for (const hit of queryVector
      ? vectors.search(queryVector, this.settings.vectorCandidates, accept)
      : []) {
      if (hit.similarity <= 0) continue;
      vector[hit.label] = hit.similarity;
    }
    return vector;
  }
}
