import type { ButtonInteraction, ChatInputCommandInteraction, Message } from "discord.js";
import type { ChatReply, ReplyTarget } from "../answer-flow.js";
import type { HandlerContext } from "./context.js";
import { isGoneInteraction, restFailure } from "./failures.js";
import { createOptions, followUpOptions, messageOptions } from "./payload.js";
import { type DiscordReply, renderReply } from "./render.js";

type SendOptions = ReturnType<typeof createOptions>;

/** One message of a reply fits: the whole reply can later be replaced by one edit. */
const oneMessage = (reply: ChatReply) => renderReply(reply).length === 1;

/**
 * Sends the messages after the first, in order. A failure stops them and is only logged: the
 * REST client already retried, and a second post could answer twice.
 */
async function sendRest(
  rest: DiscordReply[],
  send: (reply: DiscordReply) => Promise<Message>,
  ctx: HandlerContext,
  fields: Record<string, string>,
): Promise<void> {
  for (const reply of rest) {
    try {
      await send(reply);
    } catch (error) {
      ctx.log.warn({ ...restFailure(error), ...fields }, "could not send a Discord answer");
      return;
    }
  }
}

/** Where the answer to a message goes: a reply to it, or the thread started on it. */
export interface MessagePlace {
  /** The question itself (the first message replies to it unless `inThread`). */
  message: Message;
  /** Sends into the question's channel, or into the thread started on it. */
  send(options: SendOptions): Promise<Message>;
  /** Answer in a thread started on the question rather than as a reply. */
  inThread: boolean;
  conversation: string;
}

/**
 * The answer to a message: the first message as a reply to the question (or the first in its
 * thread), the rest after it; the quotes sent ahead of the summary are edited in place. Every
 * message is remembered, so a reply to any of them continues the conversation.
 */
export function messageTarget(place: MessagePlace, ctx: HandlerContext): ReplyTarget<Message | undefined> {
  const fields = { message: place.message.id };
  const remembered = async (sent: Message): Promise<Message> => {
    await ctx.conversations.remember(sent.id, place.conversation);
    return sent;
  };
  const send = async (reply: DiscordReply) => remembered(await place.send(createOptions(reply)));
  const first = async (reply: DiscordReply) =>
    place.inThread ? send(reply) : remembered(await place.message.reply(createOptions(reply)));
  return {
    async post(reply) {
      const [head, ...rest] = renderReply(reply);
      if (!head) return undefined;
      const sent = await first(head);
      await sendRest(rest, send, ctx, fields);
      return sent;
    },
    async edit(posted, reply) {
      const [head, ...rest] = renderReply(reply);
      if (!head) return;
      if (posted) await remembered(await posted.edit(messageOptions(head)));
      else await first(head);
      await sendRest(rest, send, ctx, fields);
    },
    replaceable: oneMessage,
    // Not retried as an apology either: a post that failed after the REST client's retries may
    // still have landed, and a second one could answer twice.
    apologiseAfter: () => false,
  };
}

/**
 * The answer to an interaction (`/ask`, a "More quotes" press), already deferred: the first
 * message replaces "thinking…" (again on every reply, so the summary and an apology replace
 * what was there), the rest follow up. Messages of a conversation are remembered.
 */
export function interactionTarget(
  interaction: ChatInputCommandInteraction | ButtonInteraction,
  ctx: HandlerContext,
  options: { ephemeral: boolean; conversation?: string },
): ReplyTarget<void> {
  const fields = { interaction: interaction.id };
  const remembered = async (sent: Message): Promise<Message> => {
    if (options.conversation) await ctx.conversations.remember(sent.id, options.conversation);
    return sent;
  };
  const followUp = async (reply: DiscordReply) =>
    remembered(await interaction.followUp(followUpOptions(reply, options.ephemeral)));
  const send = async (reply: ChatReply): Promise<void> => {
    const [head, ...rest] = renderReply(reply);
    if (!head) return;
    await remembered(await interaction.editReply(messageOptions(head)));
    await sendRest(rest, followUp, ctx, fields);
  };
  return {
    post: send,
    edit: (_posted, reply) => send(reply),
    replaceable: oneMessage,
    // Editing the deferred reply into the apology cannot answer twice; a gone interaction takes nothing.
    apologiseAfter: (error) => !isGoneInteraction(error),
  };
}
