import type { EpisodeMeta } from "../../corpus/types.js";
import type { Bm25, WeightedTerm } from "../index/bm25.js";
import type { Passage } from "../index/passage.js";
import { type PassageScope, scopeOf } from "../index/passage-scope.js";
import type { QueryAnalysis } from "../query/types.js";

/** What a question names: shows (episodes' `show` values) and people (speaker names); null for none. */
export interface Named {
  shows: Set<string> | null;
  people: Set<string> | null;
  /** People named together (QueryAnalysis.together): an episode with one of each, where there is one. */
  together?: Array<Set<string>>;
}

/** What each episode's passages are multiplied by, and which episodes the question names (null: none, or none in scope). */
export interface EpisodeFactors {
  factors: Float64Array;
  named: Uint8Array | null;
  /** Each episode's fit to the question's words (BM25 over episodes), when more than one was in scope. */
  fits?: Float64Array;
}

/** The bounds of one word's topicality (see `EpisodeRelevance.topicality`). */
const TOPICALITY_FLOOR = -4;
const TOPICALITY_CEILING = 8;

/** The shows and people a question names: the people only when it names them (not "they"). */
export function namedIn(analysis: QueryAnalysis): Named {
  const people = analysis.namesSpeaker
    ? (analysis.speakers ?? (analysis.aboutPerson.length > 0 ? new Set(analysis.aboutPerson) : null))
    : null;
  return {
    shows: analysis.shows,
    people,
    ...(people && analysis.together ? { together: analysis.together } : {}),
  };
}

/** How much each part of the episode factor counts (RetrievalSettings). */
export interface EpisodeWeights {
  /** The episode's fit to the question's words. */
  episodeWeight: number;
  /** Being an episode of the show, or with the person, the question names. */
  namedEpisodeWeight: number;
}

/**
 * How much of a question each episode talks about, taken as one document: BM25 over the
 * episodes, with their passages' words together. A passage holds two or three of a question's
 * words; the episode it comes from holds the rest when it is about the question. In an archive
 * the same two words meet by chance in hundreds of passages, and what tells the right one apart
 * is the episode around it. With one episode every passage has the same episode, and nothing moves.
 */
export class EpisodeRelevance {
  /** Each passage's episode, as a number. */
  readonly episodeOf: Int32Array;
  /** k1 · (1 − b + b · length / average length) per episode. */
  private readonly norms: Float64Array;
  /** Each episode's length in terms. */
  private readonly lengths: Float64Array;
  private readonly count: number;
  /** Scratch: term frequency per episode while one term is summed. */
  private readonly tf: Float64Array;
  /** Each episode's show, and the episodes each speaker speaks in. */
  private readonly showOf: string[];
  private readonly episodesOf = new Map<string, Set<number>>();
  /** Per episode: its first passage, one past its last, and how many it has. */
  private readonly stretches: Int32Array;
  /** Episode id -> its number. */
  private readonly numbers = new Map<string, number>();

  constructor(
    passages: Passage[],
    private readonly bm25: Bm25,
    episodes: EpisodeMeta[],
    private readonly k1 = 1.2,
    b = 0.75,
  ) {
    const { numbers } = this;
    this.episodeOf = Int32Array.from(passages, ({ episodeId }) => {
      let n = numbers.get(episodeId);
      if (n === undefined) {
        n = numbers.size;
        numbers.set(episodeId, n);
      }
      return n;
    });
    this.count = numbers.size;
    const stretches = new Int32Array(3 * this.count);
    for (let n = 0; n < this.count; n++) stretches[3 * n] = this.episodeOf.length;
    this.episodeOf.forEach((n, position) => {
      stretches[3 * n] = Math.min(stretches[3 * n] as number, position);
      stretches[3 * n + 1] = position + 1;
      stretches[3 * n + 2] = (stretches[3 * n + 2] as number) + 1;
    });
    this.stretches = stretches;
    const lengths = new Float64Array(this.count);
    this.lengths = lengths;
    passages.forEach((_, position) => {
      const episode = this.episodeOf[position] as number;
      lengths[episode] = (lengths[episode] as number) + bm25.length(position);
    });
    const average = lengths.reduce((sum, n) => sum + n, 0) / Math.max(1, this.count) || 1;
    this.norms = Float64Array.from(lengths, (length) => k1 * (1 - b + (b * length) / average));
    this.tf = new Float64Array(this.count);
    const shows = new Map(episodes.map((e) => [e.id, e.show]));
    this.showOf = new Array<string>(this.count).fill("");
    for (const [id, n] of numbers) this.showOf[n] = shows.get(id) ?? "";
    passages.forEach(({ speaker }, position) => {
      const set = this.episodesOf.get(speaker.name) ?? new Set<number>();
      set.add(this.episodeOf[position] as number);
      this.episodesOf.set(speaker.name, set);
    });
  }

