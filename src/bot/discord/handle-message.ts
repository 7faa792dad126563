import { ChannelType, type Message, ThreadAutoArchiveDuration, type ThreadChannel } from "discord.js";
import { scopeForChannel } from "../../config.js";
import { isAddressedToBot, questionText } from "./address.js";
import type { HandlerContext } from "./context.js";
import { restFailure } from "./failures.js";
import { DISCORD_LIMITS } from "./limits.js";
import { messageOptions } from "./payload.js";
import type { DiscordReply } from "./render.js";
import { answerReplies } from "./replies.js";
import { truncate } from "./text.js";

/** Where the answer goes: the question's channel, or the thread started on it. */
interface Target {
  send(options: ReturnType<typeof messageOptions>): Promise<Message>;
  sendTyping(): Promise<void>;
}

/**
 * A message in a channel, thread or DM: when it is addressed to the bot, ask
 * and answer — as a reply to the question, or in a new thread on it when
 * configured. Failures are logged; nothing here throws.
 */
export async function handleMessage(message: Message, ctx: HandlerContext): Promise<void> {
  const botId = message.client.user.id;
  if (!isAddressedToBot(message, botId, ctx.conversations)) return;
  if (message.content.trim() === "") {
    // Without the Message Content intent Discord sends the text only of mentions and DMs.
    ctx.log.debug(
      { message: message.id },
      "message without content (DISCORD_MESSAGE_CONTENT is off): skipped",
    );
    return;
  }
  const text = questionText(message, botId);
  const thread = ctx.replyInThread ? await startThread(message, text, ctx) : undefined;
  const channel = message.channel;
  const conversation = ctx.conversations.resolve(
    thread
      ? { threadId: thread.id, rootId: message.id }
      : {
          threadId: channel.isThread() ? channel.id : undefined,
          dmChannelId: message.inGuild() ? undefined : channel.id,
          repliedToId: message.reference?.messageId,
          rootId: message.id,
        },
  );
  if (!channel.isSendable()) return;
  const target: Target = thread
    ? { send: (o) => thread.send(o), sendTyping: () => thread.sendTyping() }
    : { send: (o) => channel.send(o), sendTyping: () => channel.sendTyping() };
  target.sendTyping().catch(() => {
    // Only a courtesy; the answer itself reports failures.
  });
  const scope = scopeForChannel(
    ctx.channelScopes,
    channel.id,
    channel.isThread() ? channel.parentId : undefined,
  );
  const inThread = thread !== undefined;
  // The quotes go out at once; the summary, when it comes, is edited into the same message.
  let early: Message | undefined;
  const showEarly = async (reply: DiscordReply): Promise<boolean> => {
    try {
      const options = messageOptions(reply);
      early = inThread ? await target.send(options) : await message.reply(options);
      ctx.conversations.remember(early.id, conversation);
      return true;
    } catch (error) {
      ctx.log.warn({ ...restFailure(error), message: message.id }, "could not send the quotes early");
      return false;
    }
  };
  const replies = await answerReplies(ctx, { text, user: message.author.id, conversation, scope }, showEarly);
  await deliver(message, target, inThread, replies, conversation, ctx, early);
}

/** A public thread on the question, when the channel allows one; else undefined (reply instead). */
async function startThread(
  message: Message,
  text: string,
  ctx: HandlerContext,
): Promise<ThreadChannel | undefined> {
  const type = message.channel.type;
  if (!message.inGuild() || (type !== ChannelType.GuildText && type !== ChannelType.GuildAnnouncement)) {
    return undefined;
  }
  try {
    return await message.startThread({
      name: truncate(text || "Question", DISCORD_LIMITS.threadName),
      autoArchiveDuration: ThreadAutoArchiveDuration.OneDay,
    });
  } catch (error) {
    ctx.log.warn(
      restFailure(error),
      "could not start a thread (missing Create Public Threads?); replying instead",
    );
    return undefined;
  }
}

async function deliver(
  message: Message,
  target: Target,
  inThread: boolean,
  replies: DiscordReply[],
  conversation: string,
  ctx: HandlerContext,
  /** The quotes sent ahead of the summary: the first reply replaces them. */
  early?: Message,
): Promise<void> {
  for (const [index, reply] of replies.entries()) {
    const options = messageOptions(reply);
    try {
      const sent =
        index === 0 && early
          ? await early.edit(options)
          : index === 0 && !inThread
            ? await message.reply(options)
            : await target.send(options);
      ctx.conversations.remember(sent.id, conversation);
    } catch (error) {
      // Not retried here: the REST client already retried, and a second post could answer twice.
      ctx.log.warn({ ...restFailure(error), message: message.id }, "could not send a Discord answer");
      return;
    }
  }
}
