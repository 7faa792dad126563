import { ChannelType, type Message, ThreadAutoArchiveDuration, type ThreadChannel } from "discord.js";
import { scopeForChannel } from "../../config.js";
import { answerQuestion } from "../answer-flow.js";
import { isAddressedToBot, questionText } from "./address.js";
import type { HandlerContext } from "./context.js";
import { restFailure } from "./failures.js";
import { DISCORD_LIMITS } from "./limits.js";
import { messageTarget } from "./reply-targets.js";
import { truncate } from "./text.js";

/**
 * A message in a channel, thread or DM: when it is addressed to the bot, ask
 * and answer — as a reply to the question, or in a new thread on it when
 * configured. Failures are logged; nothing here throws.
 */
export async function handleMessage(message: Message, ctx: HandlerContext): Promise<void> {
  const botId = message.client.user.id;
  if (!(await isAddressedToBot(message, botId, ctx.conversations))) return;
  if (message.content.trim() === "") {
    // Without the Message Content intent Discord sends the text only of mentions and DMs.
    ctx.log.debug(
      { message: message.id },
      "message without content (DISCORD_MESSAGE_CONTENT is off): skipped",
    );
    return;
  }
  // Two processes connected with the same shard (a rolling restart) both receive the message.
  if (!(await ctx.claims.claim(`discord:message:${message.id}`))) {
    ctx.log.debug({ message: message.id }, "message already answered by another process: skipped");
    return;
  }
  const text = questionText(message, botId);
  const thread = ctx.replyInThread ? await startThread(message, text, ctx) : undefined;
  const channel = message.channel;
  const conversation = await ctx.conversations.resolve(
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
  const place = thread ?? channel;
  place.sendTyping().catch(() => {
    // Only a courtesy; the answer itself reports failures.
  });
  const scope = scopeForChannel(
    ctx.channelScopes,
    channel.id,
    channel.isThread() ? channel.parentId : undefined,
  );
  await answerQuestion(
    ctx.flow,
    { text, user: message.author.id, conversation, scope },
    messageTarget(
      { message, send: (options) => place.send(options), inThread: thread !== undefined, conversation },
      ctx,
    ),
  );
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
