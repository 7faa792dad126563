import type { Config } from "../../config.js";
import { AppError } from "../../errors.js";

export type DiscordConfig = NonNullable<Config["discord"]>;

const TOKEN = /^[\w-]+\.[\w-]+\.[\w-]+$/;
const SNOWFLAKE = /^\d{15,22}$/;

/**
 * Checks the Discord settings before anything connects (a bot gets 1,000
 * logins a day, and a bad token should not spend them). Every problem names
 * its variable, never its value. Returns the settings with `apiUrl` normalised
 * (no trailing slash).
 */
export function validateDiscordConfig(config: Config["discord"] | undefined): DiscordConfig {
  if (!config) {
    throw new AppError("E_CONFIG", "Discord is not configured: set DISCORD_TOKEN and DISCORD_APP_ID");
  }
  const problems: string[] = [];
  if (typeof config.token !== "string" || !TOKEN.test(config.token.trim())) {
    problems.push("DISCORD_TOKEN is not a bot token (three dot-separated parts; Developer Portal → Bot)");
  }
  if (typeof config.appId !== "string" || !SNOWFLAKE.test(config.appId)) {
    problems.push(
      "DISCORD_APP_ID must be the numeric application id (Developer Portal → General Information)",
    );
  }
  if (config.guildId !== undefined && !SNOWFLAKE.test(config.guildId)) {
    problems.push(
      "DISCORD_GUILD_ID must be a numeric server id (or left empty to register commands globally)",
    );
  }
  let apiUrl = config.apiUrl;
  if (apiUrl !== undefined) {
    apiUrl = apiUrl.replace(/\/+$/, "");
    if (!/^https?:\/\/[^\s/]+/.test(apiUrl)) {
      problems.push("DISCORD_API_URL must be an http(s) URL, e.g. https://discord.com/api");
    } else if (/\/v\d+$/.test(apiUrl)) {
      // The client appends the API version itself.
      problems.push("DISCORD_API_URL must not end in a version: use …/api, not …/api/v10");
    }
  }
  if (problems.length > 0) {
    throw new AppError("E_CONFIG", `configuration problems:\n  - ${problems.join("\n  - ")}`);
  }
  return { ...config, token: config.token.trim(), apiUrl };
}

/**
 * The application id a bot token was issued for: its first part is the bot's
 * user id in base64, which for applications made since 2019 is the application
 * id. Undefined when it cannot be read.
 */
export function tokenUserId(token: string): string | undefined {
  const first = token.split(".")[0] ?? "";
  const decoded = Buffer.from(first, "base64").toString("utf8");
  return SNOWFLAKE.test(decoded) ? decoded : undefined;
}
