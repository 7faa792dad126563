import type { Bm25 } from "../retrieval/index/bm25.js";
import type { Hit } from "../retrieval/index/passage.js";
import { statesAnswerType } from "../retrieval/query/answer-type.js";
import type { QueryAnalysis } from "../retrieval/retriever.js";
import type { AnswerStatus } from "./types.js";

/**
 * Deciding whether the episode answers a question, from three signals rather
 * than one magic score:
 * - foreignness: the share of the question's telling words (weighted by
 *   salience in everyday English) that the episode never uses. "Mona Lisa",
 *   "banana bread" are foreign; "regularly" in "do they load test regularly"
 *   is a minor part of its question.
 * - coverage: how much of the question's topic the best passages hold, directly,
 *   in the question they reply to, or through a related word; words that are
 *   everywhere in the episode ("lambda") count for little.
 * - answer type: a question asking for an amount, a date or a frequency needs a passage that
 *   states one beside the question's topic words.
 * - topicality: a question that names nothing of the episode (no speaker, show or
 *   episode) and uses no word the episode says far more often than everyday speech
 *   does, is about something else when a fair share of its words are foreign too
 *   ("tips for managing stress at work": "managing" and "work" are everyday words).
 */
export interface AbstentionSettings {
  /** Foreignness at or above which the question is off-topic (`not_found`). */
  foreign: number;
  /** Coverage below which nothing is shown (`not_found`). */
  minCoverage: number;
  /** Coverage below which the closest passages are shown as `uncertain`. */
  answered: number;
  /** Credit for a word found only in the turn a passage replies to. */
  contextCredit: number;
  /** Credit of a related (WordNet) word, times its expansion weight. */
  relatedCredit: number;
  /** How many top passages may each lend coverage (the best one counts). */
  passagesConsidered: number;
  /** Keyness (see QueryAnalysis) below which a question uses no word of the episode's own. */
  minKeyness: number;
  /** Foreignness at or above which such a question is off-topic. */
  offTopicForeign: number;
}

export const DEFAULT_ABSTENTION: AbstentionSettings = {
  foreign: 0.8,
  minCoverage: 0.1,
  answered: 0.3,
  contextCredit: 0.7,
  relatedCredit: 0.5,
  passagesConsidered: 3,
  minKeyness: 4,
  offTopicForeign: 0.45,
};

export interface Verdict {
  status: AnswerStatus;
  coverage: number;
  foreignness: number;
  /**
   * False when the question wants an amount, a date or a frequency and no top passage states one
   * (a yes/no question about a frequency never hedges for it).
   */
  typeMatched: boolean;
}

function topicMass(term: string, analysis: QueryAnalysis, bm25: Bm25): number {
  const salience = analysis.salience.get(term) ?? 1;
  if (!analysis.known.has(term)) return salience;
  // Scale by rarity in the episode: the episode's own subject is not evidence of an answer.
  const maxIdf = Math.log(1 + (bm25.size + 0.5) / 0.5);
  return salience * Math.min(1, bm25.idf(term) / (0.5 * maxIdf));
}

/** A passage's index terms: its own words and those of the turn it replies to. */
export type WordsOf = (hit: Hit) => { own: Set<string>; context: Set<string> };

function coverageOf(
  hit: Hit,
  analysis: QueryAnalysis,
  bm25: Bm25,
  settings: AbstentionSettings,
  wordsOf: WordsOf,
): number {
  const { own, context } = wordsOf(hit);
  let total = 0;
  let covered = 0;
  for (const [term, weight] of analysis.asked) {
    const mass = topicMass(term, analysis, bm25) * weight;
    total += mass;
    let credit = own.has(term) ? 1 : context.has(term) ? settings.contextCredit : 0;
    const respelled = analysis.respelled.get(term);
    for (const [target, { weight: w, from }] of analysis.searched) {
      if (from !== term || target === term || credit >= 1) continue;
      // A misspelt word found as written correctly is the word itself, not a relative.
      const relative = respelled?.includes(target) ? 1 : (w / weight) * settings.relatedCredit;
      if (own.has(target)) credit = Math.max(credit, relative);
      else if (context.has(target)) credit = Math.max(credit, relative * settings.contextCredit);
    }
    covered += mass * credit;
  }
  return total > 0 ? covered / total : 0;
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

export function judge(
  hits: Hit[],
  analysis: QueryAnalysis,
  bm25: Bm25,
  wordsOf: WordsOf,
  settings: AbstentionSettings = DEFAULT_ABSTENTION,
): Verdict {
  const top = hits.slice(0, settings.passagesConsidered);
  if (analysis.asked.size === 0 || top.length === 0) {
    return { status: "not_found", coverage: 0, foreignness: 1, typeMatched: false };
  }
  const foreignness = foreignnessOf(analysis);
  const coverage = Math.max(...top.map((hit) => coverageOf(hit, analysis, bm25, settings, wordsOf)));
  const { expected } = analysis;
  const topic = [...analysis.known]
    .map((term) => ({ term, mass: topicMass(term, analysis, bm25) }))
    .sort((a, b) => b.mass - a.mass)[0]?.term;
  const typeMatched =
    expected.optional === true || top.some((hit) => statesAnswerType(hit.passage.text, expected, topic));
  let status: AnswerStatus = "answered";
  const offTopic =
    !analysis.namesEpisode &&
    analysis.keyness < settings.minKeyness &&
    foreignness >= settings.offTopicForeign;
  // A question about one of the episode's people may be answered in words it does not use ("what
  // did Holly study in grad school?" – "two graduate degrees"): when the closest passages hold
  // enough of it, they are shown, hedged. Her favourite movie still finds nothing.
  const foreign = foreignness >= settings.foreign;
  const personal = analysis.namesSpeaker && coverage >= settings.answered;
  if ((foreign && !personal) || coverage < settings.minCoverage || offTopic) status = "not_found";
  else if (foreign || coverage < settings.answered || !typeMatched) status = "uncertain";
  return { status, coverage, foreignness, typeMatched };
}
