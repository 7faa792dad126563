import type { Message } from "discord.js";
import type { DiscordConversations } from "./conversations.js";

/**
 * Whether a message asks the bot something: a DM; a mention of the bot (or of
 * its own role); a reply to one of its answers; or any message in a thread the
 * bot started. Never a bot's, a webhook's, a system message or its own — and
 * `@everyone`/`@here` alone does not count as addressing it.
 */
export async function isAddressedToBot(
  message: Message,
  botId: string,
  conversations: DiscordConversations,
): Promise<boolean> {
  if (message.author.bot || message.webhookId !== null || message.author.id === botId || message.system) {
    return false;
  }
  if (!message.inGuild()) return true;
  if (message.mentions.users.has(botId)) return true;
  if (message.mentions.roles.some((role) => role.tags?.botId === botId)) return true;
  const repliedTo = message.reference?.messageId;
  if (repliedTo && (await isReplyToBot(message, repliedTo, botId, conversations))) return true;
  return message.channel.isThread() && message.channel.ownerId === botId;
}

/**
 * Whether the message `repliedTo` that `message` replies to is the bot's. Discord names its author
 * when it sends the replied-to message along, which settles it without a look-up: every answer the
 * reply chains remember is the bot's own message. Only when it does not (the message was deleted,
 * or Discord left it out) do the reply chains say whether it was one of the bot's answers.
 */
async function isReplyToBot(
  message: Message,
  repliedTo: string,
  botId: string,
  conversations: DiscordConversations,
): Promise<boolean> {
  const author = message.mentions.repliedUser;
  if (author) return author.id === botId;
  return conversations.isAnswer(repliedTo);
}

/** The question without the mentions that addressed it to the bot. */
export function questionText(message: Message, botId: string): string {
  const botRoles = message.mentions.roles.filter((role) => role.tags?.botId === botId).map((role) => role.id);
  return message.content
    .replace(new RegExp(`<@!?${botId}>`, "g"), " ")
    .replace(/<@&(\d+)>/g, (mention, id: string) => (botRoles.includes(id) ? " " : mention))
    .replace(/\s+/g, " ")
    .trim();
}
