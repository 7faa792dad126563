import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import type { Answer } from "../src/answer/types.js";
import { loadConfig } from "../src/config.js";
import { type Engine, openEngine } from "../src/engine.js";
import type { LlmParts } from "../src/llm/create.js";
import { createLogger } from "../src/logger.js";
import { type FakeReply, quotingReply, type RecordedRequest } from "./helpers/fake-openai.js";
import { CORPUS_DIR } from "./helpers/index-fixtures.js";
import { useLlmFixture } from "./helpers/llm-fixture.js";

const QUESTION = "what did Holly say about cold starts?";
// A canary key: if any of it shows up in a log line, the key leaked.
const CANARY = "sk-canary-7f3a9c2e5b1d4f60a8e2";

const fixture = useLlmFixture("llm-faults");
// For a model that stalls for ever: the deadline is all that ends the call, so it can be far from the
// work it races (the question's retrieval and the request reaching the model), even on a busy machine.
const STALL_DEADLINE_MS = 3_000;

/** A logger writing JSON lines into `lines`, redacting the config's secrets as the real one does. */
function capturingLogger(level: string, secrets: string[]) {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  return { lines, log: createLogger({ level, format: "json", secrets, destination }) };
}

async function engineWith(
  env: Record<string, string> = {},
  options: { level?: string; parts?: LlmParts } = {},
): Promise<{ engine: Engine; lines: string[] }> {
  const config = loadConfig({
    INDEX_DIR: fixture.indexDir,
    CORPUS_DIR,
    EMBEDDER: "offline",
    OPENAI_BASE_URL: fixture.fake.baseURL,
    ...env,
  });
  const { lines, log } = capturingLogger(options.level ?? "info", config.secrets);
  const engine = await openEngine(config, { log, llm: options.parts ?? { retryDelayMs: 5 } });
  return { engine, lines };
}

function expectQuotes(answer: Answer): void {
  expect(answer.summary).toBeUndefined();
  expect(answer.passages.length).toBeGreaterThan(0);
  expect(answer.passages[0]?.quote.length).toBeGreaterThan(0);
  expect(answer.passages.map((p) => p.speaker)).toContain("Holly Mesrobian");
}

describe("a wrong key (401)", () => {
  it("turns the LLM off with one log line, is never retried, and never shows the key", async () => {
    // Like OpenAI, the error body echoes part of the key.
    fixture.fake.respond(() => ({
      status: 401,
      body: {
        error: { message: `Incorrect API key provided: ${CANARY.slice(0, 10)}****${CANARY.slice(-4)}.` },
      },
    }));
    const { engine, lines } = await engineWith({ OPENAI_API_KEY: CANARY });
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await engine.ask({ text: QUESTION, user: "U1" }));

    expect(fixture.fake.chatRequests()).toHaveLength(1);
    expect(fixture.fake.chatRequests()[0]?.headers.authorization).toBe(`Bearer ${CANARY}`);
    for (const answer of answers) expectQuotes(answer);
    expect(lines.filter((line) => line.includes("rejected the API key"))).toHaveLength(1);
    expect(engine.llm?.failures.auth).toBe(1);
    expect(engine.llm?.skipped.disabled).toBe(2);
    const output = lines.join("\n");
    expect(output).not.toContain(CANARY.slice(0, 10));
    expect(output).not.toContain(CANARY.slice(-8));
  });
});

