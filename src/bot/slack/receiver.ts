import { type Logger as BoltLogger, HTTPReceiver, SocketModeReceiver, type webApi } from "@slack/bolt";
import type { Config } from "../../config.js";
import { AppError } from "../../errors.js";

/** Where Slack's events arrive in HTTP mode. */
export const SLACK_EVENTS_PATH = "/slack/events";

/**
 * The receiver Bolt listens with, made here (as Bolt would make it) so the
 * adapter keeps a reference: in Socket Mode its client's socket says whether
 * Slack can reach the bot. Socket Mode when an app-level token is configured,
 * otherwise HTTP at SLACK_EVENTS_PATH with Bolt's request-signature check.
 */
export function createReceiver(
  config: NonNullable<Config["slack"]>,
  logger: BoltLogger,
  clientOptions: webApi.WebClientOptions,
): SocketModeReceiver | HTTPReceiver {
  if (config.appToken !== undefined) {
    // Its Web API client (apps.connections.open) gets the same base URL, timeout and retries.
    return new SocketModeReceiver({ appToken: config.appToken, logger, installerOptions: { clientOptions } });
  }
  if (!config.signingSecret) {
    throw new AppError(
      "E_CONFIG",
      "SLACK_SIGNING_SECRET is required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)",
    );
  }
  return new HTTPReceiver({
    signingSecret: config.signingSecret,
    endpoints: SLACK_EVENTS_PATH,
    port: config.port,
    logger,
  });
}
