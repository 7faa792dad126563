import { cp, readFile, rename, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createFeedbackLog } from "../src/bot/feedback.js";
import { limitAsk } from "../src/bot/limits.js";
import { logQuestions } from "../src/bot/question-log.js";
import { createSlackAdapter, type SlackAdapter } from "../src/bot/slack/adapter.js";
import { loadConfig } from "../src/config.js";
import { type Engine, openEngine } from "../src/engine.js";
import { AppError } from "../src/errors.js";
import { createMetrics } from "../src/health/metrics.js";
import { type HealthServer, startHealthServer } from "../src/health/server.js";
import { type AdapterStatus, type HealthReport, healthReport } from "../src/health/status.js";
import { silentLogger } from "../src/logger.js";
import { type FakeOpenAI, startFakeOpenAI } from "./helpers/fake-openai.js";
import { FakeSlack } from "./helpers/fake-slack.js";
import { buildTestIndex, CORPUS_DIR, makeTempDir, removeDir } from "./helpers/index-fixtures.js";

// /healthz and /metrics over real HTTP, fed by the real engine, limits and adapters against fakes.

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const COLD_STARTS = "what did Holly say about cold starts?";
const BOT_TOKEN = "xoxb-5555-6666-healthbottoken";
const APP_TOKEN = "xapp-1-A0000APP-7777-healthapptoken";

let root: string;
let indexDir: string;
let openai: FakeOpenAI;

beforeAll(async () => {
  root = await makeTempDir("hardening-health");
  indexDir = join(root, "index");
  await buildTestIndex(indexDir);
  openai = await startFakeOpenAI(() => ({ status: 500 }));
});

afterAll(async () => {
  await openai?.close();
  await removeDir(root);
});

interface Running {
  health: HealthServer;
  url: string;
  state: { engine?: Engine; adapters: AdapterStatus[]; stopping: boolean };
  ask: ReturnType<typeof logQuestions>;
  close(): Promise<void>;
}

/** The same wiring as main.ts: metrics and health first, then the engine, limits and the question log. */
async function startAll(options: { engine: boolean; env?: Record<string, string> }): Promise<Running> {
  const state: Running["state"] = { adapters: [], stopping: false };
  let limited: ReturnType<typeof limitAsk> | undefined;
  const metrics = createMetrics({ engine: () => state.engine, inFlight: () => limited?.inFlight ?? 0 });
  const health = await startHealthServer({
    port: 0,
    host: "127.0.0.1",
    registry: metrics.registry,
    log: silentLogger(),
    report: () =>
      healthReport({
        engine: () => state.engine,
        adapters: () => state.adapters,
        stopping: () => state.stopping,
      }),
  });
  let ask: Running["ask"] = async () => {
    throw new Error("no engine");
  };
  if (options.engine) {
    const config = loadConfig({ INDEX_DIR: indexDir, CORPUS_DIR, EMBEDDER: "offline", ...options.env });
    state.engine = await openEngine(config, { log: silentLogger(), llm: { retryDelayMs: 1 } });
    limited = limitAsk(state.engine.ask, { perMinute: 2, maxInFlight: 32 });
    ask = logQuestions(limited, { log: silentLogger(), onQuestion: metrics.observeQuestion });
  }
  return {
    health,
    url: `http://127.0.0.1:${health.port}`,
    state,
    ask,
    close: async () => {
      await state.engine?.close();
      await health.close();
    },
  };
}

async function healthz(url: string): Promise<{ status: number; body: HealthReport }> {
  const response = await fetch(`${url}/healthz`);
  expect(response.headers.get("content-type")).toBe("application/json");
  return { status: response.status, body: (await response.json()) as HealthReport };
}

