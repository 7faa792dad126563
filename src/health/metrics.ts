import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { QuestionRecord } from "../bot/question-log.js";
import type { Engine } from "../engine.js";
import type { RedisStatus } from "./status.js";

/** What the metrics read when scraped; each may be absent (no engine yet, no LLM). */
export interface MetricsSources {
  engine?: () => Engine | undefined;
  /** Answers being worked on now (the limiter's count). */
  inFlight?: () => number;
  /** Redis, when REDIS_URL is set (undefined until it is opened); without it no Redis metrics. */
  redis?: () => RedisStatus | undefined;
}

export interface Metrics {
  /** Serve this registry's `metrics()` at `/metrics`. */
  registry: Registry;
  /** Counts one question (the question log calls it). */
  observeQuestion(record: QuestionRecord): void;
}

const PREFIX = "quotebot_";
/** Seconds: retrieval alone takes milliseconds, an LLM summary seconds. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The bot's Prometheus metrics, in a registry of its own (so tests and several
 * engines never share counters): questions by platform and outcome, latency,
 * limit hits, answers in flight, the LLM's calls and failures, index reloads
 * and the index serving, plus the process's default metrics. Figures kept
 * elsewhere (LLM stats, reload counts) are read at scrape time.
 */
export function createMetrics(sources: MetricsSources = {}): Metrics {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry, prefix: PREFIX });

  const questions = new Counter({
    name: `${PREFIX}questions_total`,
    help: "Questions received, by platform and outcome (answered, uncertain, not_found, rate_limited, busy, error).",
    labelNames: ["platform", "status"] as const,
    registers,
  });
  const latency = new Histogram({
    name: `${PREFIX}question_duration_seconds`,
    help: "Time from question to answer, by platform.",
    labelNames: ["platform"] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const limited = new Counter({
    name: `${PREFIX}rate_limit_hits_total`,
    help: "Questions refused by a limit: rate (per person per minute) or busy (answers in flight).",
    labelNames: ["platform", "limit"] as const,
    registers,
  });
  new Gauge({
    name: `${PREFIX}answers_in_flight`,
    help: "Answers being worked on now.",
    registers,
    collect() {
      this.set(sources.inFlight?.() ?? 0);
    },
  });

  const llm = () => sources.engine?.()?.llm;
  new Counter({
    name: `${PREFIX}llm_requests_total`,
    help: "HTTP requests sent to the LLM server, retries included.",
    registers,
    collect() {
      this.reset();
      this.inc(llm()?.requests ?? 0);
    },
  });
  new Counter({
    name: `${PREFIX}llm_failures_total`,
    help: "Failed LLM calls by kind (the answer then went out with quotes alone).",
    labelNames: ["kind"] as const,
    registers,
    collect() {
      this.reset();
      for (const [kind, count] of Object.entries(llm()?.failures ?? {})) this.inc({ kind }, count);
    },
  });
  new Counter({
    name: `${PREFIX}llm_skipped_total`,
    help: "LLM calls not attempted, by reason (breaker_open, rate_limited, busy, disabled).",
    labelNames: ["reason"] as const,
    registers,
    collect() {
      this.reset();
      for (const [reason, count] of Object.entries(llm()?.skipped ?? {})) this.inc({ reason }, count);
    },
  });

  // Only with Redis configured: a gauge at 0 would read as "Redis lost" on a bot that has none.
  const redis = sources.redis;
  if (redis) {
    new Gauge({
      name: `${PREFIX}redis_connected`,
      help: "1 while Redis holds the shared state, 0 while this process answers from its own memory.",
      registers,
      collect() {
        this.set(redis()?.connected ? 1 : 0);
      },
    });
    new Counter({
      name: `${PREFIX}redis_errors_total`,
      help: "Redis errors: commands that failed or timed out (each answered from memory instead), and failed connection attempts.",
      labelNames: ["kind"] as const,
      registers,
      collect() {
        this.reset();
        const status = redis();
        this.inc({ kind: "command" }, status?.commandErrors ?? 0);
        this.inc({ kind: "connection" }, status?.connectionErrors ?? 0);
      },
    });
  }

  const index = () => sources.engine?.()?.index;
  new Counter({
    name: `${PREFIX}index_reloads_total`,
    help: "Newly published indexes swapped in, or refused (the previous one kept serving).",
    labelNames: ["result"] as const,
    registers,
    collect() {
      this.reset();
      const reloads = index()?.reloads;
      this.inc({ result: "swapped" }, reloads?.swapped ?? 0);
      this.inc({ result: "rejected" }, reloads?.rejected ?? 0);
    },
  });
  new Gauge({
    name: `${PREFIX}index_passages`,
    help: "Passages in the index serving now (0 before it is loaded).",
    registers,
    collect() {
      this.set(index()?.manifest.passageCount ?? 0);
    },
  });
  new Gauge({
    name: `${PREFIX}index_built_timestamp_seconds`,
    help: "When the index serving now was built (Unix time; 0 before it is loaded).",
    registers,
    collect() {
      const builtAt = index()?.manifest.builtAt;
      this.set(builtAt ? Date.parse(builtAt) / 1000 : 0);
    },
  });

  return {
    registry,
    observeQuestion(record) {
      questions.inc({ platform: record.platform, status: record.outcome });
      latency.observe({ platform: record.platform }, record.seconds);
      if (record.outcome === "rate_limited" || record.outcome === "busy") {
        limited.inc({ platform: record.platform, limit: record.outcome === "busy" ? "busy" : "rate" });
      }
    },
  };
}
