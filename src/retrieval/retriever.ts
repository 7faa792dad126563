import type { Embedder } from "../embeddings/types.js";
import { DocumentList, type WeightedTerm } from "./index/bm25.js";
import type { PassageScope } from "./index/passage-scope.js";
import type { LoadedIndex } from "./index/storage.js";
import { spellOut } from "./profile/english.js";
import { QueryAnalyser } from "./query/analyse.js";
import { information, keyness } from "./query/information.js";
import { phraseSearches, type QuotedPhrase, quotedPhrases } from "./query/quoted.js";
import type { Query, QueryAnalysis } from "./query/types.js";
import { inEpisodeOrder } from "./ranking/episode-order.js";
import { type EpisodeFactors, EpisodeRelevance, namedIn } from "./ranking/episodes.js";
import { feedbackTerms } from "./ranking/feedback.js";
import type { Hit } from "./ranking/hit.js";
import { passageFacts } from "./ranking/passage-facts.js";
import { type PassageTerms, PassageTermsCache } from "./ranking/passage-terms.js";
import { Ranker } from "./ranking/rank.js";
import { ScratchArrays } from "./ranking/scratch.js";
import { searchTerms } from "./ranking/search-terms.js";
import type { StageOneSignals } from "./ranking/signals.js";
import { DEFAULT_RETRIEVAL, type RetrievalSettings } from "./settings.js";

export type { Query, QueryAnalysis } from "./query/types.js";
export type { Hit, HitEvidence } from "./ranking/hit.js";
export { DEFAULT_RETRIEVAL, type RetrievalSettings } from "./settings.js";

/**
 * Keyness (log of how much more often the archive says a word than everyday speech) from which a
 * question's word is a topic the archive talks about: "kubernetes" 10.9, "graphql" 9.5, "sbom" 7.1,
 * "preprocessor" 5.0; not "backfire" 1.6, "threshold" 3.0, "dilemma" 1.1.
 */
const NAMED_TOPIC_KEYNESS = 4.5;

/**
 * How many times more episodes than the named ones a corpus must hold before a word it never says
 * counts as one the named people never discussed (`missingTopic`).
 */
const UNHEARD_CORPUS_SHARE = 10;

/**
 * The share of a question's topic (its words weighed by salience) that the episodes of the show or
 * person it names never say, from which it is one they never discussed (`missingTopic`): the
 * archive's reading of a single episode's foreignness (`offTopicForeign`, 0.45, in
 * answer/abstain.ts). On the archive sets the questions answered from a named person's episodes
 * reach 0.43 (two words of seven never said there); near-misses 0.50 to 0.80.
 */
const NAMED_FOREIGN = 0.45;

/** A searched form at least this strong says the asked word: a respelling, a joined form; not WordNet's far relatives ("crowd" for "swarm"). */
const CLOSE_FORM_WEIGHT = 0.5;

/** The best passages whose episodes a question's topicality is read over. */
const TOPICALITY_PASSAGES = 10;

/**
 * The corpus words searched for each asked word (itself among them when the corpus says it), those
 * searched at `minWeight` or more.
 */
function searchedFor(analysis: QueryAnalysis, minWeight = 0): Map<string, string[]> {
  const forms = new Map<string, string[]>();
  for (const [term, { from, weight }] of analysis.searched) {
    if (weight < minWeight) continue;
    const list = forms.get(from) ?? [];
    list.push(term);
    forms.set(from, list);
  }
  return forms;
}

/** `index` with BM25 over its passages and turns reading short ones as `RetrievalSettings.archiveLengthFloor` says. */
function withArchiveLengthFloor(
  index: LoadedIndex,
  { times, passages }: RetrievalSettings["archiveLengthFloor"],
): LoadedIndex {
  if (times <= 0 || index.passages.length < passages) return index;
  const { lexical } = index;
  return {
    ...index,
    lexical: {
      ...lexical,
      text: lexical.text.withLengthFloor(times),
      context: lexical.context.withLengthFloor(times),
    },
  };
}

export interface Retrieval {
  hits: Hit[];
  analysis: QueryAnalysis;
  /** The words the best passages lent the search (pseudo-relevance feedback), strongest first. */
  feedback: string[];
}

/** How many of each episode's passages a question asking for episodes gets: the answer quotes the first with something to say. */
const EPISODE_LIST_PASSAGES = 3;

