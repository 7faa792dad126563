/**
 * Counters of everything the LLM layer does, kept in one plain object so a
 * metrics module (or a test) can read them without hooking into the calls.
 * Every key exists from the start, at zero, so exporters see a stable shape.
 */

/** Why a call to the LLM server failed. */
/** `throttled` is the server's 429; `rate_limited` (a skip) is our own limit. */
export type FailureKind = "timeout" | "auth" | "throttled" | "server" | "client" | "network" | "bad_response";
/** Why a call was not even attempted. */
/** `busy`: LLM_MAX_IN_FLIGHT calls were already waiting for the model. */
export type SkipKind = "disabled" | "breaker_open" | "rate_limited" | "busy";
/** What became of a summary the model wrote. */
export type SummaryFate =
  | "kept"
  | "not_answered"
  | "bad_citation"
  | "bad_quote"
  | "no_citation"
  | "empty"
  /** A sentence holds a number, name or content word its cited passages do not. */
  | "ungrounded"
  /** A sentence gives words to someone who is not the speaker of a passage it cites. */
  | "misattributed"
  /** A sentence orders the reader about or asks for a secret. */
  | "instruction";
export type RewriteFate = "used" | "rejected";

export interface LlmStats {
  /** HTTP requests sent to the server, retries included. */
  requests: number;
  retries: number;
  failures: Record<FailureKind, number>;
  skipped: Record<SkipKind, number>;
  /** Times the circuit breaker opened. */
  breakerOpened: number;
  summaries: Record<SummaryFate, number>;
  rewrites: Record<RewriteFate, number>;
}

export function createLlmStats(): LlmStats {
  return {
    requests: 0,
    retries: 0,
    failures: { timeout: 0, auth: 0, throttled: 0, server: 0, client: 0, network: 0, bad_response: 0 },
    skipped: { disabled: 0, breaker_open: 0, rate_limited: 0, busy: 0 },
    breakerOpened: 0,
    summaries: {
      kept: 0,
      not_answered: 0,
      bad_citation: 0,
      bad_quote: 0,
      no_citation: 0,
      empty: 0,
      ungrounded: 0,
      misattributed: 0,
      instruction: 0,
    },
    rewrites: { used: 0, rejected: 0 },
  };
}
