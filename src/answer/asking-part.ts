import { endsWithQuestion, splitSentences } from "../retrieval/analysis/sentences.js";
import type { QueryAnalysis } from "../retrieval/query/types.js";

/**
 * The sentences of a message that ask something (end with "?"), when it also says other things:
 * "We're moving our ETL jobs to Lambda next month. Did they say anything about the 15 minute
 * limit?" Whether the episode answers is judged on what is asked, not on the context around it,
 * which would otherwise count as foreign words. Undefined when every sentence asks, or none does.
 */
export function askingPart(text: string): string | undefined {
  const sentences = splitSentences(text);
  const asking = sentences.filter((s) => endsWithQuestion(s.text));
  if (asking.length === 0 || asking.length === sentences.length) return undefined;
  return asking.map((s) => s.text).join(" ");
}

/**
 * The analysis to judge the asking part by: its own words, but a name or a word of the episode's
 * own in the context still says the message is about the episode ("Holly mentioned accounts.
 * Why one per microservice?").
 */
export function judgedAnalysis(whole: QueryAnalysis, asking: QueryAnalysis): QueryAnalysis {
  if (asking.asked.size === 0) return whole;
  return {
    ...asking,
    namesEpisode: whole.namesEpisode || asking.namesEpisode,
    namesSpeaker: whole.namesSpeaker || asking.namesSpeaker,
    keyness: Math.max(whole.keyness, asking.keyness),
    // The context's words count too: "We run Kafka. Any tips for my sourdough?" is no kitchen chat.
    register: Number.isNaN(asking.register) ? whole.register : Math.max(whole.register, asking.register),
  };
}
