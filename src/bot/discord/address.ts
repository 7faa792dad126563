import type { Message } from "discord.js";
import type { DiscordConversations } from "./conversations.js";

/**
 * Whether a message asks the bot something: a DM; a mention of the bot (or of
 * its own role); a reply to one of its answers; or any message in a thread the
 * bot started. Never a bot's, a webhook's, a system message or its own — and
 * `@everyone`/`@here` alone does not count as addressing it.
 */
export function isAddressedToBot(
  message: Message,
  botId: string,
  conversations: DiscordConversations,
): boolean {
  if (message.author.bot || message.webhookId !== null || message.author.id === botId || message.system) {
    return false;
  }
  if (!message.inGuild()) return true;
  if (message.mentions.users.has(botId)) return true;
  if (message.mentions.roles.some((role) => role.tags?.botId === botId)) return true;
  const repliedTo = message.reference?.messageId;
  if (repliedTo && (conversations.isAnswer(repliedTo) || message.mentions.repliedUser?.id === botId))
    return true;
  return message.channel.isThread() && message.channel.ownerId === botId;
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
