import type { webApi } from "@slack/bolt";
import type { Logger } from "../../logger.js";

/**
 * How long one Web API call (or a `response_url` post) may take. The SDK's
 * default is no timeout at all, which would leave a question unanswered forever
 * on a stalled connection.
 */
export const SLACK_REQUEST_TIMEOUT_MS = 10_000;

/**
 * Retries after a network error, a 5xx or a 429 (whose `Retry-After` the client
 * waits out first). The SDK's default is 10 retries over about 30 minutes: far
 * too long for a chat reply, and a storm when Slack is struggling. Two retries
 * within about two seconds ride out a blip and then give up, so the person gets
 * an apology instead of silence.
 */
export const SLACK_RETRY_POLICY: webApi.RetryOptions = {
  retries: 2,
  factor: 2,
  minTimeout: 300,
  maxTimeout: 2_000,
  randomize: true,
};

/** fetch with a deadline, for calls (such as Bolt's `respond`) that set none of their own. */
export function fetchWithTimeout(timeoutMs: number): webApi.FetchFunction {
  return (url, init) =>
    fetch(url, {
      ...init,
      signal: init?.signal ?? AbortSignal.timeout(timeoutMs),
    } as RequestInit) as ReturnType<webApi.FetchFunction>;
}

/** Web API client options for Bolt: base URL, timeout, retry policy, the project's logger. */
export function slackClientOptions(apiUrl: string | undefined, log: Logger): webApi.WebClientOptions {
  const options: webApi.WebClientOptions = {
    timeout: SLACK_REQUEST_TIMEOUT_MS,
    retryConfig: SLACK_RETRY_POLICY,
    rejectRateLimitedCalls: false,
    fetch: fetchWithTimeout(SLACK_REQUEST_TIMEOUT_MS),
  };
  if (apiUrl !== undefined) {
    options.slackApiUrl = apiUrl.endsWith("/") ? apiUrl : `${apiUrl}/`;
    log.debug({ slackApiUrl: options.slackApiUrl }, "using a custom Slack Web API base URL");
  }
  return options;
}

/**
 * Options of the client that posts answers: no automatic retries, since a post
 * that timed out may have arrived and a blind retry would show it twice
 * (`postOnce` decides what is sent again), and a 429 handed back rather than
 * waited out, so `postOnce` knows the post surely did not arrive.
 */
export function slackPostClientOptions(
  base: webApi.WebClientOptions,
  timeoutMs = SLACK_REQUEST_TIMEOUT_MS,
): webApi.WebClientOptions {
  return { ...base, timeout: timeoutMs, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true };
}