/**
 * Hybrid retrieval over one index, the path of a question: read it (query/), search the lexical
 * indexes and the vector index for every passage (stage 1), rank the best of them on their
 * sentences (stage 2, ranking/), then search again with the words the best passages lend
 * (feedback) and rank once more.
 */
export class Retriever {
  private readonly analyser: QueryAnalyser;
  private readonly ranker: Ranker;
  private readonly episodes: EpisodeRelevance;
  /** Words of passages that became finalists (filled lazily and bounded: most passages never are). */
  private readonly termsCache: PassageTermsCache;
  private readonly scratch: ScratchArrays;
  /** The index as this retriever reads it: over an archive, short passages as `archiveLengthFloor` says. */
  readonly index: LoadedIndex;

  constructor(
    index: LoadedIndex,
    private readonly embedder: Embedder,
    readonly settings: RetrievalSettings = DEFAULT_RETRIEVAL,
  ) {
    this.index = withArchiveLengthFloor(index, settings.archiveLengthFloor);
    this.analyser = new QueryAnalyser(this.index, settings);
    this.episodes = new EpisodeRelevance(this.index.passages, this.index.lexical.text, this.index.episodes);
    this.scratch = new ScratchArrays(this.index.passages.length);
    this.ranker = new Ranker(this.index.passages, settings, this.episodes);
    this.termsCache = new PassageTermsCache(this.index.passages);
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
    const queryVector = await this.queryVector(query, analysis);
    if (!analysis.episodeList) return this.retrieveAnalysed(query, analysis, queryVector);
    // "Which episodes talk about Rust?": the episodes that fit the question best (the episode
    // factors: their words, and the show or person named), each quoted by its best passage.
    const weighted = searchTerms(analysis, this.settings, (term) => this.index.lexical.text.df(term));
    const factors = this.ranker.episodeFactors(query, analysis, weighted);
    const chosen = this.episodes.best(factors, query.limit, query.episodes);
    if (chosen.length === 0) return this.retrieveAnalysed(query, analysis, queryVector);
    // Each episode ranks its own passages (with its own word statistics), as a question scoped to it.
    const each = chosen.map((id) =>
      this.retrieveAnalysed(
        { ...query, episodes: new Set([id]), limit: EPISODE_LIST_PASSAGES },
        analysis,
        queryVector,
      ),
    );
    return { hits: each.flatMap((one) => one.hits), analysis, feedback: each[0]?.feedback ?? [] };
  }

  private retrieveAnalysed(
    query: Query,
    analysis: QueryAnalysis,
    queryVector: Float32Array | undefined,
  ): Retrieval {
    const weighted = searchTerms(analysis, this.settings, (term) => this.index.lexical.text.df(term));
    // A phrase the question quotes is looked for word for word among the best passages.
    const quoted = phraseSearches(quotedPhrases(query.text), this.index.lexical.text);
    const asked = { analysis, weighted, queryVector, quoted };
    const episodeFactors = this.ranker.episodeFactors(query, analysis, weighted);
    const { hits, feedback } = this.ranked(query, asked, episodeFactors);
    const focus = hits[0]?.passage.episodeId;
    if (focus === undefined || this.index.episodes.length === 1 || query.episodes?.size === 1)
      return { hits, analysis, feedback };
    // Which episodes answer is the archive's call; which of an episode's passages answer is the
    // episode's own: the best episode's passages, ranked among themselves with its own word
    // statistics, take the places it holds. (Its factor is the same for all of them, and which
    // episodes the question names is the archive's reading.)
    const local = this.ranked({ ...query, episodes: new Set([focus]) }, asked, episodeFactors);
    return { hits: inEpisodeOrder(hits, focus, local.hits), analysis, feedback };
  }

