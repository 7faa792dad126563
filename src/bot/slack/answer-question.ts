import type { webApi } from "@slack/bolt";
import type { EpisodeCatalog } from "../../answer/scope-names.js";
import type { AskScope } from "../../answer/types.js";
import { type ChannelScopes, scopeForChannel } from "../../config.js";
import type { Logger } from "../../logger.js";
import {
  answerQuestion as answerInChat,
  type ChatReply,
  type FlowDeps,
  type ReplyTarget,
} from "../answer-flow.js";
import type { Claims } from "../claims.js";
import type { FeedbackLog } from "../feedback.js";
import { fromSlackText } from "./escape.js";
import type { PostMessage } from "./post-once.js";
import { renderAnswer, renderNotice, type SlackMessage } from "./render.js";

/** What every handler shares. */
export interface SlackDeps {
  /** The answer flow's needs: the use case, the quote store behind the buttons. */
  flow: FlowDeps;
  log: Logger;
  /** Posts a message without ever sending it twice (see post-once.ts). */
  post: PostMessage;
  feedbackLog: FeedbackLog;
  /** Messages claimed, so each is answered once whatever event (and replica) brings it. */
  claims: Claims;
  /** Whether `/ask` answers only to the asker unless told otherwise. */
  ephemeralByDefault: boolean;
  /** Channels pinned to some episodes (CHANNEL_SCOPES). */
  channelScopes?: ChannelScopes;
  /** The episodes of the index serving now, which `/ask in:NAME` names one of. */
  episodes: EpisodeCatalog;
}

/** A question received from Slack, already turned into plain text. */
export interface SlackQuestion {
  text: string;
  user: string;
  /** Channel and thread: follow-ups in the same thread share it. */
  conversation: string;
  /** The channel asked in, for its CHANNEL_SCOPES entry. */
  channel?: string;
  /** The episodes to answer from, when the asker narrowed the channel's (`/ask in:NAME`). */
  scope?: AskScope;
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

/** The answer flow's replies as Slack messages, sent to `destination`. */
function slackTarget(destination: Destination, question: SlackQuestion): ReplyTarget<void> {
  const render = (reply: ChatReply): SlackMessage =>
    reply.kind === "notice"
      ? renderNotice(reply.text)
      : renderAnswer(reply.answer, {
          shown: reply.to,
          answerKey: reply.key,
          question: question.text,
          echoQuestion: question.echoQuestion,
        });
  const { update } = destination;
  return {
    post: async (reply) => {
      await destination.deliver(render(reply));
    },
    edit: update
      ? async (_posted, reply) => {
          await update(render(reply));
        }
      : undefined,
    apologiseAfter: () => true,
  };
}

/** Answers a Slack question through the shared answer flow (see answer-flow.ts). */
export function answerQuestion(
  deps: SlackDeps,
  question: SlackQuestion,
  destination: Destination,
): Promise<void> {
  return answerInChat(
    deps.flow,
    {
      text: question.text,
      user: question.user,
      conversation: question.conversation,
      scope: question.scope ?? scopeForChannel(deps.channelScopes, question.channel),
      echoQuestion: question.echoQuestion,
    },
    slackTarget(destination, question),
  );
}

/**
 * Posts into a thread (or a DM when `threadTs` is undefined), with link previews off, and can
 * replace the message it posted. The update goes through the client's retries: sending the same
 * update twice leaves one message, as it should.
 */
export function postTo(
  deps: SlackDeps,
  client: webApi.WebClient,
  channel: string,
  threadTs: string | undefined,
): Destination {
  let posted: string | undefined;
  return {
    deliver: async (message) => {
      posted = await deps.post(client, {
        channel,
        ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
        text: message.text,
        blocks: message.blocks,
        unfurl_links: false,
        unfurl_media: false,
      });
    },
    update: async (message) => {
      // Undefined also when the post may have arrived but could not be found (logged by postOnce).
      if (posted === undefined)
        throw new Error("no message known to update: its post did not arrive, or may not have");
      await client.chat.update({ channel, ts: posted, text: message.text, blocks: message.blocks });
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
    postTo(deps, client, message.channel, message.threadTs),
  );
}

/** The `ask` conversation of a Slack thread (or of a whole DM when `threadTs` is undefined). */
export function conversationId(channel: string, threadTs?: string): string {
  return threadTs === undefined ? `slack:${channel}` : `slack:${channel}:${threadTs}`;
}