describe("a sick server", () => {
  it("a 500 storm: one retry, then the breaker opens and no more requests go out", async () => {
    fixture.fake.respond(() => ({ status: 500 }));
    const { engine, lines } = await engineWith(
      {},
      { parts: { breaker: { threshold: 3, coolDownMs: 60_000 }, retryDelayMs: 1 } },
    );
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await engine.ask({ text: QUESTION, user: `U${i}` }));

    // Question 1: a request and its one retry; question 2: the third failure opens the breaker.
    expect(fixture.fake.chatRequests()).toHaveLength(3);
    for (const answer of answers) expectQuotes(answer);
    expect(engine.llm).toMatchObject({ requests: 3, retries: 1, breakerOpened: 1 });
    expect(engine.llm?.failures.server).toBe(3);
    expect(engine.llm?.skipped.breaker_open).toBe(4);
    expect(lines.filter((line) => line.includes("circuit breaker open"))).toHaveLength(1);
  });

  it("after the cool-down one trial call goes through, and its success closes the breaker", async () => {
    fixture.fake.respond(() => ({ status: 503 }));
    // The breaker reads the test's clock: the cool-down passes when the test says so, not on a sleep.
    let now = 1_000_000;
    const { engine } = await engineWith(
      {},
      { parts: { breaker: { threshold: 1, coolDownMs: 60_000, now: () => now }, retryDelayMs: 1 } },
    );
    expectQuotes(await engine.ask({ text: QUESTION }));
    expect(fixture.fake.chatRequests()).toHaveLength(1);
    // Within the cool-down: no call goes out.
    now += 59_999;
    expectQuotes(await engine.ask({ text: QUESTION }));
    expect(fixture.fake.chatRequests()).toHaveLength(1);
    expect(engine.llm?.skipped.breaker_open).toBe(1);
    now += 1;
    fixture.fake.respond(quotingReply);
    const recovered = await engine.ask({ text: QUESTION });
    expect(recovered.summary).toMatch(/^Holly said ".+" \[1\]\.$/);
    expect((await engine.ask({ text: QUESTION })).summary).toBeDefined();
    expect(fixture.fake.chatRequests()).toHaveLength(3);
  });

  it("a 429 is retried once, and the retry's summary is used", async () => {
    fixture.fake.respond((request, index) =>
      index === 0 ? { status: 429, headers: { "retry-after": "0" } } : quotingReply(request),
    );
    const { engine } = await engineWith();
    const answer = await engine.ask({ text: QUESTION });
    expect(answer.summary).toMatch(/^Holly said ".+" \[1\]\.$/);
    expect(fixture.fake.chatRequests()).toHaveLength(2);
    expect(engine.llm).toMatchObject({ requests: 2, retries: 1 });
    expect(engine.llm?.failures.throttled).toBe(1);
  });

  it("a 400 is not retried", async () => {
    fixture.fake.respond(() => ({ status: 400 }));
    const { engine } = await engineWith();
    expectQuotes(await engine.ask({ text: QUESTION }));
    expect(fixture.fake.chatRequests()).toHaveLength(1);
    expect(engine.llm?.failures.client).toBe(1);
  });

  it("headers then a stalled body: the quotes come back when LLM_TIMEOUT_MS runs out, with no retry", async () => {
    fixture.fake.respond(() => ({ stall: true }));
    const { engine, lines } = await engineWith({ LLM_TIMEOUT_MS: String(STALL_DEADLINE_MS) });
    const answer = await engine.ask({ text: QUESTION });
    expectQuotes(answer);
    expect(fixture.fake.chatRequests()).toHaveLength(1);
    expect(engine.llm?.failures.timeout).toBe(1);
    expect(lines.some((line) => line.includes("LLM summary call failed (timeout)"))).toBe(true);
  });

  it("a broken reply body or an empty message is a failure, not a crash", async () => {
    fixture.fake.respond((_request, index) => (index === 0 ? { raw: "{not json" } : { content: "" }));
    const { engine } = await engineWith();
    expectQuotes(await engine.ask({ text: QUESTION }));
    expectQuotes(await engine.ask({ text: QUESTION }));
    expect(engine.llm?.failures.bad_response).toBe(2);
  });
});

describe("limits", () => {
  it("a burst of 100 questions from one user makes only the user's allowance of calls", async () => {
    fixture.fake.respond(quotingReply);
    const { engine } = await engineWith({ LLM_USER_PER_MINUTE: "3", LLM_GLOBAL_PER_MINUTE: "50" });
    const answers = await Promise.all(
      Array.from({ length: 100 }, () => engine.ask({ text: QUESTION, user: "U-burst" })),
    );
    expect(fixture.fake.chatRequests()).toHaveLength(3);
    expect(answers.filter((a) => a.summary !== undefined)).toHaveLength(3);
    for (const answer of answers) expect(answer.passages.length).toBeGreaterThan(0);
    expect(engine.llm?.skipped.rate_limited).toBe(97);
    // Someone else still gets a summary.
    expect((await engine.ask({ text: QUESTION, user: "U-other" })).summary).toBeDefined();
  });

  it("the global limit holds across users", async () => {
    fixture.fake.respond(quotingReply);
    const { engine } = await engineWith({ LLM_USER_PER_MINUTE: "5", LLM_GLOBAL_PER_MINUTE: "4" });
    for (let i = 0; i < 10; i++) await engine.ask({ text: QUESTION, user: `U${i}` });
    expect(fixture.fake.chatRequests()).toHaveLength(4);
  });
});

describe("the key in logs", () => {
  it("never appears at debug level, through success, 5xx, 401 and the SDK's own debug lines", async () => {
    const replies: Array<(request: RecordedRequest) => FakeReply> = [
      quotingReply,
      () => ({ status: 500, body: { error: { message: `server trouble for key ${CANARY}` } } }),
      () => ({ status: 500 }),
      () => ({ status: 401, body: { error: { message: `Incorrect API key provided: ${CANARY}` } } }),
    ];
    fixture.fake.respond((request, index) =>
      (replies[Math.min(index, replies.length - 1)] ?? quotingReply)(request),
    );
    const { engine, lines } = await engineWith(
      { OPENAI_API_KEY: CANARY, LOG_LEVEL: "debug", LLM_MODEL: "canary-model" },
      { level: "debug" },
    );
    await engine.ask({ text: QUESTION, user: "U1" });
    await engine.ask({ text: QUESTION, user: "U1" });
    await engine.ask({ text: QUESTION, user: "U1" });

    const output = lines.join("\n");
    // Debug logging really was on, the SDK's lines included, and the key really was sent.
    expect(output).toContain("sending request");
    expect(output).toContain("canary-model");
    expect(fixture.fake.chatRequests().every((r) => r.headers.authorization === `Bearer ${CANARY}`)).toBe(
      true,
    );
    expect(fixture.fake.chatRequests()).toHaveLength(4);
    expect(output).not.toContain(CANARY);
    expect(output).not.toContain(CANARY.slice(3, 17));
  });
});
