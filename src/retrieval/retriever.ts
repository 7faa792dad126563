import type { Embedder } from "../embeddings/types.js";
import { endsWithQuestion } from "./analysis/sentences.js";
import type { WeightedTerm } from "./index/bm25.js";
import type { Hit, Passage } from "./index/passage.js";
import type { LoadedIndex } from "./index/storage.js";
import { spellOut } from "./profile/english.js";
import { QueryAnalyser } from "./query/analyse.js";
import { statesAnswerType } from "./query/answer-type.js";
import type { Query, QueryAnalysis } from "./query/types.js";
import { type PassageTerms, PassageTermsCache } from "./ranking/passage-terms.js";
import { topPositions } from "./ranking/top-k.js";
import { DEFAULT_RETRIEVAL, type RetrievalSettings } from "./settings.js";

export type { Query, QueryAnalysis } from "./query/types.js";
export { DEFAULT_RETRIEVAL, type RetrievalSettings } from "./settings.js";

export interface Retrieval {
  hits: Hit[];
  analysis: QueryAnalysis;
  /** The words the best passages lent the search (pseudo-relevance feedback), strongest first. */
  feedback: string[];
}

/** What stage 2 finds in one passage for one question: its best sentence pair, coverage, answer type. */
interface PassageFacts {
  sentence: ReturnType<typeof bestSentencePair>;
  coverage: number;
  /** The question asks for a kind of answer (an amount, a date…) and the passage states one (see answer-type.ts). */
  statesAnswer: boolean;
}

/** The stage-1 signals of every passage, one slot per passage. */
interface StageOneSignals {
  text: Float64Array;
  context: Float64Array;
  vector: Float64Array;
}

/** a + b, slot by slot, in a new array. */
function sum(a: Float64Array, b: Float64Array): Float64Array {
  const total = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) total[i] = (a[i] as number) + (b[i] as number);
  return total;
}

/** The best-scoring pair of adjacent sentences (or the single last sentence) of a passage. */
function bestSentencePair(
  sentences: PassageTerms["sentences"],
  score: (terms: string[]) => number,
  askingWeight: number,
): { start: number; end: number; score: number; asks: boolean } | undefined {
  let best: { start: number; end: number; score: number; asks: boolean } | undefined;
  sentences.forEach((sentence, i) => {
    const next = sentences[i + 1];
    const asks = (next ?? sentence).asks;
    const value =
      score(next ? [...sentence.terms, ...next.terms] : sentence.terms) * (asks ? askingWeight : 1);
    if (!best || value > best.score)
      best = {
        start: sentence.start,
        end: next ? next.end : sentence.end,
        score: value,
        asks,
      };
  });
  return best;
}

export class Retriever {
  private readonly analyser: QueryAnalyser;
  /** Words of passages that became finalists (filled lazily and bounded: most passages never are). */
  private readonly passageTerms: PassageTermsCache;
  private readonly scopeMasks = new Map<string, Uint8Array>();
  /** Each passage's speaker, as a position in `speakerNames`: the ranking loop compares numbers. */
  private readonly speakerNames: string[] = [];
  private readonly notesSpeakers = new Set<string>();
  private readonly speakerOf: Int32Array;
  /** 1 where a passage ends its turn with a question that the next turn, another speaker's, answers. */
  private readonly handsOver: Uint8Array;
  /** 1 where a passage is a short reply to the one before it (worked out once, not per question). */
  private readonly shortReply: Uint8Array;

  constructor(
    readonly index: LoadedIndex,
    private readonly embedder: Embedder,
    readonly settings: RetrievalSettings = DEFAULT_RETRIEVAL,
  ) {
    this.analyser = new QueryAnalyser(index, settings);
    this.passageTerms = new PassageTermsCache(index.passages);
    const ids = new Map<string, number>();
    this.speakerOf = Int32Array.from(index.passages, ({ speaker }) => {
      if (speaker.role === "notes") this.notesSpeakers.add(speaker.name);
      let id = ids.get(speaker.name);
      if (id === undefined) {
        id = this.speakerNames.push(speaker.name) - 1;
        ids.set(speaker.name, id);
      }
      return id;
    });
    this.handsOver = Uint8Array.from(index.passages, (passage, position) => {
      const next = index.passages[position + 1];
      return passage.part === passage.parts - 1 &&
        endsWithQuestion(passage.text) &&
        next?.episodeId === passage.episodeId &&
        next.turnIndex === passage.turnIndex + 1 &&
        next.speaker.name !== passage.speaker.name &&
        next.speaker.role !== "notes"
        ? 1
        : 0;
    });
    this.shortReply = Uint8Array.from(index.passages, (_, position) =>
      isShortReply(index.passages, position, settings.shortReplyWords) ? 1 : 0,
    );
  }

