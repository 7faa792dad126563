import type { Config } from "../config.js";
import type { Logger } from "../logger.js";
import type { RateWindows } from "../rate-windows.js";
import { type BreakerOptions, CircuitBreaker, DEFAULT_BREAKER } from "./breaker.js";
import { LlmCaller } from "./caller.js";
import { createOpenAIClient, serverHost } from "./client.js";
import { RateLimiter } from "./rate-limit.js";
import { createRewriter } from "./rewriter.js";
import { createLlmStats, type LlmStats } from "./stats.js";
import { createSummarizer } from "./summarizer.js";
import type { Rewriter, Summarizer } from "./types.js";

/** The `llm` section of `Config` (declared once, in src/config.ts). */
export type LlmSettings = NonNullable<Config["llm"]>;

export interface Llm {
  summarizer: Summarizer;
  rewriter: Rewriter;
  /** Counters of calls, failures, skips and checks, for metrics. */
  stats: LlmStats;
  /** Host of the server (never the key), for the start-up line. */
  host: string;
  model: string;
  timeoutMs: number;
}

export interface LlmParts {
  breaker?: BreakerOptions;
  retryDelayMs?: number;
  /** Where the calls per minute are counted (Redis, shared by replicas); default this process's memory. */
  windows?: RateWindows;
}

/**
 * The LLM parts, sharing one client, circuit breaker, rate limiter and set of
 * counters. The rewrite gets half the question's time so a summary still has
 * room after it.
 */
export function createLlm(settings: LlmSettings, log: Logger, parts: LlmParts = {}): Llm {
  const llmLog = log.child({ component: "llm" });
  const stats = createLlmStats();
  const host = serverHost(settings.baseURL);
  const caller = new LlmCaller({
    client: createOpenAIClient(settings, llmLog),
    model: settings.model,
    host,
    log: llmLog,
    stats,
    breaker: new CircuitBreaker(parts.breaker ?? DEFAULT_BREAKER),
    limiter: new RateLimiter({
      perUser: settings.userPerMinute,
      global: settings.globalPerMinute,
      windows: parts.windows,
    }),
    maxInFlight: settings.maxInFlight,
    retryDelayMs: parts.retryDelayMs,
  });
  return {
    summarizer: createSummarizer({ caller, stats, log: llmLog, timeoutMs: settings.timeoutMs }),
    rewriter: createRewriter({ caller, stats, log: llmLog, timeoutMs: settings.timeoutMs / 2 }),
    stats,
    host,
    model: settings.model,
    timeoutMs: settings.timeoutMs,
  };
}
