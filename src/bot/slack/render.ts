import type { types } from "@slack/bolt";
import { deepLink } from "../../answer/deep-link.js";
import { quoteEpisodeName, quotesSeveralEpisodes } from "../../answer/episode-name.js";
import type { Answer, AnswerPassage } from "../../answer/types.js";
import { roleSuffix } from "../attribution.js";
import { formatTimestamp } from "../render-text.js";
import { escapeMrkdwn, truncateEscaped, truncatePlain } from "./escape.js";

type KnownBlock = types.KnownBlock;

/** Slack's limits: characters in a section's text, blocks per message. */
export const SECTION_TEXT_MAX = 3_000;
export const MAX_BLOCKS = 50;
/** The plain `text` fallback (notifications, screen readers) is kept short; Slack cuts at 40,000. */
export const FALLBACK_TEXT_MAX = 3_000;
/** Longest echo of the asker's question. */
export const QUESTION_ECHO_MAX = 300;

/** Action ids of the buttons under an answer. */
export const ACTION_MORE_QUOTES = "more_quotes";
export const ACTION_VOTE_UP = "feedback_up";
export const ACTION_VOTE_DOWN = "feedback_down";

/** What is posted: Block Kit blocks and the plain fallback text. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

export interface RenderOptions {
  /** How many passages to show (the rest come with "More quotes"). */
  shown: number;
  /** Key of the stored answer; without it the message gets no buttons. */
  answerKey?: string;
  /** The question as the person typed it (plain text). */
  question?: string;
  /** Repeat the question above the answer (a slash command's text is not visible to the channel). */
  echoQuestion?: boolean;
}

const NOT_FOUND = "The episode doesn't cover that.";

/** Escapes text cut first to what could fit in a section: escaping a 50 kB string only to cut it is waste. */
function esc(text: string): string {
  return escapeMrkdwn(truncatePlain(text, SECTION_TEXT_MAX));
}

function episodeLink(passage: AnswerPassage, several: boolean): string {
  const title = esc(quoteEpisodeName(passage.episode, several));
  // At the quote's moment in the recording when the transcript is timed.
  const url = deepLink(passage.episode.url, passage.timestamp);
  // Only a plain http(s) URL becomes a link: anything else could break out of `<url|label>`.
  // "&" is written "&amp;" in mrkdwn, inside a link's URL too (Slack decodes it).
  return url && /^https?:\/\/[^\s<>|]+$/.test(url) ? `<${url.replace(/&/g, "&amp;")}|${title}>` : title;
}

function attribution(passage: AnswerPassage, several: boolean): string {
  const time = passage.timestamp === null ? "" : ` · at ${formatTimestamp(passage.timestamp)}`;
  return `— *${esc(passage.speaker)}*${roleSuffix(passage)} · ${episodeLink(passage, several)}${time}`;
}

/** A quote and its credit; `several`: the answer quotes several episodes, so each names its show and number. */
function quoteSection(passage: AnswerPassage, index: number, several: boolean): KnownBlock {
  const credit = attribution(passage, several);
  const quote = esc(`“${passage.quote.trim()}”`);
  // Room for the quote once the attribution, the newline and the ">" prefixes are counted.
  const lines = quote.split("\n").length;
  const room = SECTION_TEXT_MAX - credit.length - 1 - lines;
  const body = truncateEscaped(quote, Math.max(1, room))
    .split("\n")
    .map((line) => `>${line}`)
    .join("\n");
  return {
    type: "section",
    block_id: `quote_${index}`,
    text: { type: "mrkdwn", text: truncateEscaped(`${body}\n${credit}`, SECTION_TEXT_MAX) },
  };
}

function context(text: string, blockId: string): KnownBlock {
  return {
    type: "context",
    block_id: blockId,
    elements: [{ type: "mrkdwn", text: truncateEscaped(text, SECTION_TEXT_MAX) }],
  };
}

function sameQuestion(a: string, b: string): boolean {
  const norm = (s: string) => s.toLowerCase().replace(/\s+/g, " ").trim();
  return norm(a) === norm(b);
}

function buttons(answer: Answer, options: RenderOptions, key: string): KnownBlock {
  const remaining = answer.passages.length - options.shown;
  const elements: types.Button[] = [];
  if (remaining > 0) {
    elements.push({
      type: "button",
      action_id: ACTION_MORE_QUOTES,
      text: { type: "plain_text", text: `More quotes (${remaining})` },
      value: key,
    });
  }
  elements.push(
    {
      type: "button",
      action_id: ACTION_VOTE_UP,
      text: { type: "plain_text", text: "👍", emoji: true },
      value: key,
      accessibility_label: "Helpful answer",
    },
    {
      type: "button",
      action_id: ACTION_VOTE_DOWN,
      text: { type: "plain_text", text: "👎", emoji: true },
      value: key,
      accessibility_label: "Unhelpful answer",
    },
  );
  return { type: "actions", block_id: "answer_actions", elements };
}

function fallbackText(answer: Answer, passages: AnswerPassage[]): string {
  const lines: string[] = [];
  if (answer.message) lines.push(answer.message);
  if (answer.summary) lines.push(answer.summary);
  for (const passage of passages) lines.push(`“${passage.quote.trim()}” — ${passage.speaker}`);
  return truncateEscaped(esc(lines.join("\n")), FALLBACK_TEXT_MAX);
}

/**
 * An `Answer` as a Slack message: the question (when echoed), how it was read,
 * the summary, each quote with its speaker, role and episode link, then the
 * "More quotes" and 👍/👎 buttons. Pure: every piece of user or transcript text
 * is escaped, and the result stays within Slack's block and character limits.
 */
export function renderAnswer(answer: Answer, options: RenderOptions): SlackMessage {
  if (answer.status === "not_found") return renderNotice(answer.message ?? NOT_FOUND);

  const head: KnownBlock[] = [];
  const asked =
    options.question === undefined ? undefined : truncatePlain(options.question, QUESTION_ECHO_MAX);
  if (options.echoQuestion && asked) head.push(context(`*Question:* ${esc(asked)}`, "question"));
  if (options.question !== undefined && answer.question && !sameQuestion(answer.question, options.question)) {
    const readAs = truncatePlain(answer.question, QUESTION_ECHO_MAX);
    head.push(context(`Read as: ${esc(readAs)}`, "read_as"));
  }
  if (answer.message) head.push(context(esc(answer.message), "message"));
  if (answer.summary) {
    head.push({
      type: "section",
      block_id: "summary",
      text: { type: "mrkdwn", text: truncateEscaped(esc(answer.summary), SECTION_TEXT_MAX) },
    });
  }
  const tail = options.answerKey === undefined ? 0 : 1;
  const room = Math.max(0, MAX_BLOCKS - head.length - tail);
  const passages = answer.passages.slice(0, Math.min(Math.max(0, options.shown), room));
  const several = quotesSeveralEpisodes(answer);
  const blocks = [...head, ...passages.map((passage, i) => quoteSection(passage, i, several))];
  if (options.answerKey !== undefined) {
    blocks.push(buttons(answer, { ...options, shown: passages.length }, options.answerKey));
  }
  return { text: fallbackText(answer, passages), blocks };
}

/** A one-line message (not found, an apology, usage): plain text escaped into one section. */
export function renderNotice(text: string): SlackMessage {
  const escaped = truncateEscaped(esc(text), SECTION_TEXT_MAX);
  return {
    text: escaped,
    blocks: [{ type: "section", block_id: "notice", text: { type: "mrkdwn", text: escaped } }],
  };
}
