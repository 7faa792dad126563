import type { WeightedTerm } from "../index/bm25.js";
import type { Passage } from "../index/passage.js";
import type { VectorScope } from "../index/vector-index.js";
import type { Query, QueryAnalysis } from "../query/types.js";
import type { RetrievalSettings } from "../settings.js";
import { finalScore, inheritReplies, stageOneFactor, stageOneScales, stageOneSum } from "./combine.js";
import { type EpisodeFactors, type EpisodeRelevance, namedIn } from "./episodes.js";
import type { Hit } from "./hit.js";
import type { PassageFacts } from "./passage-facts.js";
import { ScratchArrays } from "./scratch.js";
import type { StageOneSignals } from "./signals.js";
import { topPositions } from "./top-k.js";
import { TurnLinks } from "./turns.js";

/** Searched terms weighing less than this (relatives, typo guesses) do not weigh an episode. */
const EPISODE_TERM_WEIGHT = 0.3;

/**
 * Ranks one index's passages for a question: stage 1 over every passage in scope picks the
 * finalists, stage 2 scores the finalists (ranking/combine.ts). What does not depend on the
 * question (each passage's speaker, how turns follow each other) is worked out once, here.
 */
export class Ranker {
  /** Each passage's speaker, as a position in `speakerNames`: the stage-1 loop compares numbers. */
  private readonly speakerNames: string[] = [];
  private readonly speakerOf: Int32Array;
  /** The speakers of the episode notes, which describe the people: favoured when a question is about one. */
  private readonly notesSpeakers = new Set<string>();
  private readonly turns: TurnLinks;
  private readonly scopes = new Map<string, VectorScope>();

  constructor(
    private readonly passages: Passage[],
    private readonly settings: RetrievalSettings,
    private readonly episodes: EpisodeRelevance,
    private readonly scratch = new ScratchArrays(passages.length),
  ) {
    const ids = new Map<string, number>();
    this.speakerOf = Int32Array.from(passages, ({ speaker }) => {
      if (speaker.role === "notes") this.notesSpeakers.add(speaker.name);
      let id = ids.get(speaker.name);
      if (id === undefined) {
        id = this.speakerNames.push(speaker.name) - 1;
        ids.set(speaker.name, id);
      }
      return id;
    });
    this.turns = new TurnLinks(passages, settings.shortReplyWords);
  }

  /**
   * What each episode's passages are multiplied by for a question's searched terms: how well the
   * episode as a whole fits it (ranking/episodes.ts), among the episodes in scope. Worked out once
   * a question, for both rankings.
   */
  episodeFactors(query: Query, analysis: QueryAnalysis, terms: WeightedTerm[]): EpisodeFactors {
    const inScope = query.episodes ? this.scopeMask(query.episodes) : undefined;
    // The words asked, not their faint relatives: an episode fits a question by its own words, and
    // each relative is one more walk over an archive's postings.
    const asked = terms.filter(({ weight }) => weight >= EPISODE_TERM_WEIGHT);
    return this.episodes.factors(asked, namedIn(analysis), this.settings, inScope);
  }

