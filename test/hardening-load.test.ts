import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Answer } from "../src/answer/types.js";
import { BUSY_MESSAGE, limitAsk } from "../src/bot/limits.js";
import { logQuestions } from "../src/bot/question-log.js";
import { loadConfig } from "../src/config.js";
import { type Engine, openEngine } from "../src/engine.js";
import { silentLogger } from "../src/logger.js";
import { MemoryRateWindows } from "../src/rate-windows.js";
import { type FakeOpenAI, quotingReply, startFakeOpenAI } from "./helpers/fake-openai.js";
import { buildTestIndex, CORPUS_DIR, makeTempDir, removeDir } from "./helpers/index-fixtures.js";

// Many questions at once on the real engine: every one gets an answer or "busy", memory stays bounded.

vi.setConfig({ testTimeout: 120_000, hookTimeout: 60_000 });

const QUESTIONS = [
  "what did Holly say about cold starts?",
  "why did they build EFS for Lambda?",
  "what is Provisioned Concurrency for?",
  "what did they say about Firecracker?",
  "how does Lambda scale?",
];
const MAX_IN_FLIGHT = 32;
// The summaries of the slow-LLM test must not run out while 32 questions are worked on at once on a
// busy machine: a deadline far from that work.
const LLM_TIMEOUT_MS = "20000";
const CONCURRENT = 200;

let root: string;
let indexDir: string;
let fake: FakeOpenAI;
const engines: Engine[] = [];

beforeAll(async () => {
  root = await makeTempDir("hardening-load");
  indexDir = join(root, "index");
  await buildTestIndex(indexDir);
  fake = await startFakeOpenAI();
});

afterAll(async () => {
  for (const engine of engines) await engine.close();
  await fake?.close();
  await removeDir(root);
});

async function engineWith(env: Record<string, string> = {}): Promise<Engine> {
  const config = loadConfig({ INDEX_DIR: indexDir, CORPUS_DIR, EMBEDDER: "offline", ...env });
  const engine = await openEngine(config, { log: silentLogger(), llm: { retryDelayMs: 5 } });
  engines.push(engine);
  return engine;
}

/**
 * The heap in use once the garbage collector has run: what is still held, not what happens not to
 * have been collected yet. The collector is exposed for this process only (vitest starts the
 * workers without --expose-gc).
 */
function retainedHeap(): number {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** 200 questions from 200 people at once, each in its own conversation. */
function wave(ask: (input: Parameters<Engine["ask"]>[0]) => Promise<Answer>, round: number) {
  return Promise.all(
    Array.from({ length: CONCURRENT }, (_, i) =>
      ask({
        text: QUESTIONS[i % QUESTIONS.length] ?? "",
        user: `U${round}x${i}`,
        conversation: `slack:C1:${round}.${i}`,
        platform: "slack",
      }),
    ),
  );
}

describe(`${CONCURRENT} questions at once`, () => {
  it("answers up to the bound, says 'busy' to the rest, and memory stays bounded over five waves", async () => {
    const engine = await engineWith();
    const windows = new MemoryRateWindows({ windowMs: 60_000, maxKeys: 500 });
    const limited = limitAsk(engine.ask, { perMinute: 10, maxInFlight: MAX_IN_FLIGHT, windows });
    const ask = logQuestions(limited, { log: silentLogger() });

    await wave(ask, 0); // warm-up: lazily built caches are not growth
    const before = retainedHeap();
    for (let round = 1; round <= 5; round++) {
      const answers = await wave(ask, round);
      expect(answers).toHaveLength(CONCURRENT);
      const busy = answers.filter((a) => a.limited === "busy");
      const looked = answers.filter((a) => a.limited === undefined);
      // Questions arrive faster than any is answered: exactly the bound gets in.
      expect(looked).toHaveLength(MAX_IN_FLIGHT);
      expect(busy).toHaveLength(CONCURRENT - MAX_IN_FLIGHT);
      for (const answer of busy) expect(answer.message).toBe(BUSY_MESSAGE);
      for (const answer of looked) expect(answer.passages.length).toBeGreaterThan(0);
      expect(limited.inFlight).toBe(0);
    }
    const growthMb = (retainedHeap() - before) / 1e6;
    // A loose bound, not a measurement: what is still held after 1,000 questions, the collector run
    // first. It trips on a leak of some 16 kB a question; a kept Answer alone (well under 1 kB) is
    // below it.
    expect(growthMb).toBeLessThan(16);
    expect(windows.size).toBeLessThanOrEqual(500);
  });

  it("with a slow LLM, all at once: the bound lets 32 in, so the model gets 32 calls; the next wave is served again", async () => {
    fake.requests.length = 0;
    fake.respond(async (request) => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      return quotingReply(request);
    });
    const engine = await engineWith({
      OPENAI_BASE_URL: fake.baseURL,
      LLM_GLOBAL_PER_MINUTE: "1000",
      LLM_TIMEOUT_MS,
    });
    const limited = limitAsk(engine.ask, { perMinute: 10, maxInFlight: MAX_IN_FLIGHT });

    for (let round = 1; round <= 2; round++) {
      const answers = await wave(limited, round);
      const looked = answers.filter((a) => a.limited === undefined);
      expect(looked).toHaveLength(MAX_IN_FLIGHT);
      expect(answers.filter((a) => a.limited === "busy")).toHaveLength(CONCURRENT - MAX_IN_FLIGHT);
      expect(looked.filter((a) => a.summary !== undefined).length).toBeGreaterThan(0);
      expect(fake.chatRequests().length).toBeLessThanOrEqual(round * MAX_IN_FLIGHT);
      expect(limited.inFlight).toBe(0);
    }
  });
});
