import { AppError, describeError } from "../../errors.js";

/** Slack's answers that mean "this token is not (or no longer) valid". */
const REJECTED_TOKEN = new Set([
  "invalid_auth",
  "not_authed",
  "account_inactive",
  "token_revoked",
  "token_expired",
  "team_disabled",
  "user_removed_from_team",
  "not_allowed_token_type",
]);

const FIX: Record<"SLACK_BOT_TOKEN" | "SLACK_APP_TOKEN", string> = {
  SLACK_BOT_TOKEN:
    'copy the Bot User OAuth Token (xoxb-…) from your app\'s "OAuth & Permissions" page, ' +
    "and reinstall the app to the workspace if it was revoked",
  SLACK_APP_TOKEN:
    'create an app-level token with the connections:write scope under "Basic Information > App-Level Tokens", ' +
    "or unset SLACK_APP_TOKEN to use HTTP mode",
};

interface SdkError {
  code?: string;
  data?: { error?: string };
  original?: unknown;
  statusCode?: number;
}

/**
 * Turns an error from Bolt's start-up (auth.test, the Socket Mode connection,
 * the HTTP listener) into an AppError that names what to fix. Never includes a
 * token: the SDK's errors carry Slack's error code, not the request.
 */
export function startError(
  error: unknown,
  token: "SLACK_BOT_TOKEN" | "SLACK_APP_TOKEN",
  where: { apiUrl: string; port?: number },
): AppError {
  if (error instanceof AppError) return error;
  const e = (typeof error === "object" && error !== null ? error : {}) as SdkError;
  const slackCode = e.data?.error;
  if (e.code === "slack_webapi_platform_error" && slackCode && REJECTED_TOKEN.has(slackCode)) {
    return new AppError("E_SLACK_AUTH", `Slack rejected ${token} (${slackCode}): ${FIX[token]}.`, {
      cause: error,
    });
  }
  if (e.code === "slack_webapi_request_error" || e.code === "slack_webapi_http_error") {
    const detail = e.statusCode ? `HTTP ${e.statusCode}` : describeError(e.original ?? error);
    return new AppError(
      "E_SLACK_UNREACHABLE",
      `could not reach the Slack Web API at ${where.apiUrl} (${detail}): check the network, or SLACK_API_URL if it is set.`,
      { cause: error },
    );
  }
  if (e.code === "EADDRINUSE" || e.code === "EACCES") {
    return new AppError(
      "E_SLACK_PORT",
      `cannot listen on port ${where.port} for Slack events (${e.code}): set PORT to a free port, ` +
        "or set SLACK_APP_TOKEN to use Socket Mode.",
      { cause: error },
    );
  }
  const what = slackCode ? `Slack answered ${slackCode}` : describeError(error);
  return new AppError("E_SLACK_START", `the Slack adapter could not start: ${what}.`, { cause: error });
}