  /** The question's ranking over its scope (every passage when it has none). */
  private ranked(
    query: Query,
    {
      analysis,
      weighted,
      queryVector,
      quoted,
    }: {
      analysis: QueryAnalysis;
      weighted: WeightedTerm[];
      queryVector: Float32Array | undefined;
      quoted: QuotedPhrase[];
    },
    episodeFactors: EpisodeFactors,
  ): { hits: Hit[]; feedback: string[] } {
    const { lexical, passages } = this.index;
    // Stage 1, every passage holding a searched word: BM25 over passages and
    // over the turn each replies to, and vector similarity.
    const { scratch } = this;
    // A scoped question scores only the stretch of passages its scope lies in.
    const scope = query.episodes ? this.ranker.scope(query.episodes) : undefined;
    // Among one episode's (or one show's) passages, a word is as telling as it is there.
    const range = scope && { from: scope.from, to: scope.to, local: scope.size === scope.to - scope.from };
    const within = range?.local ? lexical.text.within(range) : undefined;
    // The best of each signal, noted as it is written: a walk over an archive's 372,555 passages
    // less. Only where every passage of the stretch walked is in scope.
    const text = { max: 0 };
    const context = { max: 0 };
    const vector = { max: 0 };
    const signals: StageOneSignals = {
      text: lexical.text.addScores(weighted, scratch.take(range), undefined, range, text),
      context: lexical.context.addScores(weighted, scratch.take(range), undefined, range, context),
      vector: this.vectorSimilarity(queryVector, scratch.take(range), scope, vector),
    };
    if (!scope || range?.local) signals.maxes = { text: text.max, context: context.max, vector: vector.max };
    // What stage 2 finds in a passage depends on the question alone: worked out once for both rankings.
    const factsOf = passageFacts(analysis, weighted, {
      passages,
      lexical,
      termsOf: (position) => this.termsCache.get(position),
      settings: this.settings,
      within,
    });
    const ranked = this.ranker.rank(query, analysis, signals, factsOf, episodeFactors, undefined, quoted);
    let { hits } = ranked;
    // Pseudo-relevance feedback: the best passages' own telling words are searched too, lightly,
    // so a passage that says the same thing in the episode's words ranks with them. BM25 adds up
    // over terms, so only the new terms' postings are walked.
    const feedback = feedbackTerms(hits, analysis, within ?? lexical.text, this.settings);
    if (feedback.length > 0) {
      // The passages feedback raises: only these change, so the second ranking starts from the first.
      const raised = new DocumentList(passages.length);
      // Added where the first ranking's scores are: it is done with them (what the second needs
      // of it is in `ranked.first`), and an archive's copy is two 3 MB arrays a question.
      const withFeedback: StageOneSignals = {
        text: lexical.text.addScores(feedback, signals.text, raised, range),
        context: lexical.context.addScores(feedback, signals.context, raised, range),
        vector: signals.vector,
      };
      // The sentence pairs (and so the quotes) are still scored on the question's own words.
      const again = { first: ranked.first, raised: raised.documents };
      hits = this.ranker.rank(query, analysis, withFeedback, factsOf, episodeFactors, again, quoted).hits;
    }
    scratch.give(signals.text, signals.context, signals.vector);
    return { hits: hits.slice(0, query.limit), feedback: feedback.map(({ term }) => term) };
  }

  /**
   * How characteristic of the best passages' episodes the question's words are
   * (ranking/episodes.ts, `topicality`), for the refusal judge: an answer is quoted from them.
   */
  topicality(analysis: QueryAnalysis, hits: Hit[]): number {
    const { lexical } = this.index;
    // A word the corpus never says counts as the best of the corpus words searched for it: its
    // other spellings, its related words ("outages" is the episode's "incidents"). A word it does
    // say counts as itself: in an archive every everyday word has a relative somewhere.
    const forms = searchedFor(analysis);
    const asked = [...analysis.asked].map(([term, weight]) => ({
      terms: analysis.known.has(term) ? [term] : [term, ...(forms.get(term) ?? [])],
      weight: weight * (analysis.salience.get(term) ?? 1),
    }));
    return this.episodes.topicality(
      asked,
      (term) => information(term, lexical),
      hits.slice(0, TOPICALITY_PASSAGES).map((hit) => hit.position),
    );
  }

  /**
   * A topic word of the question that the archive talks about (keyness at least
   * `NAMED_TOPIC_KEYNESS`) but that no episode of the show or person it names ever says, nor any
   * word searched for it: "what did Mitch Wainer say about Kubernetes?"; else, when the topic
   * words their episodes never say carry `NAMED_FOREIGN` of the question, the most telling of
   * them. Null when the question names no one, or their episodes say enough of it. With one
   * episode it never finds one: a word the episode never says has no keyness there, and its
   * foreignness is the judge's own.
   */
  missingTopic(analysis: QueryAnalysis): string | null {
    const mask = this.episodes.named(namedIn(analysis));
    if (!mask) return null;
    const broad = this.broad(mask);
    return this.missingKeyWord(analysis, mask, broad) ?? this.mostlyUnsaid(analysis, mask, broad);
  }