  /** What the question asks, and about whom (see QueryAnalysis). */
  analyse(query: Query): QueryAnalysis {
    return this.analyser.analyse(query);
  }

  /** A passage's words, as the ranking read them (cached: abstention looks at the same few passages). */
  wordsOf(position: number): PassageTerms {
    return this.passageTerms.get(position);
  }

  /**
   * How many of the question's distinct topic words a passage holds, each
   * weighted by salience and rarity in the episode: a passage that mentions
   * three of the asked things beats one that repeats one of them.
   */
  private coverage({ own, context }: PassageTerms, analysis: QueryAnalysis): number {
    const credit = new Map<string, number>();
    const give = (target: string, found: number) => {
      const entry = analysis.searched.get(target);
      if (entry) credit.set(entry.from, Math.max(credit.get(entry.from) ?? 0, found * entry.weight));
    };
    // Walk the passage's words, not the (often much longer) list of searched words.
    for (const term of context) if (!own.has(term)) give(term, 0.5);
    for (const term of own) give(term, 1);
    let total = 0;
    for (const [term, value] of credit) {
      const rarity = this.index.lexical.text.idf(term) || 1;
      total += value * (analysis.salience.get(term) ?? 1) * (analysis.known.has(term) ? rarity : 1);
    }
    return total;
  }

  /** 1 for each passage of the given episodes, 0 elsewhere (cached: a pinned channel asks again and again). */
  private scopeMask(episodes: Set<string>): Uint8Array {
    const key = [...episodes].sort().join("\n");
    let mask = this.scopeMasks.get(key);
    if (!mask) {
      mask = Uint8Array.from(this.index.passages, (p) => (episodes.has(p.episodeId) ? 1 : 0));
      if (this.scopeMasks.size > 100) this.scopeMasks.clear();
      this.scopeMasks.set(key, mask);
    }
    return mask;
  }

  async retrieve(query: Query): Promise<Retrieval> {
    const analysis = this.analyse(query);
    const weighted = this.weightedTerms(analysis);
    const { lexical } = this.index;
    // Stage 1, every passage holding a searched word: BM25 over passages and
    // over the turn each replies to, and vector similarity.
    const signals: StageOneSignals = {
      text: lexical.text.score(weighted).scores,
      context: lexical.context.score(weighted).scores,
      vector: await this.vectorSimilarity(query, analysis),
    };
    // What stage 2 finds in a passage depends on the question alone: worked out once for both rankings.
    const factsOf = this.passageFacts(analysis, weighted);
    let hits = this.rank(query, analysis, signals, factsOf);
    // Pseudo-relevance feedback: the best passages' own telling words are searched too, lightly,
    // so a passage that says the same thing in the episode's words ranks with them. BM25 adds up
    // over terms, so only the new terms' postings are walked.
    const feedback = this.feedbackTerms(hits, analysis);
    if (feedback.length > 0) {
      // The sentence pairs (and so the quotes) are still scored on the question's own words.
      hits = this.rank(
        query,
        analysis,
        {
          text: sum(signals.text, lexical.text.score(feedback).scores),
          context: sum(signals.context, lexical.context.score(feedback).scores),
          vector: signals.vector,
        },
        factsOf,
      );
    }
    return { hits: hits.slice(0, query.limit), analysis, feedback: feedback.map(({ term }) => term) };
  }

