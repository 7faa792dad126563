import type { WeightedTerm } from "../index/bm25.js";
import type { Passage } from "../index/passage.js";
import type { PassageScope } from "../index/passage-scope.js";
import { type QuotedPhrase, saysQuoted } from "../query/quoted.js";
import type { Query, QueryAnalysis } from "../query/types.js";
import type { RetrievalSettings } from "../settings.js";
import {
  finalScore,
  inheritReplies,
  scalesOf,
  stageOneFactor,
  stageOneMaxes,
  stageOneSum,
} from "./combine.js";
import { type EpisodeFactors, type EpisodeRelevance, namedIn } from "./episodes.js";
import type { Hit } from "./hit.js";
import type { PassageFacts } from "./passage-facts.js";
import type { StageOneSignals } from "./signals.js";
import {
  type FirstRanking,
  KEPT,
  raisedMaxes,
  type SecondRanking,
  stageOneAgain,
  stageOneOverAll,
} from "./stage-one.js";
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
  private readonly speakerIds = new Map<string, number>();
  private readonly speakerOf: Int32Array;
  /** The speakers of the episode notes, which describe the people: favoured when a question is about one. */
  private readonly notesSpeakers = new Set<string>();
  private readonly turns: TurnLinks;
  private readonly scopes = new Map<string, PassageScope>();

  constructor(
    private readonly passages: Passage[],
    private readonly settings: RetrievalSettings,
    private readonly episodes: EpisodeRelevance,
    /** How many of its best passages a first ranking keeps for the second (`KEPT`; tests use fewer). */
    private readonly kept = KEPT,
  ) {
    const ids = this.speakerIds;
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

  /**
   * Stage 1 over every passage in scope, then stage 2 over the finalists: every finalist, best
   * first, and what a second ranking of the question (after feedback) can start from.
   */
  rank(
    query: Query,
    analysis: QueryAnalysis,
    signals: StageOneSignals,
    factsOf: (position: number) => PassageFacts,
    { factors: episodeFactors, named }: EpisodeFactors,
    again?: SecondRanking,
    /** Phrases the question quotes: a passage of stage 1's best that says one is a finalist. */
    quoted: QuotedPhrase[] = [],
  ): { hits: Hit[]; first: FirstRanking } {
    const { passages, settings, turns, episodes } = this;
    const scope = query.episodes ? this.scope(query.episodes) : undefined;
    const inScope = scope?.mask;
    const { episodeOf } = episodes;
    const episodeFactor = (position: number) => episodeFactors[episodeOf[position] as number] as number;
    const maxes = again
      ? raisedMaxes(again, signals, inScope)
      : (signals.maxes ?? stageOneMaxes(signals, scope));
    const scales = scalesOf(maxes, settings);
    const stageOne = (position: number) =>
      stageOneSum(signals, scales, position, turns.answersQuestion(position));
    // Per speaker, not per passage: a question about "the host" of a large archive names hundreds.
    const speakers = analysis.aboutPerson.length > 0 ? this.notesSpeakers : analysis.speakers;
    const factors = this.speakerFactors(speakers);
    // Runs for every passage of an archive: stageOneSum written out over local typed arrays.
    const { text, context, vector } = signals;
    const opensAnswer = turns.opensAnswer;
    const { speakerOf } = this;
    const valueAt = (position: number): number => {
      const value =
        (text[position] as number) * scales.text +
        (context[position] as number) *
          (opensAnswer[position] === 1 ? scales.answerContext : scales.context) +
        (vector[position] as number) * scales.vector;
      return value > 0
        ? value *
            (factors[speakerOf[position] as number] as number) *
            (episodeFactors[episodeOf[position] as number] as number)
        : 0;
    };
    const depth = Math.max(query.limit, settings.rerankDepth);
    const found =
      (again && stageOneAgain(again, valueAt, depth, this.kept, inScope)) ??
      stageOneOverAll(valueAt, depth, this.kept, scope, this.speakerOf.length);
    const finalists = found.best.slice(0, depth);
    const finalistSet = new Set(finalists);
    // A passage saying a phrase the question quotes may hold little else of it ("who came up with
    // the 'heck yes or no' rule?"): among stage 1's best, it is a finalist too.
    for (const position of quoted.length > 0 ? found.best : []) {
      if (finalistSet.has(position)) continue;
      if (!saysQuoted(quoted, position, () => (passages[position] as Passage).text)) continue;
      finalists.push(position);
      finalistSet.add(position);
    }
    // The short reply to a finalist is one too: it may hold none of the question's words.
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
          echo: turns.echoes(position, facts.terms),
        },
      };
    });
    inheritReplies(hits, (position) => turns.repliesTo(position), settings.replyInheritance);
    return {
      hits: hits.sort((a, b) => b.score - a.score || a.passage.start - b.passage.start),
      first: { kept: found.best, floor: found.floor, maxes },
    };
  }

  /**
   * Stage 1's adjustment for each speaker (by position in `speakerNames`): the same for all but
   * the favoured ones, so set one by one for those (an archive has thousands of speakers).
   */
  private speakerFactors(favoured: Set<string> | null | undefined): Float64Array {
    const facts = { favouredSpeaker: false, asks: false, handsOver: false, statesAnswer: false };
    const factors = new Float64Array(this.speakerNames.length).fill(stageOneFactor(facts, this.settings));
    const favouredFactor = stageOneFactor({ ...facts, favouredSpeaker: true }, this.settings);
    for (const name of favoured ?? []) {
      const id = this.speakerIds.get(name);
      if (id !== undefined) factors[id] = favouredFactor;
    }
    return factors;
  }

  /** 1 for each passage of the given episodes, 0 elsewhere (cached: a pinned channel asks again and again). */
  scopeMask(episodes: Set<string>): Uint8Array {
    return this.scope(episodes).mask;
  }

  /** The passages of the given episodes (see PassageScope). */
  scope(episodes: Set<string>): PassageScope {
    const key = [...episodes].sort().join("\n");
    let scope = this.scopes.get(key);
    if (!scope) {
      // Through episode numbers: reading 372,555 passages' ids took 50 ms.
      scope = this.episodes.passagesOf(episodes);
      if (this.scopes.size > 100) this.scopes.clear();
      this.scopes.set(key, scope);
    }
    return scope;
  }
}
