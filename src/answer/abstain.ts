import type { Bm25 } from "../retrieval/index/bm25.js";
import { statesAnswerType } from "../retrieval/query/answer-type.js";
import type { QueryAnalysis } from "../retrieval/query/types.js";
import { topicMass, topicShare } from "../retrieval/ranking/coverage.js";
import type { Hit } from "../retrieval/ranking/hit.js";
import type { AnswerStatus } from "./types.js";

/**
 * Deciding whether the episode answers a question, from three signals rather
 * than one magic score:
 * - foreignness: the share of the question's telling words (weighted by
 *   salience in everyday English) that the episode never uses. "Mona Lisa",
 *   "banana bread" are foreign; "regularly" in "do they load test regularly"
 *   is a minor part of its question.
 * - topic share: how much of the question's topic the best passages hold, directly,
 *   in the question they reply to, or through a related word; words that are
 *   everywhere in the episode ("lambda") count for little. Not the ranking's `coverage`
 *   signal: retrieval/ranking/coverage.ts holds both and says how they differ. It is read
 *   from each hit's evidence (its words as the ranking read them), for the question as judged.
 * - answer type: a question asking for an amount, a date or a frequency needs a passage that
 *   states one beside the question's topic words.
 * - topicality: a question that names nothing of the episode (no speaker, show or
 *   episode) and uses no word the episode says far more often than everyday speech
 *   does, is about something else when a fair share of its words are foreign too
 *   ("tips for managing stress at work": "managing" and "work" are everyday words), when
 *   the best passages' episodes hardly talk about its words, or, over an archive, when its
 *   telling words are on average no more the archive's than everyday English's (register).
 */
export interface AbstentionSettings {
  /** Foreignness at or above which the question is off-topic (`not_found`). */
  foreign: number;
  /** Topic share below which nothing is shown (`not_found`). */
  minTopicShare: number;
  /** Topic share below which the closest passages are shown as `uncertain`. */
  answered: number;
  /** Credit for a word found only in the turn a passage replies to. */
  contextCredit: number;
  /** Credit of a related (WordNet) word, times its expansion weight. */
  relatedCredit: number;
  /** How many top passages may each lend their topic share (the best one counts). */
  passagesConsidered: number;
  /** Keyness (see QueryAnalysis) below which a question uses no word of the episode's own. */
  minKeyness: number;
  /** Foreignness at or above which such a question is off-topic. */
  offTopicForeign: number;
  /**
   * Topicality (see `Retriever.topicality`) under which a question that names nothing of the
   * archive is off-topic: no episode among the best passages' talks about most of its words.
   */
  minTopicality: number;
  /**
   * Register (see QueryAnalysis) under which such a question is off-topic: its telling words are,
   * on average, no more the corpus's than everyday English's ("car loan", "sprained ankle" over a
   * technology archive)…
   */
  minRegister: number;
  /**
   * …in a corpus of at least this many passages (about 50 hour-long episodes): in one episode's
   * 9,000 words how often an everyday word is said is chance ("deliberately break their own
   * systems to practice" is how a listener asks about game days).
   */
  registerPassages: number;
}

export const DEFAULT_ABSTENTION: AbstentionSettings = {
  foreign: 0.8,
  minTopicShare: 0.1,
  answered: 0.3,
  contextCredit: 0.7,
  relatedCredit: 0.5,
  passagesConsidered: 3,
  minKeyness: 4,
  offTopicForeign: 0.45,
  minTopicality: 0.7,
  minRegister: 0,
  registerPassages: 10_000,
};

export interface Verdict {
  status: AnswerStatus;
  /** The best topic share of the top passages. */
  topicShare: number;
  foreignness: number;
  /**
   * False when the question wants an amount, a date or a frequency and no top passage states one
   * (a yes/no question about a frequency never hedges for it).
   */
  typeMatched: boolean;
  /** The question names a show or a person, and none of the passages found is from their episodes. */
  elsewhere?: boolean;
}

