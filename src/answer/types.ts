import type { SpeakerRole } from "../corpus/types.js";

export type AnswerStatus = "answered" | "uncertain" | "not_found";

export interface EpisodeRef {
  id: string;
  title: string;
  url: string;
  /** The show and the episode's number in it (0: none), to tell apart quotes of several episodes. */
  show?: string;
  number?: number;
}

/** One quoted passage of an answer. Plain data, safe to JSON.stringify. */
export interface AnswerPassage {
  /** Passage id in the index. */
  id: string;
  /** The full passage text. */
  text: string;
  /** The one to three sentences shown to people, with … where cut. */
  quote: string;
  /** Full name ("Holly Mesrobian"), or "Episode notes". */
  speaker: string;
  role: SpeakerRole;
  episode: EpisodeRef;
  /** Character offsets of the passage in the episode's transcript file. */
  start: number;
  end: number;
  /** Seconds into the recording, or null when the transcript has no times. */
  timestamp: number | null;
  score: number;
}

export interface Answer {
  status: AnswerStatus;
  /** The question as understood (after a follow-up was resolved against its conversation). */
  question: string;
  /** A plain sentence for people: why nothing was found, or how sure the answer is. */
  message?: string;
  /** A short grounded summary (optional LLM), checked against the passages. */
  summary?: string;
  passages: AnswerPassage[];
  /**
   * Set when the question was not looked at because of a limit (status `not_found`,
   * `message` says why): `rate` for the person's questions per minute, `busy` for
   * the answers the bot works on at once. Absent on every other answer.
   */
  limited?: "rate" | "busy";
}

export interface AskInput {
  text: string;
  /** Who asked (platform user id); used for rate limits and logs. */
  user?: string;
  /** Follow-ups in the same conversation are resolved against its earlier questions. */
  conversation?: string;
  /** How many passages to return (default 3). */
  limit?: number;
  /** Where the question came from ("slack", "discord", "console"), for limits, logs and metrics. */
  platform?: string;
  /** Only these episodes may answer (a channel pinned to a show or an episode); all when absent. */
  scope?: AskScope;
}

/**
 * Which episodes a question may be answered from: the union of the episodes
 * named by id and every episode of the shows named. A question naming an
 * episode itself ("in episode 12") narrows this further.
 */
export interface AskScope {
  /** Episode ids, as in the sidecars' `id`. */
  episodes?: string[];
  /**
   * Shows, by the name the sidecars or `show.json` give (`Go Time`) or by their folder in the
   * corpus (`gotime`); compared on letters and digits alone, in any case.
   */
  shows?: string[];
  /**
   * The show or episode the asker chose (`/ask in:gotime`), as the archive names it, for the
   * messages when a question reaches outside it; absent for a channel's own scope.
   */
  askedFor?: string;
}

export type Ask = (input: AskInput) => Promise<Answer>;

/** `AskInput` plus, for platforms that can update a posted message, the summary as it is written. */
export interface StreamingAskInput extends AskInput {
  /**
   * Sees the LLM summary so far while the model writes it (whole words; links,
   * mentions and markup stripped). Unchecked: the returned `Answer` decides
   * what stays, and when it has no `summary` the streamed text must be replaced.
   */
  onSummaryText?: (text: string) => void;
  /**
   * Sees the answer with its quotes as soon as they are ready, when an LLM summary is still to
   * be written (never otherwise): a platform that can update a message posts the quotes at
   * once instead of holding them for the summary, and the limits stop counting the question
   * as being looked up. The returned `Answer` is the final one; it adds the summary, or says
   * the quotes may not answer the question.
   */
  onQuotes?: (answer: Answer) => void;
}

/** `Ask` that can also stream the summary; usable wherever an `Ask` is expected. */
export type StreamingAsk = (input: StreamingAskInput) => Promise<Answer>;