  /** Stage 1 over every passage in scope, then stage 2 over the finalists: every finalist, best first. */
  rank(
    query: Query,
    analysis: QueryAnalysis,
    signals: StageOneSignals,
    factsOf: (position: number) => PassageFacts,
    { factors: episodeFactors, named }: EpisodeFactors,
  ): Hit[] {
    const { passages, settings, turns, episodes } = this;
    const n = passages.length;
    const inScope = query.episodes ? this.scopeMask(query.episodes) : undefined;
    const { episodeOf } = episodes;
    const episodeFactor = (position: number) => episodeFactors[episodeOf[position] as number] as number;
    const scales = stageOneScales(signals, inScope, settings);
    const stageOne = (position: number) =>
      stageOneSum(signals, scales, position, turns.answersQuestion(position));
    // Per speaker, not per passage: a question about "the host" of a large archive names hundreds.
    const speakers = analysis.aboutPerson.length > 0 ? this.notesSpeakers : analysis.speakers;
    const factors = Float64Array.from(this.speakerNames, (name) =>
      stageOneFactor(
        { favouredSpeaker: speakers?.has(name) === true, asks: false, handsOver: false, statesAnswer: false },
        settings,
      ),
    );
    // Every passage of an archive, so a plain loop over typed arrays: stageOneSum written out and
    // each lookup a local (through closures it cost ten times as much on 372,555 passages).
    const { text, context, vector } = signals;
    const opensAnswer = turns.opensAnswer;
    const { speakerOf } = this;
    const rank = this.scratch.take();
    for (let position = 0; position < n; position++) {
      if (inScope && inScope[position] === 0) continue;
      const value =
        (text[position] as number) * scales.text +
        (context[position] as number) *
          (opensAnswer[position] === 1 ? scales.answerContext : scales.context) +
        (vector[position] as number) * scales.vector;
      if (value > 0)
        rank[position] =
          value *
          (factors[speakerOf[position] as number] as number) *
          (episodeFactors[episodeOf[position] as number] as number);
    }
    const finalists = topPositions(rank, Math.max(query.limit, settings.rerankDepth));
    this.scratch.give(rank);
    // The short reply to a finalist is one too: it may hold none of the question's words.
    const finalistSet = new Set(finalists);
    for (const position of settings.replyInheritance > 0 ? [...finalists] : []) {
      const reply = position + 1;
      if (
        !finalistSet.has(reply) &&
        turns.repliesTo(reply) === position &&
        (!inScope || inScope[reply] === 1)
      ) {
        finalists.push(reply);
        finalistSet.add(reply);
      }
    }

    // Stage 2, the finalists only: the best pair of adjacent sentences,
    // coverage of the question's words, and the expected answer type.
    const details = finalists.map((position) => ({ position, facts: factsOf(position) }));
    const best = {
      sentence: Math.max(0, ...details.map((d) => d.facts.sentence?.score ?? 0)),
      coverage: Math.max(0, ...details.map((d) => d.facts.coverage)),
    };
    const hits: Hit[] = details.map(({ position, facts }) => {
      const passage = passages[position] as Passage;
      const { sentence, coverage, statesAnswer } = facts;
      const { score, adjustments } = finalScore(
        stageOne(position),
        { sentence: sentence?.score ?? 0, coverage },
        best,
        {
          favouredSpeaker: speakers?.has(passage.speaker.name) === true,
          asks: sentence?.asks === true,
          handsOver: turns.handsOver(position),
          statesAnswer,
        },
        settings,
      );
      return {
        passage,
        position,
        score: score * episodeFactor(position),
        signals: {
          text: signals.text[position] as number,
          sentence: sentence?.score ?? 0,
          context: signals.context[position] as number,
          vector: signals.vector[position] as number,
          coverage,
        },
        sentence: sentence && sentence.score > 0 ? { start: sentence.start, end: sentence.end } : undefined,
        evidence: {
          terms: facts.terms,
          statesAnswer,
          adjustments,
          inherited: 0,
          inNamedEpisode: !named || named[episodes.episode(position)] === 1,
        },
      };
    });
    inheritReplies(hits, (position) => turns.repliesTo(position), settings.replyInheritance);
    return hits.sort((a, b) => b.score - a.score || a.passage.start - b.passage.start);
  }

  /** 1 for each passage of the given episodes, 0 elsewhere (cached: a pinned channel asks again and again). */
  scopeMask(episodes: Set<string>): Uint8Array {
    return this.scope(episodes).mask;
  }

  /** The passages of the given episodes: their mask and how many they are. */
  scope(episodes: Set<string>): VectorScope {
    const key = [...episodes].sort().join("\n");
    let scope = this.scopes.get(key);
    if (!scope) {
      let size = 0;
      const mask = Uint8Array.from(this.passages, (p) => (episodes.has(p.episodeId) ? 1 : 0));
      for (const inScope of mask) size += inScope;
      scope = { mask, size };
      if (this.scopes.size > 100) this.scopes.clear();
      this.scopes.set(key, scope);
    }
    return scope;
  }
}
