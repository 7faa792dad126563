import {
  DiscordAPIError,
  DiscordjsErrorCodes,
  GatewayCloseCodes,
  HTTPError,
  RESTJSONErrorCodes,
} from "discord.js";
import { AppError, describeError } from "../../errors.js";

/** Discord's JSON error code of a REST failure (10062, 40060, 50013…), if it has one. */
export function discordErrorCode(error: unknown): number | undefined {
  return error instanceof DiscordAPIError && typeof error.code === "number" ? error.code : undefined;
}

/**
 * The interaction can no longer be answered: it expired before we acknowledged
 * it (10062), someone already did (40060: another instance, a replayed event),
 * or its token is gone (10015). Nothing to do but log it.
 */
export function isGoneInteraction(error: unknown): boolean {
  const code = discordErrorCode(error);
  return (
    code === RESTJSONErrorCodes.UnknownInteraction ||
    code === RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged ||
    code === RESTJSONErrorCodes.UnknownWebhook
  );
}

/**
 * Log fields for a REST failure. Deliberately not the error object: its `url`
 * holds interaction tokens and its `requestBody` the whole message.
 */
export function restFailure(error: unknown): {
  err: string;
  code?: number;
  status?: number;
  method?: string;
} {
  if (error instanceof DiscordAPIError) {
    return { err: error.message, code: discordErrorCode(error), status: error.status, method: error.method };
  }
  if (error instanceof HTTPError) return { err: error.message, status: error.status, method: error.method };
  return { err: describeError(error) };
}

/** A gateway close that ends the bot for good, as an error that says what to change; else undefined. */
export function gatewayCloseError(code: number): AppError | undefined {
  switch (code) {
    case GatewayCloseCodes.AuthenticationFailed:
      return tokenRejected("the gateway closed with 4004");
    case GatewayCloseCodes.DisallowedIntents:
      return new AppError(
        "E_DISCORD_INTENTS",
        "Discord refused the Message Content intent (gateway close 4014). Either enable it in the " +
          "Developer Portal (Bot → Privileged Gateway Intents → Message Content) or set " +
          "DISCORD_MESSAGE_CONTENT=false: mentions, DMs and /ask work without it.",
      );
    case GatewayCloseCodes.InvalidIntents:
      return new AppError("E_DISCORD_INTENTS", "Discord refused the requested intents (gateway close 4013).");
    case GatewayCloseCodes.ShardingRequired:
      return new AppError(
        "E_DISCORD_SHARDING",
        "Discord requires sharding for this bot (gateway close 4011): start it with `npm run discord:shards`.",
      );
    case GatewayCloseCodes.InvalidShard:
      return new AppError("E_DISCORD_SHARDING", "Discord refused the shard settings (gateway close 4010).");
    case GatewayCloseCodes.InvalidAPIVersion:
      return new AppError("E_DISCORD_LOGIN", "Discord refused the gateway API version (gateway close 4012).");
    default:
      return undefined;
  }
}

/** DISCORD_TOKEN was refused: what to do about it. */
export function tokenRejected(how: string): AppError {
  return new AppError(
    "E_DISCORD_TOKEN",
    `Discord rejected DISCORD_TOKEN (${how}): copy a fresh token from the Developer Portal (Bot → Reset Token).`,
  );
}

/** Turns whatever `client.login()` threw into an AppError that says what to do. */
export function loginError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === DiscordjsErrorCodes.TokenInvalid) return tokenRejected("401 Unauthorized");
  if (error instanceof DiscordAPIError || error instanceof HTTPError) {
    return new AppError(
      "E_DISCORD_LOGIN",
      `Discord refused the login (HTTP ${error.status}): ${error.message}`,
    );
  }
  return new AppError(
    "E_DISCORD_CONNECT",
    `could not connect to Discord (check the network, or DISCORD_API_URL when set): ${describeError(error)}`,
  );
}
