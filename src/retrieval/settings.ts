import type { FusionWeights } from "./ranking/fusion-weights.js";

/**
 * Every number of retrieval that is a setting, so it can be tuned by measurement (`npm run eval`)
 * for each embedder. One flat object (FUSION_WEIGHTS and the tests override parts of it), in
 * three groups: reading the question (query/), searching the indexes, ranking (ranking/). Each
 * query stage and ranking step names the settings it reads.
 */
export interface RetrievalSettings {
  // ─── Reading the question (query/stages.ts) ───

  /** Weight of the words of the earlier question in a follow-up. */
  followUpWeight: number;
  /** Weight of metadata words searched for a word that names metadata ("show" -> the show's name). */
  metadataWeight: number;
  /** Weight of a WordNet expansion relative to the asked word is the map's weight times this. */
  expansionScale: number;
  /** Expansions of a word the corpus already uses, relative to those of an unknown word. */
  knownExpansionScale: number;
  /** Weight of a near-spelling (typo) match of an unknown word. */
  typoWeight: number;
  /** Weight of a corpus word that an unknown word is the start of ("sync" -> "synchronous"). */
  prefixWeight: number;
  /** Information content (nats) mapped to salience 0.1 (at or below `low`) .. 1 (at or above `high`). */
  salience: { low: number; high: number };

  // ─── Searching (ranking/search-terms.ts, ranking/feedback.ts, the vector index) ───

  /** Scale query-word weights by salience for ranking (1 = fully, 0 = not at all). */
  salienceInRanking: number;
  /** Searched terms weighing less than this are not looked up at all (speed on large archives). */
  minTermWeight: number;
  /** Related words looked up per question word, strongest first (speed on large archives). */
  maxRelatedPerWord: number;
  /**
   * A related word weighing less than `weight` is not looked up when more than `documents`
   * passages hold it (speed on large archives: on all 2,085 episodes such words were two thirds
   * of the postings walked, each adding a sliver of score to thousands of passages).
   */
  faintCommonRelative: { weight: number; documents: number };
  /**
   * Over an archive (`passages` or more), a passage or turn shorter than `times` the average is
   * scored by BM25 as if it were that long. BM25 takes a short document holding a word to be about
   * it; an archive's panels hold thousands of short turns that say any word in passing ("Salt,
   * please.", "Pretty accurate.", "Tab city."), and they crowded out the turns that answer. In one
   * episode the few short replies are often the answer ("We haven't seen a lot of requests for
   * that use case."), and length counts as BM25 counts it.
   */
  archiveLengthFloor: { times: number; passages: number };
  /** Candidates taken from the vector index. */
  vectorCandidates: number;
  /** Candidates (best by the cheap signals) that get the costlier coverage and answer-type scoring. */
  rerankDepth: number;
  /**
   * Pseudo-relevance feedback: the `feedbackTerms` most telling words of the best
   * `feedbackPassages` passages, not asked, are searched as well, the first at `feedbackWeight`
   * (0 turns it off).
   */
  feedbackPassages: number;
  feedbackTerms: number;
  feedbackWeight: number;

  // ─── Ranking (ranking/signals.ts, ranking/adjustments.ts) ───

  /** Fusion weights of the normalised signals (FUSION_WEIGHTS overrides them). */
  weights: FusionWeights;
  /**
   * The context signal (the turn a passage replies to) counts this many times for the passage
   * that answers a question: the other speaker's reply to a turn that ends asking something is
   * about that question, while most passages only follow on from a "Right." or a remark.
   */
  answerContextWeight: number;
  /**
   * A question is not its answer. A host asking about a thing uses the words of a question about
   * it, but the answer is what comes next. So a sentence pair that ends in a question counts this
   * much when choosing a passage's best pair (and quote)…
   */
  askingSentenceWeight: number;
  /** Multiplier added for passages by the speaker the question asks about. */
  speakerBoost: number;
  /** …and a passage whose best pair still ends in one has its score multiplied by this, unless
   * it is by the speaker the question asks about ("what did Jeremy ask about cold starts?"). */
  askingPassageWeight: number;
  /**
   * …and a passage that ends its speaker's turn with a question, answered by the other speaker
   * next, has its score multiplied by this (same exception): a host's long set-up ("I want to
   * talk about the Lambda supercomputer… Is that realistic?") holds the topic's words, and the
   * reply holds the answer.
   */
  askingTurnWeight: number;
  /** Multiplier added, for a question asking for a kind of answer (query/answer-type.ts), to passages that state one. */
  answerTypeBoost: number;
  /**
   * A short reply ("We haven't seen a lot of requests for that use case.") is about the turn it
   * answers: it gains this share of that turn's score. Replies of at most `shortReplyWords`.
   */
  replyInheritance: number;
  shortReplyWords: number;
  /**
   * How much the episode around a passage counts (ranking/episodes.ts): a passage's score is
   * multiplied by 1 in the episode that fits the question best, down to 1 − this in one that
   * holds none of its words. No effect on a single episode.
   */
  episodeWeight: number;
  /**
   * A question naming a show or a person is about their episodes: passages of other episodes
   * are multiplied by 1 − this (when some episode in scope is theirs).
   */
  namedEpisodeWeight: number;
}

export const DEFAULT_RETRIEVAL: RetrievalSettings = {
  followUpWeight: 0.5,
  metadataWeight: 0.5,
  expansionScale: 1,
  knownExpansionScale: 0.25,
  typoWeight: 0.7,
  prefixWeight: 0.7,
  salience: { low: 7, high: 14 },

  salienceInRanking: 0.5,
  minTermWeight: 0.06,
  maxRelatedPerWord: 25,
  faintCommonRelative: { weight: 0.2, documents: 3000 },
  archiveLengthFloor: { times: 2, passages: 10_000 },
  vectorCandidates: 50,
  rerankDepth: 40,
  feedbackPassages: 2,
  feedbackTerms: 10,
  feedbackWeight: 0.3,

  weights: { text: 1, sentence: 1, context: 0.35, vector: 1, coverage: 0.5 },
  answerContextWeight: 1.5,
  askingSentenceWeight: 0.9,
  speakerBoost: 0.5,
  askingPassageWeight: 0.8,
  askingTurnWeight: 0.85,
  answerTypeBoost: 0.6,
  replyInheritance: 0.5,
  shortReplyWords: 20,
  episodeWeight: 0.5,
  namedEpisodeWeight: 0.8,
};