function foreignnessOf(analysis: QueryAnalysis): number {
  let total = 0;
  let foreign = 0;
  for (const [term, weight] of analysis.asked) {
    const salience = (analysis.salience.get(term) ?? 1) * weight;
    total += salience;
    if (!analysis.known.has(term) && !analysis.respelled.has(term)) foreign += salience;
    else if (analysis.displaced.has(term)) foreign += salience / 2;
  }
  return total > 0 ? foreign / total : 1;
}

/**
 * The hit's sentences with their terms, as the ranking read them (`statesAnswerType` would split
 * the text again otherwise).
 */
function sentencesOf(hit: Hit): Array<{ text: string; terms: string[] }> {
  return hit.evidence.terms.sentences.map((s) => ({
    text: hit.passage.text.slice(s.start, s.end),
    terms: s.terms,
  }));
}

/**
 * `analysis` is the question as judged: the one retrieval ranked for, or only the part of it
 * that asks (answer/asking-part.ts), which is why the topic share is worked out here, from each
 * hit's evidence, and not taken from the ranking.
 */
export function judge(
  hits: Hit[],
  analysis: QueryAnalysis,
  bm25: Bm25,
  settings: AbstentionSettings = DEFAULT_ABSTENTION,
  /** How much the best passages' episodes talk about the question (read only when it names none of them). */
  topicality: () => number = () => Number.POSITIVE_INFINITY,
  /** A topic word the episodes of the show or person the question names never say (null: none, or names no one). */
  missingTopic: () => string | null = () => null,
): Verdict {
  const top = hits.slice(0, settings.passagesConsidered);
  if (analysis.asked.size === 0 || top.length === 0) {
    return { status: "not_found", topicShare: 0, foreignness: 1, typeMatched: false };
  }
  // A question naming a show or a person is answered from their episodes: when none of the
  // passages found there holds any of its topic, or their episodes never say a topic word the
  // archive talks about ("what did Mitch Wainer say about Kubernetes?"), the closest passages are
  // shown as such.
  const names = analysis.namesSpeaker || analysis.shows !== null;
  const elsewhere =
    names &&
    (missingTopic() !== null ||
      !hits.some(
        (hit) =>
          hit.evidence.inNamedEpisode &&
          topicShare(hit.evidence.terms, analysis, bm25, settings) >= settings.minTopicShare,
      ));
  const foreignness = foreignnessOf(analysis);
  const share = Math.max(...top.map((hit) => topicShare(hit.evidence.terms, analysis, bm25, settings)));
  const { expected } = analysis;
  const topic = [...analysis.known]
    .map((term) => ({ term, mass: topicMass(term, analysis, bm25) }))
    .sort((a, b) => b.mass - a.mass)[0]?.term;
  const typeMatched =
    expected.optional === true || top.some((hit) => statesAnswerType(sentencesOf(hit), expected, topic));
  let status: AnswerStatus = "answered";
  const offTopic =
    !analysis.namesEpisode &&
    analysis.keyness < settings.minKeyness &&
    (foreignness >= settings.offTopicForeign ||
      (bm25.size >= settings.registerPassages && analysis.register < settings.minRegister) ||
      topicality() < settings.minTopicality);
  // A question about one of the episode's people may be answered in words it does not use ("what
  // did Holly study in grad school?" – "two graduate degrees"): when the closest passages hold
  // enough of it, they are shown, hedged. Her favourite movie still finds nothing.
  const foreign = foreignness >= settings.foreign;
  const personal = analysis.namesSpeaker && share >= settings.answered;
  if ((foreign && !personal) || share < settings.minTopicShare || offTopic) status = "not_found";
  else if (foreign || share < settings.answered || !typeMatched || elsewhere) status = "uncertain";
  return { status, topicShare: share, foreignness, typeMatched, ...(elsewhere ? { elsewhere } : {}) };
}
