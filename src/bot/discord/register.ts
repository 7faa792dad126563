import { DiscordAPIError, type REST, Routes } from "discord.js";
import { AppError } from "../../errors.js";
import { COMMANDS } from "./command.js";
import { tokenRejected } from "./failures.js";
import { createRest } from "./rest.js";
import { type DiscordConfig, validateDiscordConfig } from "./settings.js";

export interface RegisterResult {
  /** "guild" registrations show up at once; global ones can take a few minutes to appear everywhere. */
  scope: "guild" | "global";
  names: string[];
}

/**
 * Registers the bot's commands, replacing the previous set: in DISCORD_GUILD_ID
 * when set (instant, for development), else globally. Idempotent.
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
  try {
    const registered = (await client.put(route, { body: COMMANDS })) as Array<{ name: string }>;
    return { scope: settings.guildId ? "guild" : "global", names: registered.map((c) => c.name) };
  } catch (error) {
    throw registerError(error, settings);
  }
}

function registerError(error: unknown, settings: DiscordConfig): AppError {
  if (!(error instanceof DiscordAPIError)) {
    return new AppError("E_DISCORD_REGISTER", `could not register the commands: ${String(error)}`, {
      cause: error,
    });
  }
  if (error.status === 401) return tokenRejected("401 Unauthorized");
  if (error.status === 403 || error.status === 404) {
    const where = settings.guildId
      ? "check DISCORD_APP_ID, and that the bot was invited to DISCORD_GUILD_ID with the applications.commands scope"
      : "check that DISCORD_APP_ID is the application of DISCORD_TOKEN";
    return new AppError(
      "E_DISCORD_REGISTER",
      `Discord refused the commands (HTTP ${error.status}): ${where}.`,
    );
  }
  return new AppError(
    "E_DISCORD_REGISTER",
    `Discord refused the commands (HTTP ${error.status}): ${error.message}`,
  );
}
