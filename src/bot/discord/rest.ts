import { REST } from "discord.js";
import type { DiscordConfig } from "./settings.js";

/** A REST client for one-off calls outside the gateway client (registering commands, shard counts). */
export function createRest(config: DiscordConfig): REST {
  return new REST(config.apiUrl ? { api: config.apiUrl } : {}).setToken(config.token);
}