  /**
   * Whether the episodes of `mask` say an asked word: as asked, as one of `forms`, in full ("env"
   * is "environment" there), or in parts where the question joins them ("on-call" said "on call").
   */
  private saidIn(mask: Uint8Array, analysis: QueryAnalysis, term: string, forms: string[]): boolean {
    const longer = term.length >= 3 ? this.index.lexical.text.termsStartingWith(term) : [];
    if (!this.episodes.absentFrom(mask, [term, ...forms, ...longer])) return true;
    const parts = analysis.joined.get(term);
    return parts?.every((part) => !this.episodes.absentFrom(mask, [part])) === true;
  }

  /**
   * "How did Lindsey Zuloaga say HireVue's video assessments accommodate candidates with
   * disabilities or speech impairments?": "accommodate", "disabilities", "speech" and
   * "impairments", half the question, are never said in her episode (nor a close form of them).
   * The most telling of them when the words unsaid there carry `NAMED_FOREIGN` of the question.
   */
  private mostlyUnsaid(analysis: QueryAnalysis, mask: Uint8Array, broad: boolean): string | null {
    if (mask.every((value) => value === 1)) return null;
    const close = searchedFor(analysis, CLOSE_FORM_WEIGHT);
    let total = 0;
    let unsaid = 0;
    let most: { term: string; salience: number } | null = null;
    for (const [term, weight] of analysis.asked) {
      // A word no episode says tells nothing of the named ones in a handful of episodes (as above).
      if (weight < 1 || (!broad && !analysis.known.has(term) && !analysis.respelled.has(term))) continue;
      const salience = analysis.salience.get(term) ?? 1;
      total += salience;
      if (this.saidIn(mask, analysis, term, close.get(term) ?? [])) continue;
      unsaid += salience;
      if (!most || salience > most.salience) most = { term, salience };
    }
    return most && unsaid >= NAMED_FOREIGN * total ? most.term : null;
  }

  /**
   * A word the corpus never says at all (nor a misspelling of one) counts as one the named never
   * discussed when their episodes are at most a tenth of the corpus ("what did Mike say about
   * Horovod?"): a handful of transcripts not saying a word ("timeout", "among") is no sign.
   */
  private broad(mask: Uint8Array): boolean {
    const named = mask.reduce((sum, value) => sum + value, 0);
    return named * UNHEARD_CORPUS_SHARE <= mask.length;
  }

  /** The first part of `missingTopic`: a word the archive talks about, never said by the named. */
  private missingKeyWord(analysis: QueryAnalysis, mask: Uint8Array, broad: boolean): string | null {
    const forms = searchedFor(analysis);
    for (const [term, weight] of analysis.asked) {
      const unheard = broad && !analysis.known.has(term) && !analysis.respelled.has(term);
      if (
        weight < 1 ||
        (!unheard && keyness(term, this.index.lexical, analysis.joined.get(term)) < NAMED_TOPIC_KEYNESS)
      )
        continue;
      if (!this.saidIn(mask, analysis, term, forms.get(term) ?? [])) return term;
    }
    return null;
  }

  /** The question's vector: "Who is the host?" is like no passage; the host's name is like the passages that name him. */
  private async queryVector(query: Query, analysis: QueryAnalysis): Promise<Float32Array | undefined> {
    const vectorText =
      analysis.aboutPerson.length > 0
        ? analysis.aboutPerson.join(" ")
        : spellOut(query.previous ? `${query.text} ${query.previous}` : query.text);
    const [queryVector] = await this.embedder.embed([vectorText]);
    return queryVector;
  }

  /** Fills `vector` (zeros, one slot per passage) with each passage's similarity to the question (0 outside the nearest candidates), and returns it. */
  private vectorSimilarity(
    queryVector: Float32Array | undefined,
    vector: Float64Array,
    /** The question's episodes: only their vectors are searched, or a big archive would crowd them out. */
    scope: PassageScope | undefined,
    /** Notes the best similarity written. */
    best: { max: number },
  ): Float64Array {
    for (const hit of queryVector
      ? this.index.vectors.search(queryVector, this.settings.vectorCandidates, scope)
      : []) {
      if (hit.similarity <= 0) continue;
      vector[hit.label] = hit.similarity;
      if (hit.similarity > best.max) best.max = hit.similarity;
    }
    return vector;
  }
}