  /** 1 for each episode with a passage in scope. */
  private present(inScope?: Uint8Array): Uint8Array {
    const present = new Uint8Array(this.count);
    if (!inScope) return present.fill(1);
    for (let position = 0; position < this.episodeOf.length; position++)
      if (inScope[position] === 1) present[this.episodeOf[position] as number] = 1;
    return present;
  }

  /**
   * 1 for an episode of the named shows with one of the named people (either, when one is not
   * named); with people named together, an episode with one of each when the archive has one.
   */
  named({ shows, people, together }: Named): Uint8Array | null {
    if (!shows && !people) return null;
    const mask = new Uint8Array(this.count);
    const withPeople = (together && this.withEach(together)) || this.withAny(people ?? new Set());
    for (let episode = 0; episode < this.count; episode++) {
      const ofShow = !shows || shows.has(this.showOf[episode] as string);
      if (ofShow && (!people || withPeople.has(episode))) mask[episode] = 1;
    }
    return mask;
  }

  /** The episodes any of these people speak in. */
  private withAny(people: Iterable<string>): Set<number> {
    const episodes = new Set<number>();
    for (const name of people) for (const n of this.episodesOf.get(name) ?? []) episodes.add(n);
    return episodes;
  }

  /** The episodes with one person of each group, or null when no episode has them all. */
  private withEach(groups: Array<Set<string>>): Set<number> | null {
    const [first, ...rest] = groups;
    let episodes = this.withAny(first ?? []);
    for (const group of rest) {
      const ofGroup = this.withAny(group);
      episodes = new Set([...episodes].filter((n) => ofGroup.has(n)));
    }
    return episodes.size > 0 ? episodes : null;
  }

  /** The passages of the given episodes (by id): see PassageScope. */
  passagesOf(ids: Set<string>): PassageScope {
    const { episodeOf, stretches } = this;
    const mask = new Uint8Array(episodeOf.length);
    const chosen = new Uint8Array(this.count);
    const scope = { mask, size: 0, from: mask.length, to: 0 };
    let scattered = false;
    for (const id of ids) {
      const n = this.numbers.get(id);
      if (n === undefined) continue;
      chosen[n] = 1;
      const from = stretches[3 * n] as number;
      const to = stretches[3 * n + 1] as number;
      const size = stretches[3 * n + 2] as number;
      // An episode's passages lie together, unless an update moved some: then each is looked at.
      if (to - from !== size) scattered = true;
      mask.fill(1, from, to);
      scope.size += size;
      scope.from = Math.min(scope.from, from);
      scope.to = Math.max(scope.to, to);
    }
    if (!scattered) return { ...scope, from: Math.min(scope.from, scope.to) };
    for (let position = 0; position < mask.length; position++)
      mask[position] = chosen[episodeOf[position] as number] as number;
    return scopeOf(mask);
  }

  /**
   * The ids of the `count` episodes that hold some of the question's words (of those in `ids`,
   * when given), highest factor first: empty when the fits were not worked out.
   */
  best({ factors, fits }: EpisodeFactors, count: number, ids?: ReadonlySet<string>): string[] {
    if (!fits) return [];
    return [...this.numbers]
      .filter(([id, n]) => (fits[n] as number) > 0 && (!ids || ids.has(id)))
      .sort(([, a], [, b]) => (factors[b] as number) - (factors[a] as number))
      .slice(0, count)
      .map(([id]) => id);
  }

  /** The episode (as a number) of the passage at `position`. */
  episode(position: number): number {
    return this.episodeOf[position] as number;
  }

  /** Each episode's BM25 for the weighted terms, one slot per episode. */
  score(query: WeightedTerm[]): Float64Array {
    const { count, tf, norms, k1 } = this;
    const scores = new Float64Array(count);
    const touched: number[] = [];
    for (const { term, weight } of query) {
      const list = this.bm25.postingsOf(term);
      for (let i = 0; i < list.length; i += 2) {
        const episode = this.episodeOf[list[i] as number] as number;
        if (tf[episode] === 0) touched.push(episode);
        tf[episode] = (tf[episode] as number) + (list[i + 1] as number);
      }
      const df = touched.length;
      const scale = weight * Math.log(1 + (count - df + 0.5) / (df + 0.5)) * (k1 + 1);
      for (const episode of touched) {
        const f = tf[episode] as number;
        scores[episode] = (scores[episode] as number) + (scale * f) / (f + (norms[episode] as number));
        tf[episode] = 0;
      }
      touched.length = 0;
    }
    return scores;
  }

