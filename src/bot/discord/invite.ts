import { OAuth2Scopes, PermissionFlagsBits } from "discord.js";

/**
 * The permissions the bot needs, and no more: see channels, send messages and
 * embeds, reply (which needs message history) and answer inside threads.
 * `/ask` needs none of them (an interaction response is not a channel post).
 */
export const BOT_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.ReadMessageHistory;

/** Added when answers go in a new thread on each question (DISCORD_REPLY_IN_THREAD). */
export const THREAD_PERMISSIONS = PermissionFlagsBits.CreatePublicThreads;

/** The URL that adds the bot to a server with the minimal permissions and the `/ask` command. */
export function inviteUrl(appId: string, options: { replyInThread?: boolean } = {}): string {
  const permissions = options.replyInThread ? BOT_PERMISSIONS | THREAD_PERMISSIONS : BOT_PERMISSIONS;
  const params = new URLSearchParams({
    client_id: appId,
    scope: [OAuth2Scopes.Bot, OAuth2Scopes.ApplicationsCommands].join(" "),
    permissions: permissions.toString(),
    integration_type: "0",
  });
  return `https://discord.com/oauth2/authorize?${params.toString()}`;
}
