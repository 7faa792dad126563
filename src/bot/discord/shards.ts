import { type APIGatewayBotInfo, Routes } from "discord.js";
import { createRest } from "./rest.js";
import { type DiscordConfig, validateDiscordConfig } from "./settings.js";

/** Discord allows at most 2,500 guilds per shard; fewer per shard leaves room to grow. */
export const DEFAULT_GUILDS_PER_SHARD = 1_000;

/**
 * How many shards to run: Discord's recommendation from `/gateway/bot` (through
 * DISCORD_API_URL when set), scaled to `guildsPerShard`, at least one.
 */
export async function recommendedShardCount(
  config: DiscordConfig | undefined,
  guildsPerShard = DEFAULT_GUILDS_PER_SHARD,
): Promise<number> {
  const settings = validateDiscordConfig(config);
  const info = (await createRest(settings).get(Routes.gatewayBot())) as APIGatewayBotInfo;
  // Discord recommends one shard per 1,000 guilds.
  return Math.max(1, Math.ceil((info.shards * 1_000) / guildsPerShard));
}

/** Settings a shard process must not inherit: only one process should run the Slack adapter. */
export const NON_DISCORD_ADAPTER_VARIABLES = ["SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"];
