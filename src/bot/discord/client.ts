import { Client, GatewayIntentBits, type MessageMentionOptions, Options, Partials } from "discord.js";
import type { DiscordConfig } from "./settings.js";

/**
 * Mentions in anything the bot sends never ping: not `@everyone`/`@here`, not a
 * role, not a user, not the person replied to. Set as the client default and
 * passed again on every send, reply, edit and follow-up, because an explicit
 * `allowedMentions` on a call replaces the default rather than merging with it.
 */
export const ALLOWED_MENTIONS = { parse: [], repliedUser: false } as const satisfies MessageMentionOptions;

/**
 * Gateway intents: guilds (channels, threads), guild and direct messages. The
 * privileged Message Content intent only when enabled: without it Discord still
 * sends the text of messages that mention the bot and of DMs, so mentions, DMs
 * and `/ask` work; only follow-ups without a mention need it.
 */
export function discordIntents(messageContent: boolean): GatewayIntentBits[] {
  const intents = [
    GatewayIntentBits.Guilds,
    GatewayIntentBits.GuildMessages,
    GatewayIntentBits.DirectMessages,
  ];
  return messageContent ? [...intents, GatewayIntentBits.MessageContent] : intents;
}

/**
 * A discord.js client with the project's defaults; it does not connect until `login()`.
 * `restTimeoutMs` bounds one REST request (discord.js's default: 15 s).
 */
export function createDiscordClient(config: DiscordConfig, restTimeoutMs?: number): Client {
  return new Client({
    intents: discordIntents(config.messageContent),
    // DM channels are not in the cache when their first message arrives.
    partials: [Partials.Channel],
    allowedMentions: ALLOWED_MENTIONS,
    // Answer even when the question was deleted meanwhile (as a plain message, not a reply).
    failIfNotExists: false,
    rest: {
      ...(config.apiUrl ? { api: config.apiUrl } : {}),
      ...(restTimeoutMs === undefined ? {} : { timeout: restTimeoutMs }),
    },
    // The bot reads nothing back from history; small caches keep memory flat in many guilds.
    makeCache: Options.cacheWithLimits({
      ...Options.DefaultMakeCacheSettings,
      MessageManager: 25,
      PresenceManager: 0,
      ReactionManager: 0,
    }),
  });
}
