import { type REST, Routes } from "discord.js";
import { COMMANDS } from "./command.js";
import { createRest } from "./rest.js";
import { type DiscordConfig, validateDiscordConfig } from "./settings.js";

export interface RegisterResult {
  /** "guild" registrations show up at once; global ones can take a few minutes to appear everywhere. */
  scope: "guild" | "global";
  names: string[];
}

/**
 * Registers the bot's commands, replacing the previous set: in DISCORD_GUILD_ID
 * when set (instant, for development), else globally.
 */
export async function registerCommands(
  config: DiscordConfig | undefined,
  rest?: REST,
): Promise<RegisterResult> {
  const settings = validateDiscordConfig(config);
  const client = rest ?? createRest(settings);
  const route = settings.guildId
    ? Routes.applicationGuildCommands(settings.appId, settings.guildId)
    : Routes.applicationCommands(settings.appId);
  const registered = (await client.put(route, { body: COMMANDS })) as Array<{ name: string }>;
  return { scope: settings.guildId ? "guild" : "global", names: registered.map((c) => c.name) };
}