/** The value of one sample line of the Prometheus text, e.g. `quotebot_questions_total{...}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("/healthz", () => {
  it("is 503 until the index is loaded, then 200 with the manifest, and 503 again while stopping", async () => {
    const running = await startAll({ engine: false });
    try {
      const loading = await healthz(running.url);
      expect(loading.status).toBe(503);
      expect(loading.body).toEqual({
        status: "unavailable",
        index: { loaded: false },
        adapters: {},
        stopping: false,
      });

      const config = loadConfig({ INDEX_DIR: indexDir, CORPUS_DIR, EMBEDDER: "offline" });
      running.state.engine = await openEngine(config, { log: silentLogger() });
      const manifest = running.state.engine.index.manifest;
      const ready = await healthz(running.url);
      expect(ready.status).toBe(200);
      expect(ready.body).toEqual({
        status: "ok",
        index: {
          loaded: true,
          dataDir: manifest.dataDir,
          builtAt: manifest.builtAt,
          embedder: manifest.embedder.id,
          episodes: manifest.episodes,
          passages: manifest.passageCount,
          reloads: { swapped: 0, rejected: 0 },
        },
        adapters: {},
        stopping: false,
      });

      running.state.stopping = true;
      const stopping = await healthz(running.url);
      expect(stopping.status).toBe(503);
      expect(stopping.body.stopping).toBe(true);
      const head = await fetch(`${running.url}/healthz`, { method: "HEAD" });
      expect(head.status).toBe(503);
    } finally {
      await running.close();
    }
  });

  it("reports each adapter: a real Slack adapter (HTTP) connected, then not once stopped", async () => {
    const running = await startAll({ engine: true });
    const fake = await FakeSlack.start({ botToken: BOT_TOKEN });
    const config = loadConfig({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: "a-signing-secret-for-health",
      SLACK_API_URL: fake.apiUrl,
      PORT: "0",
    });
    if (!config.slack) throw new Error("no slack config");
    const slack = createSlackAdapter({
      config: config.slack,
      ask: running.ask,
      log: silentLogger(),
      feedbackLog: createFeedbackLog(join(root, "feedback.jsonl")),
      host: "127.0.0.1",
    });
    running.state.adapters.push({ name: "slack", isConnected: slack.isConnected });
    try {
      expect((await healthz(running.url)).body.adapters).toEqual({ slack: { connected: false } });
      await slack.start();
      const up = await healthz(running.url);
      expect(up.status).toBe(200);
      expect(up.body.adapters).toEqual({ slack: { connected: true } });
      await slack.stop();
      const down = await healthz(running.url);
      expect(down.status).toBe(503);
      expect(down.body.adapters).toEqual({ slack: { connected: false } });
    } finally {
      await slack.stop();
      await fake.close();
      await running.close();
    }
  });

  it("sees a Slack Socket Mode connection drop", async () => {
    const fake = await FakeSlack.start({ botToken: BOT_TOKEN, appToken: APP_TOKEN });
    const config = loadConfig({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_APP_TOKEN: APP_TOKEN,
      SLACK_API_URL: fake.apiUrl,
    });
    if (!config.slack) throw new Error("no slack config");
    const slack: SlackAdapter = createSlackAdapter({
      config: config.slack,
      ask: async () => {
        throw new Error("not asked");
      },
      log: silentLogger(),
      feedbackLog: createFeedbackLog(join(root, "feedback.jsonl")),
    });
    try {
      await slack.start();
      expect(slack.isConnected()).toBe(true);
      await fake.close(); // drops the socket, and nothing answers the reconnection
      await fake.waitFor(() => !slack.isConnected(), "the adapter to notice the drop");
    } finally {
      await slack.stop();
    }
    expect(slack.isConnected()).toBe(false);
  });
});

describe("/metrics", () => {
  it("counts questions by platform and status, latency, limit hits, LLM failures and index reloads", async () => {
    const running = await startAll({ engine: true, env: { OPENAI_BASE_URL: openai.baseURL } });
    const engine = running.state.engine as Engine;
    try {
      for (let i = 0; i < 3; i++) await running.ask({ text: COLD_STARTS, user: "U1", platform: "slack" });
      await running.ask({ text: COLD_STARTS, user: "U2", platform: "discord" });
      await running.ask({ text: "", user: "U3", platform: "discord" });

      // A corrupt publication, refused: the old index keeps serving and the refusal is counted.
      const current = engine.index.manifest;
      const badDir = `${current.dataDir}-bad`;
      await cp(join(indexDir, current.dataDir), join(indexDir, badDir), { recursive: true });
      const lexical = join(indexDir, badDir, "lexical.bin");
      await writeFile(lexical, `${await readFile(lexical, "utf8")} `);
      await writeFile(join(indexDir, "m.tmp"), JSON.stringify({ ...current, dataDir: badDir }));
      await rename(join(indexDir, "m.tmp"), join(indexDir, "manifest.json"));
      expect(await engine.reload()).toBe("rejected");

      const response = await fetch(`${running.url}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await response.text();
      expect(sample(text, 'quotebot_questions_total{platform="slack",status="answered"}')).toBe(2);
      expect(sample(text, 'quotebot_questions_total{platform="slack",status="rate_limited"}')).toBe(1);
      expect(sample(text, 'quotebot_questions_total{platform="discord",status="answered"}')).toBe(1);
      expect(sample(text, 'quotebot_questions_total{platform="discord",status="not_found"}')).toBe(1);
      expect(sample(text, 'quotebot_rate_limit_hits_total{platform="slack",limit="rate"}')).toBe(1);
      expect(sample(text, 'quotebot_question_duration_seconds_count{platform="slack"}')).toBe(3);
      expect(sample(text, 'quotebot_question_duration_seconds_bucket{le="+Inf",platform="slack"}')).toBe(3);
      // Each summary asked for met a 500, was retried once, and failed: the quotes went out alone.
      expect(sample(text, 'quotebot_llm_failures_total{kind="server"}')).toBe(engine.llm?.failures.server);
      expect(engine.llm?.failures.server).toBeGreaterThan(0);
      expect(sample(text, "quotebot_llm_requests_total")).toBe(openai.chatRequests().length);
      expect(sample(text, 'quotebot_index_reloads_total{result="rejected"}')).toBe(1);
      expect(sample(text, 'quotebot_index_reloads_total{result="swapped"}')).toBe(0);
      expect(sample(text, "quotebot_index_passages")).toBe(current.passageCount);
      expect(sample(text, "quotebot_index_built_timestamp_seconds")).toBe(Date.parse(current.builtAt) / 1000);
      expect(sample(text, "quotebot_answers_in_flight")).toBe(0);
      expect(text).toMatch(/^quotebot_process_cpu_user_seconds_total \d/m);
      // Without Redis, no Redis metrics (a gauge at 0 would read as "Redis lost").
      expect(text).not.toContain("quotebot_redis_");
      // Nothing of what was asked, or who asked it.
      expect(text).not.toContain("cold starts");
      expect(text).not.toContain("U1");
    } finally {
      await running.close();
      await buildTestIndex(indexDir, { force: true }); // publish a good index again for later tests
    }
  });

  it("serves nothing else, and says which variable to change when its port is taken", async () => {
    const running = await startAll({ engine: false });
    try {
      expect((await fetch(`${running.url}/`)).status).toBe(404);
      expect((await fetch(`${running.url}/healthz`, { method: "POST" })).status).toBe(405);
      const error = await startHealthServer({
        port: running.health.port,
        host: "127.0.0.1",
        registry: createMetrics().registry,
        log: silentLogger(),
        report: () => healthReport({ engine: () => undefined, adapters: () => [] }),
      }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: "E_HEALTH_PORT" });
      expect((error as AppError).message).toContain(`port ${running.health.port} is already in use`);
      expect((error as AppError).message).toContain("HEALTH_PORT");
    } finally {
      await running.close();
    }
    // Closed means closed: the port is free again.
    const probe = createServer();
    await new Promise<void>((resolve, reject) => {
      probe.once("error", reject);
      probe.listen(running.health.port, "127.0.0.1", resolve);
    });
    await new Promise((resolve) => probe.close(resolve));
  });
});

describe("configuration of limits and health", () => {
  it("defaults to 10 a minute, 32 in flight and no health server; HEALTH_PORT=0 picks a free port", () => {
    const defaults = loadConfig({});
    expect(defaults.limits).toEqual({ perMinute: 10, maxInFlight: 32 });
    expect(defaults.health).toBeUndefined();
    expect(loadConfig({ HEALTH_PORT: "" }).health).toBeUndefined();
    const set = loadConfig({ HEALTH_PORT: "0", RATE_LIMIT_PER_MINUTE: "0", MAX_IN_FLIGHT: "4" });
    expect(set.health).toEqual({ port: 0, host: "0.0.0.0" });
    expect(set.limits).toEqual({ perMinute: 0, maxInFlight: 4 });
  });

  it("reports every bad value together, naming the variable and never the value", () => {
    let error: unknown;
    try {
      loadConfig({ HEALTH_PORT: "ninety-ninety", MAX_IN_FLIGHT: "0", RATE_LIMIT_PER_MINUTE: "-3" });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AppError);
    const message = (error as AppError).message;
    expect(message).toContain("HEALTH_PORT must be a port number");
    expect(message).toContain("MAX_IN_FLIGHT");
    expect(message).toContain("RATE_LIMIT_PER_MINUTE");
    expect(message).not.toContain("ninety");
  });
});
