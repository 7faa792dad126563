import type { webApi } from "@slack/bolt";
import type { Answer, StreamingAsk } from "../../answer/types.js";
import { type ChannelScopes, scopeForChannel } from "../../config.js";
import { describeError } from "../../errors.js";
import type { Logger } from "../../logger.js";
import type { FeedbackLog } from "../feedback.js";
import type { AnswerStore } from "./answer-store.js";
import { fromSlackText } from "./escape.js";
import { renderAnswer, renderNotice, type SlackMessage } from "./render.js";

/** Passages asked for once; the first {@link PASSAGES_SHOWN} are shown, "More quotes" adds the rest. */
export const PASSAGES_FETCHED = 6;
export const PASSAGES_SHOWN = 3;

export const APOLOGY = "Sorry, something went wrong while answering that. Please try again in a moment.";

/** What every handler shares. */
export interface SlackDeps {
  ask: StreamingAsk;
  log: Logger;
  answers: AnswerStore;
  feedbackLog: FeedbackLog;
  /** Whether `/ask` answers only to the asker unless told otherwise. */
  ephemeralByDefault: boolean;
  /** Channels pinned to some episodes (CHANNEL_SCOPES). */
  channelScopes?: ChannelScopes;
}

/** A question received from Slack, already turned into plain text. */
export interface SlackQuestion {
  text: string;
  user: string;
  /** Channel and thread: follow-ups in the same thread share it. */
  conversation: string;
  /** The channel asked in, for its CHANNEL_SCOPES entry. */
  channel?: string;
  /** Repeat the question in the reply (slash commands, whose text the channel never sees). */
  echoQuestion?: boolean;
}

/** Sends a message wherever the question came from (a thread, a response_url…). */
export type Deliver = (message: SlackMessage) => Promise<unknown>;

/** Where an answer goes. */
export interface Destination {
  deliver: Deliver;
  /**
   * Replaces the message `deliver` sent, where Slack allows it (a thread or DM: chat.update).
   * With it, the quotes go out at once and the LLM summary is added when it is written.
   */
  update?: Deliver;
}

/**
 * Asks, stores the answer for its buttons, renders and delivers it. Any
 * failure is logged and followed by a short apology in the same place, so a
 * question never meets silence. With an LLM and a destination that can be
 * updated, the quotes are posted as soon as they are found and the message is
 * updated once the summary is in, instead of holding the quotes for the model.
 */
export async function answerQuestion(
  deps: SlackDeps,
  question: SlackQuestion,
  destination: Destination,
): Promise<void> {
  const started = performance.now();
  let answerKey: string | undefined;
  /** Stores the answer for its buttons (the same key when the summary replaces the quotes) and renders it. */
  const messageFor = (answer: Answer): SlackMessage => {
    if (answer.status !== "not_found") {
      const stored = {
        answer,
        question: question.text,
        conversation: question.conversation,
        echoQuestion: question.echoQuestion,
        shown: PASSAGES_SHOWN,
      };
      if (answerKey === undefined) answerKey = deps.answers.put(stored);
      else deps.answers.replace(answerKey, stored);
    }
    return renderAnswer(answer, {
      shown: PASSAGES_SHOWN,
      answerKey,
      question: question.text,
      echoQuestion: question.echoQuestion,
    });
  };
  let quotes: { answer: Answer; posted: Promise<boolean> } | undefined;
  const { update } = destination;
  try {
    const answer = await deps.ask({
      text: question.text,
      user: question.user,
      conversation: question.conversation,
      limit: PASSAGES_FETCHED,
      platform: "slack",
      scope: scopeForChannel(deps.channelScopes, question.channel),
      onQuotes: update
        ? (early) => {
            // Settled here, not left to reject while the summary is written.
            const posted = destination.deliver(messageFor(early)).then(
              () => true,
              (error: unknown) => {
                deps.log.warn(
                  { err: describeError(error) },
                  "could not post the quotes ahead of the summary",
                );
                return false;
              },
            );
            quotes = { answer: early, posted };
          }
        : undefined,
    });
    if (quotes && update && (await quotes.posted)) {
      if (answer !== quotes.answer) await updateWithSummary(deps, update, messageFor(answer));
    } else {
      await destination.deliver(messageFor(answer));
    }
    // The core writes the one info line per question; this adds where it went, for debugging.
    deps.log.debug(
      {
        conversation: question.conversation,
        status: answer.status,
        passages: answer.passages.length,
        ms: Math.round(performance.now() - started),
      },
      "slack question answered",
    );
  } catch (error) {
    deps.log.error(
      { conversation: question.conversation, err: describeError(error) },
      "slack question failed",
    );
    try {
      await destination.deliver(renderNotice(APOLOGY));
    } catch (apologyError) {
      deps.log.error(
        { conversation: question.conversation, err: describeError(apologyError) },
        "could not deliver the apology either",
      );
    }
  }
}

/** The summary added to quotes already posted; if that fails the quotes stand on their own. */
async function updateWithSummary(deps: SlackDeps, update: Deliver, message: SlackMessage): Promise<void> {
  try {
    await update(message);
  } catch (error) {
    deps.log.warn({ err: describeError(error) }, "could not add the summary to the posted quotes");
  }
}

/**
 * Posts into a thread (or a DM when `threadTs` is undefined), with link previews off, and can
 * replace the message it posted.
 */
export function postTo(client: webApi.WebClient, channel: string, threadTs: string | undefined): Destination {
  let posted: string | undefined;
  return {
    deliver: async (message) => {
      const result = await client.chat.postMessage({
        channel,
        ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
        text: message.text,
        blocks: message.blocks,
        unfurl_links: false,
        unfurl_media: false,
      });
      posted = result.ts;
      return result;
    },
    update: async (message) => {
      if (posted === undefined) throw new Error("no message posted to update");
      return client.chat.update({ channel, ts: posted, text: message.text, blocks: message.blocks });
    },
  };
}

/** A person's message in a DM or the assistant panel, as Slack delivers it. */
export interface SlackMessageQuestion {
  text: string;
  user: string;
  channel: string;
  /** The thread the message is in; undefined for a top-level DM (the whole DM is one conversation). */
  threadTs: string | undefined;
}

/** Answers a message in its own thread (or DM): the DM and assistant handlers both do this. */
export function answerMessage(
  deps: SlackDeps,
  client: webApi.WebClient,
  botUserId: string | undefined,
  message: SlackMessageQuestion,
): Promise<void> {
  return answerQuestion(
    deps,
    {
      text: fromSlackText(message.text, botUserId),
      user: message.user,
      conversation: conversationId(message.channel, message.threadTs),
    },
    postTo(client, message.channel, message.threadTs),
  );
}

/** The `ask` conversation of a Slack thread (or of a whole DM when `threadTs` is undefined). */
export function conversationId(channel: string, threadTs?: string): string {
  return threadTs === undefined ? `slack:${channel}` : `slack:${channel}:${threadTs}`;
}