  /** The searched terms with their ranking weights: salience-scaled, faint relatives dropped. */
  private weightedTerms(analysis: QueryAnalysis): WeightedTerm[] {
    const mix = this.settings.salienceInRanking;
    // Faint relatives (a sister term of a common word) cost a posting-list walk each and add
    // little; so do the weakest of a word's many relatives.
    const perWord = new Map<string, number>();
    return [...analysis.searched]
      .filter(([, { weight }]) => weight >= this.settings.minTermWeight)
      .sort((a, b) => b[1].weight - a[1].weight)
      .filter(([term, { from }]) => {
        if (term === from) return true;
        const count = (perWord.get(from) ?? 0) + 1;
        perWord.set(from, count);
        return count <= this.settings.maxRelatedPerWord;
      })
      .map(([term, { weight, from }]) => ({
        term,
        weight: weight * (1 - mix + mix * (analysis.salience.get(from) ?? 1)),
      }));
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

  /**
   * The most telling words of the best `feedbackPassages` passages that the question did not
   * search, weighted by rarity and by how close each passage came to the best one.
   */
  private feedbackTerms(ranked: Hit[], analysis: QueryAnalysis): WeightedTerm[] {
    const { feedbackPassages, feedbackTerms, feedbackWeight } = this.settings;
    const top = ranked.slice(0, feedbackPassages);
    const best = top[0]?.score ?? 0;
    if (feedbackWeight <= 0 || feedbackTerms <= 0 || best <= 0) return [];
    const gain = new Map<string, number>();
    for (const hit of top) {
      for (const term of this.passageTerms.get(hit.position).own) {
        if (analysis.searched.has(term) || /^\d/.test(term)) continue;
        gain.set(term, (gain.get(term) ?? 0) + this.index.lexical.text.idf(term) * (hit.score / best));
      }
    }
    const chosen = [...gain].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, feedbackTerms);
    const most = chosen[0]?.[1] ?? 0;
    return chosen.map(([term, value]) => ({ term, weight: (feedbackWeight * value) / most }));
  }

  /** Stage 2's look at one passage (see PassageFacts), remembered per position for this question. */
  private passageFacts(
    analysis: QueryAnalysis,
    weighted: WeightedTerm[],
  ): (position: number) => PassageFacts {
    const { lexical, passages } = this.index;
    const queryWeights = new Map(weighted.map((w) => [w.term, w.weight]));
    const { expected } = analysis;
    const known = new Map<number, PassageFacts>();
    return (position) => {
      let facts = known.get(position);
      if (facts) return facts;
      const words = this.passageTerms.get(position);
      const text = (passages[position] as Passage).text;
      // For ranking, an amount with its unit may name its topic one sentence earlier, as speech does
      // ("it's increased duration, but … And 15 minutes, is it right?"). The unit keeps that strict;
      // abstention still wants both in one sentence.
      const asStated = () =>
        words.sentences.map((s, i) => ({
          text: text.slice(s.start, s.end),
          terms: expected.unit && i > 0 ? [...s.terms, ...(words.sentences[i - 1]?.terms ?? [])] : s.terms,
        }));
      facts = {
        sentence: bestSentencePair(
          words.sentences,
          (pairTerms) => lexical.sentences.score(pairTerms, queryWeights),
          this.settings.askingSentenceWeight,
        ),
        coverage: this.coverage(words, analysis),
        // An opinion is someone's: only a question naming one of the episode's people asks for one.
        statesAnswer:
          expected.type !== "any" &&
          (expected.type !== "opinion" || analysis.namesSpeaker) &&
          statesAnswerType(asStated(), expected, analysis.known),
      };
      known.set(position, facts);
      return facts;
    };
  }