  /**
   * What each episode's passages are multiplied by, one slot per episode: 1 in the episode that
   * best fits the question's words, down to `1 − episodeWeight` in one that holds none of them;
   * times `1 − namedEpisodeWeight` outside the shows and people the question names (when some
   * episode in scope is theirs). Only episodes in scope are compared.
   */
  factors(
    query: WeightedTerm[],
    named: Named,
    weights: EpisodeWeights,
    inScope?: Uint8Array,
  ): EpisodeFactors {
    const factors = new Float64Array(this.count).fill(1);
    if (this.count < 2) return { factors, named: null };
    const present = this.present(inScope);
    const { episodeWeight, namedEpisodeWeight } = weights;
    let fits: Float64Array | undefined;
    // One episode in scope is the best that fits, whatever its score: no walk over the archive.
    if (episodeWeight > 0 && present.indexOf(1) !== present.lastIndexOf(1)) {
      const scores = this.score(query);
      fits = scores;
      let best = 0;
      for (let episode = 0; episode < this.count; episode++)
        if (present[episode] === 1) best = Math.max(best, scores[episode] as number);
      for (let episode = 0; best > 0 && episode < this.count; episode++)
        factors[episode] =
          1 - episodeWeight + episodeWeight * Math.min(1, (scores[episode] as number) / best);
    }
    const mask = this.named(named);
    if (!mask || !present.some((p, episode) => p === 1 && mask[episode] === 1))
      return { factors, named: null, ...(fits ? { fits } : {}) };
    for (let episode = 0; episode < this.count; episode++)
      if (mask[episode] === 0) factors[episode] = (factors[episode] as number) * (1 - namedEpisodeWeight);
    return { factors, named: mask, ...(fits ? { fits } : {}) };
  }

  /** Whether none of the terms occurs in any episode of the mask. */
  absentFrom(mask: Uint8Array, terms: string[]): boolean {
    for (const term of terms) {
      const list = this.bm25.postingsOf(term);
      for (let i = 0; i < list.length; i += 2)
        if (mask[this.episodeOf[list[i] as number] as number] === 1) return false;
    }
    return true;
  }

  /**
   * How characteristic of some episode the question's words are, as the archive's refusal reads
   * it: for the episodes of the given passages, the mean over the asked words (weighted) of how much more
   * often the episode says the word than everyday spoken English does, log(share in the episode)
   * + its information content, each clipped to [−4, 8] (−4 for a word the episode never says);
   * the best episode's mean. "How much salt for pasta water?" meets an episode on SaltStack in
   * "salt" alone; a question the archive answers is the talk of some episode in most of its
   * words. Over one episode this is the episode's own measure.
   */
  topicality(
    asked: Array<{ terms: string[]; weight: number }>,
    information: (term: string) => number,
    positions: number[],
  ): number {
    const { count } = this;
    if (asked.length === 0 || positions.length === 0) return Number.NEGATIVE_INFINITY;
    const sums = new Float64Array(count);
    const best = new Float64Array(count);
    const counts = new Float64Array(count);
    let total = 0;
    for (const { terms, weight } of asked) {
      total += weight;
      // A word counts as the best of the corpus words it stands for.
      best.fill(TOPICALITY_FLOOR);
      for (const term of terms) {
        counts.fill(0);
        const list = this.bm25.postingsOf(term);
        for (let i = 0; i < list.length; i += 2) {
          const episode = this.episodeOf[list[i] as number] as number;
          counts[episode] = (counts[episode] as number) + (list[i + 1] as number);
        }
        const info = information(term);
        for (let episode = 0; episode < count; episode++) {
          const n = counts[episode] as number;
          if (n === 0) continue;
          const value = Math.min(TOPICALITY_CEILING, Math.log(n / (this.lengths[episode] as number)) + info);
          if (value > (best[episode] as number)) best[episode] = value;
        }
      }
      for (let episode = 0; episode < count; episode++)
        sums[episode] = (sums[episode] as number) + weight * (best[episode] as number);
    }
    return Math.max(...positions.map((position) => (sums[this.episode(position)] as number) / total));
  }
}
