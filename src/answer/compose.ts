import type { EpisodeMeta } from "../corpus/types.js";
import type { Hit } from "../retrieval/ranking/hit.js";
import type { Verdict } from "./abstain.js";
import { selectQuote } from "./quote.js";
import type { Answer, AnswerPassage } from "./types.js";

export const NOT_FOUND_MESSAGE = "The episode doesn't cover that, as far as I can find.";
export const UNCERTAIN_MESSAGE = "The episode may not answer this directly; these are the closest passages.";
export const ELSEWHERE_MESSAGE =
  "The episodes of the show or person you named don't seem to cover that; these are the closest passages.";

/**
 * Passages scoring under this share of the best one are left out: "who is Jeremy?" has one
 * passage that answers it and then turns that merely share his name. On the 161 answerable
 * questions of the eval sets (probe set included) the lowest right passage in a top 5 scores
 * 0.35 of the best; at 0.4 one would be lost.
 */
export const RELATIVE_SCORE_FLOOR = 0.3;

/**
 * A passage quoted must say something of its own: "Right. Right." or "Yeah, exactly." (fillers
 * are stop words) may rank through the turn it replies to, but is no quote. At least this many
 * distinct topic words…
 */
export const MIN_QUOTE_TERMS = 2;

/**
 * …and one the question did not search: "Early days. Early days." says the words of "what did
 * Rob Pike say about the early days of Go?" back, and a short echo outranks the answer's long turn.
 * Nor is a short reply that only says the words of the turn before it back (`HitEvidence.echo`):
 * it ranks through that turn, which is quoted in its own right.
 */
function carriesContent(hit: Hit, searched: ReadonlyMap<string, unknown>): boolean {
  const { own } = hit.evidence.terms;
  if (own.size < MIN_QUOTE_TERMS || hit.evidence.echo) return false;
  for (const term of own) if (!searched.has(term)) return true;
  return false;
}

/**
 * A passage that only asks ("Awesome. How many people are using Michelangelo at Uber these
 * days?") is someone's question about the topic, not what was said about it: the reply is quoted.
 */
function onlyAsks(hit: Hit): boolean {
  const { sentences } = hit.evidence.terms;
  return sentences.some((s) => s.asks) && sentences.every((s) => s.asks || s.terms.length === 0);
}

export function toAnswerPassage(hit: Hit, episodes: Map<string, EpisodeMeta>): AnswerPassage {
  const { passage } = hit;
  const episode = episodes.get(passage.episodeId);
  return {
    id: passage.id,
    text: passage.text,
    quote: selectQuote(hit),
    speaker: passage.speaker.name,
    role: passage.speaker.role,
    episode: {
      id: passage.episodeId,
      title: episode?.title ?? passage.episodeId,
      url: episode?.url ?? "",
      ...(episode ? { show: episode.show, number: episode.number } : {}),
    },
    start: passage.start,
    end: passage.end,
    timestamp: passage.timestamp,
    score: Math.round(hit.score * 1000) / 1000,
  };
}

/** What the quotes depend on in how the question was read (see QueryAnalysis). */
export interface QuestionReading {
  /** The terms the question searched. */
  searched?: ReadonlyMap<string, unknown>;
  /**
   * The question names a person: once the best passage is in their episodes, passages from
   * episodes without them are not quoted ("what did Rob Pike say about the early days of Go?" is
   * not answered by someone else's "early in my youth").
   */
  namesSpeaker?: boolean;
  /**
   * The question asks for episodes (the hits come episode by episode): each episode is quoted
   * once, by its best passage with something to say, however it scores beside another episode's.
   */
  episodeList?: boolean;
  /** The question is about what was asked: a passage that only asks may be quoted (`onlyAsks`). */
  aboutAsking?: boolean;
}

/** Builds the answer people see. A `not_found` answer quotes nothing. */
export function composeAnswer(
  question: string,
  hits: Hit[],
  verdict: Verdict,
  episodes: Map<string, EpisodeMeta>,
  reading: QuestionReading = {},
): Answer {
  if (verdict.status === "not_found") {
    return { status: "not_found", question, message: NOT_FOUND_MESSAGE, passages: [] };
  }
  const { searched = new Map(), namesSpeaker = false, episodeList = false, aboutAsking = false } = reading;
  const quoted = hits
    .filter((hit) => !(namesSpeaker && hits[0]?.evidence.inNamedEpisode && !hit.evidence.inNamedEpisode))
    .filter(
      (hit) =>
        (episodeList || hit.score >= RELATIVE_SCORE_FLOOR * (hits[0]?.score ?? 0)) &&
        carriesContent(hit, searched) &&
        (aboutAsking || !onlyAsks(hit)),
    );
  return {
    status: verdict.status,
    question,
    ...(verdict.status === "uncertain"
      ? { message: verdict.elsewhere ? ELSEWHERE_MESSAGE : UNCERTAIN_MESSAGE }
      : {}),
    passages: onceEach(
      (episodeList ? firstOfEach(quoted) : quoted).map((hit) => toAnswerPassage(hit, episodes)),
    ),
  };
}

/** The first hit of each episode, in order. */
function firstOfEach(hits: Hit[]): Hit[] {
  const seen = new Set<string>();
  return hits.filter((hit) => !seen.has(hit.passage.episodeId) && seen.add(hit.passage.episodeId));
}

/** A quote's words, for telling two quotes apart: case, punctuation and "…" aside. */
function quoteKey(quote: string): string {
  return quote
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/**
 * Each quote once, where it ranks best: an archive airs some episodes twice (a JS Party episode
 * again on The Changelog, a "best of"), and two windows of one turn may share their best sentences.
 */
function onceEach(passages: AnswerPassage[]): AnswerPassage[] {
  const seen = new Set<string>();
  return passages.filter((passage) => {
    const key = quoteKey(passage.quote);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