  /** Stage 1 over every passage in scope, then stage 2 over the finalists: every finalist, best first. */
  private rank(
    query: Query,
    analysis: QueryAnalysis,
    signals: StageOneSignals,
    factsOf: (position: number) => PassageFacts,
  ): Hit[] {
    const { passages } = this.index;
    const n = passages.length;
    // Stage-1 rank of every passage in scope, in plain loops over typed arrays:
    // on a 50,000-passage archive nearly every passage holds some searched word.
    const inScope = query.episodes ? this.scopeMask(query.episodes) : undefined;
    const textScores = signals.text;
    const contextScores = signals.context;
    const vectorScores = signals.vector;
    let maxText = 0;
    let maxContext = 0;
    let maxVector = 0;
    for (let position = 0; position < n; position++) {
      if (inScope && inScope[position] === 0) continue;
      maxText = Math.max(maxText, textScores[position] as number);
      maxContext = Math.max(maxContext, contextScores[position] as number);
      maxVector = Math.max(maxVector, vectorScores[position] as number);
    }
    const { weights } = this.settings;
    const scaleText = maxText > 0 ? weights.text / maxText : 0;
    const scaleContext = maxContext > 0 ? weights.context / maxContext : 0;
    const scaleVector = maxVector > 0 ? weights.vector / maxVector : 0;
    const answerContext = scaleContext * this.settings.answerContextWeight;
    const base = (position: number) =>
      (textScores[position] as number) * scaleText +
      (contextScores[position] as number) * (this.answersQuestion(position) ? answerContext : scaleContext) +
      (vectorScores[position] as number) * scaleVector;
    // Per speaker, not per passage: a question about "the host" of a large archive names hundreds.
    const speakerBoost = 1 + this.settings.speakerBoost;
    const speakers = analysis.aboutPerson.length > 0 ? this.notesSpeakers : analysis.speakers;
    const boosts = Float64Array.from(this.speakerNames, (name) => (speakers?.has(name) ? speakerBoost : 1));
    const boost = (position: number) => boosts[this.speakerOf[position] as number] as number;
    const rank = new Float64Array(n);
    for (let position = 0; position < n; position++) {
      if (inScope && inScope[position] === 0) continue;
      const value = base(position);
      if (value > 0) rank[position] = value * boost(position);
    }
    const finalists = topPositions(rank, Math.max(query.limit, this.settings.rerankDepth));
    // The short reply to a finalist is one too: it may hold none of the question's words.
    const finalistSet = new Set(finalists);
    for (const position of this.settings.replyInheritance > 0 ? [...finalists] : []) {
      const reply = position + 1;
      if (
        !finalistSet.has(reply) &&
        this.repliesTo(reply) === position &&
        (!inScope || inScope[reply] === 1)
      ) {
        finalists.push(reply);
        finalistSet.add(reply);
      }
    }

    // Stage 2, the finalists only: the best pair of adjacent sentences,
    // coverage of the question's words, and the expected answer type.
    const details = finalists.map((position) => ({ position, ...factsOf(position) }));
    const maxSentence = Math.max(0, ...details.map((d) => d.sentence?.score ?? 0));
    const maxCoverage = Math.max(0, ...details.map((d) => d.coverage));
    const hits: Hit[] = details.map(({ position, sentence, coverage, statesAnswer }) => {
      const passage = passages[position] as Passage;
      const { weights } = this.settings;
      let score = base(position);
      if (maxSentence > 0) score += (weights.sentence * (sentence?.score ?? 0)) / maxSentence;
      if (maxCoverage > 0) score += (weights.coverage * coverage) / maxCoverage;
      const byAskedSpeaker = speakers?.has(passage.speaker.name) === true;
      score *= boost(position);
      if (sentence?.asks && !byAskedSpeaker) score *= this.settings.askingPassageWeight;
      else if (this.handsOver[position] === 1 && !byAskedSpeaker) score *= this.settings.askingTurnWeight;
      if (statesAnswer) score *= 1 + this.settings.answerTypeBoost;
      const where = sentence && sentence.score > 0 ? { start: sentence.start, end: sentence.end } : undefined;
      return {
        passage,
        position,
        score,
        signals: {
          text: textScores[position] as number,
          sentence: sentence?.score ?? 0,
          context: contextScores[position] as number,
          vector: vectorScores[position] as number,
          coverage,
        },
        sentence: where,
      };
    });
    const scoreAt = new Map(hits.map((hit) => [hit.position, hit.score]));
    if (this.settings.replyInheritance > 0) {
      for (const hit of hits) {
        const answered = this.repliesTo(hit.position);
        if (answered !== undefined)
          hit.score += this.settings.replyInheritance * (scoreAt.get(answered) ?? 0);
      }
    }
    return hits.sort((a, b) => b.score - a.score || a.passage.start - b.passage.start);
  }

  /** Whether the passage at `position` opens the other speaker's reply to a turn that asks something. */
  private answersQuestion(position: number): boolean {
    return position > 0 && this.handsOver[position - 1] === 1;
  }

  /** The position of the passage a short reply answers (see `isShortReply`), else undefined. */
  private repliesTo(position: number): number | undefined {
    return this.shortReply[position] === 1 ? position - 1 : undefined;
  }
}

/**
 * Whether the passage at `position` is a short reply: a whole turn of at most `maxWords` words,
 * right after another speaker's turn of the same episode (not the episode notes).
 */
function isShortReply(passages: Passage[], position: number, maxWords: number): boolean {
  const reply = passages[position];
  const before = passages[position - 1];
  if (!reply || !before || reply.parts !== 1 || before.episodeId !== reply.episodeId) return false;
  if (before.speaker.name === reply.speaker.name || before.speaker.role === "notes") return false;
  return before.turnIndex === reply.turnIndex - 1 && hasAtMostWords(reply.text, maxWords);
}

/** At most `max` words (as countWords counts them), without splitting all of a long text (this runs for every passage at load). */
function hasAtMostWords(text: string, max: number): boolean {
  let count = 0;
  for (const _ of text.matchAll(/\S+/g)) if (++count > max) return false;
  return true;
}
