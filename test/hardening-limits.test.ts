import { join } from "node:path";
import { PassThrough, Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Answer, AskInput, StreamingAsk } from "../src/answer/types.js";
import { runConsole } from "../src/bot/console.js";
import { createDiscordAdapter } from "../src/bot/discord/adapter.js";
import { createFeedbackLog } from "../src/bot/feedback.js";
import { BUSY_MESSAGE, limitAsk, rateLimitedMessage } from "../src/bot/limits.js";
import { logQuestions } from "../src/bot/question-log.js";
import { createSlackAdapter } from "../src/bot/slack/adapter.js";
import { loadConfig } from "../src/config.js";
import { type Engine, openEngine } from "../src/engine.js";
import { createLogger, silentLogger } from "../src/logger.js";
import { MemoryRateWindows } from "../src/rate-windows.js";
import { botConfig, FakeDiscord, type RecordedRequest } from "./helpers/fake-discord.js";
import { BOT_USER_ID, eventCallback, FakeSlack, sendEvent } from "./helpers/fake-slack.js";
import { buildTestIndex, CORPUS_DIR, makeTempDir, removeDir } from "./helpers/index-fixtures.js";

// The limits every platform shares, on the real engine and through the real adapters against fakes.

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const COLD_STARTS = "what did Holly say about cold starts?";
let root: string;
let engine: Engine;

beforeAll(async () => {
  root = await makeTempDir("hardening-limits");
  const indexDir = join(root, "index");
  await buildTestIndex(indexDir);
  engine = await openEngine(loadConfig({ INDEX_DIR: indexDir, CORPUS_DIR, EMBEDDER: "offline" }), {
    log: silentLogger(),
  });
});

afterAll(async () => {
  await engine?.close();
  await removeDir(root);
});

/** JSON log lines written into `lines`. */
function capture(level: string) {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, log: createLogger({ level, format: "json", destination }) };
}

/**
 * An `ask` whose answers the test releases by hand, to hold questions in flight. A release
 * before its question reached `ask` (the limiter awaits its rate store first) is kept for it.
 */
function heldAsk() {
  const pending: Array<(answer: Answer) => void> = [];
  let credits = 0;
  const answered: Answer = { status: "answered", question: "q", passages: [] };
  const ask: StreamingAsk = () =>
    new Promise<Answer>((resolve) => {
      if (credits > 0) {
        credits -= 1;
        resolve(answered);
      } else pending.push(resolve);
    });
  const release = () => {
    const next = pending.shift();
    if (next) next(answered);
    else credits += 1;
  };
  return { ask, pending, release };
}

const ANSWERED: StreamingAsk = async (input) => ({ status: "answered", question: input.text, passages: [] });

describe("the per-person rate limit", () => {
  it("lets 10 questions a minute through per person, refuses the 11th kindly, and lets it in a minute later", async () => {
    let now = 1_000_000;
    const ask = limitAsk(ANSWERED, { perMinute: 10, maxInFlight: 32, now: () => now });
    const from = (user: string, platform = "slack"): AskInput => ({ text: COLD_STARTS, user, platform });

    for (let i = 0; i < 10; i++) expect((await ask(from("U1"))).limited).toBeUndefined();
    const refused = await ask(from("U1"));
    expect(refused).toEqual({
      status: "not_found",
      question: COLD_STARTS,
      message: rateLimitedMessage(10),
      passages: [],
      limited: "rate",
    });
    expect(refused.message).toMatch(/10 questions a minute.*wait a moment/);
    // Other people, and the same id on another platform, are not held back.
    expect((await ask(from("U2"))).limited).toBeUndefined();
    expect((await ask(from("U1", "discord"))).limited).toBeUndefined();

    now += 59_999;
    expect((await ask(from("U1"))).limited).toBe("rate");
    now += 1;
    expect((await ask(from("U1"))).limited).toBeUndefined();
  });

  it("skips exempt questions, questions without a user, and everything when set to 0", async () => {
    const exempt = limitAsk(ANSWERED, {
      perMinute: 1,
      maxInFlight: 32,
      exempt: (input) => input.platform === "console",
    });
    for (let i = 0; i < 5; i++) {
      expect((await exempt({ text: "q", user: "console", platform: "console" })).limited).toBeUndefined();
      expect((await exempt({ text: "q" })).limited).toBeUndefined();
    }
    const off = limitAsk(ANSWERED, { perMinute: 0, maxInFlight: 32 });
    for (let i = 0; i < 5; i++) expect((await off({ text: "q", user: "U1" })).limited).toBeUndefined();
  });

  it("remembers at most maxUsers people, however many ask", async () => {
    const windows = new MemoryRateWindows({ windowMs: 60_000, maxKeys: 50 });
    const ask = limitAsk(ANSWERED, { perMinute: 10, maxInFlight: 32, windows });
    for (let i = 0; i < 500; i++) await ask({ text: "q", user: `U${i}`, platform: "slack" });
    expect(windows.size).toBe(50);
  });
});

describe("the bound on answers in flight", () => {
  it("answers 'busy' past the bound at once, and takes questions again as answers finish", async () => {
    const held = heldAsk();
    const ask = limitAsk(held.ask, { perMinute: 10, maxInFlight: 2 });
    const first = ask({ text: "one", user: "U1", platform: "slack" });
    const second = ask({ text: "two", user: "U2", platform: "slack" });
    expect(ask.inFlight).toBe(2);
    const third = await ask({ text: "three", user: "U3", platform: "slack" });
    expect(third).toMatchObject({ status: "not_found", limited: "busy", message: BUSY_MESSAGE });

    held.release();
    await first;
    expect(ask.inFlight).toBe(1);
    const fourth = ask({ text: "four", user: "U3", platform: "slack" });
    expect(ask.inFlight).toBe(2);
    held.release();
    held.release();
    await Promise.all([second, fourth]);
    expect(ask.inFlight).toBe(0);
  });

  it("frees the slot of a question whose answer failed, and a busy refusal costs no allowance", async () => {
    let fail = true;
    const flaky: StreamingAsk = async (input) => {
      if (fail) throw new Error("the index exploded");
      return ANSWERED(input);
    };
    const ask = limitAsk(flaky, { perMinute: 2, maxInFlight: 1 });
    await expect(ask({ text: "q", user: "U1" })).rejects.toThrow("the index exploded");
    expect(ask.inFlight).toBe(0);
    fail = false;

    const held = heldAsk();
    const busy = limitAsk(held.ask, { perMinute: 1, maxInFlight: 1 });
    const running = busy({ text: "q", user: "U1" });
    expect((await busy({ text: "q", user: "U2" })).limited).toBe("busy");
    held.release();
    await running;
    // U2 was turned away as busy, which did not use up U2's one question a minute.
    const next = busy({ text: "q", user: "U2" });
    held.release();
    expect((await next).limited).toBeUndefined();
  });
});

describe("one log line per question", () => {
  it("names platform, hashed user, latency, status and passage ids, without the text unless debug", async () => {
    const info = capture("info");
    const ask = logQuestions(limitAsk(engine.ask, { perMinute: 1, maxInFlight: 32 }), { log: info.log });
    const answer = await ask({ text: COLD_STARTS, user: "U0SECRETID", platform: "slack" });
    await ask({ text: COLD_STARTS, user: "U0SECRETID", platform: "slack" });

    expect(info.lines).toHaveLength(2);
    const [first, second] = info.lines;
    expect(first).toMatchObject({ platform: "slack", status: answer.status, msg: "question" });
    expect(first?.passages).toEqual(answer.passages.map((p) => p.id));
    expect(typeof first?.ms).toBe("number");
    expect(first?.user).toMatch(/^u_[0-9a-f]{12}$/);
    expect(second).toMatchObject({ status: "rate_limited", user: first?.user, passages: [] });
    const text = JSON.stringify(info.lines);
    expect(text).not.toContain("cold starts");
    expect(text).not.toContain("U0SECRETID");

    const debug = capture("debug");
    const verbose = logQuestions(engine.ask, { log: debug.log });
    await verbose({ text: COLD_STARTS, user: "U0SECRETID", platform: "discord" });
    expect(debug.lines.at(-1)).toMatchObject({ question: COLD_STARTS, userId: "U0SECRETID" });
  });

  it("logs a failed question as an error line, and passes the error on", async () => {
    const { lines, log } = capture("info");
    const ask = logQuestions(
      async () => {
        throw new Error("the index exploded");
      },
      { log },
    );
    await expect(ask({ text: "q", user: "U1", platform: "discord" })).rejects.toThrow("the index exploded");
    expect(lines).toEqual([
      expect.objectContaining({ level: 50, status: "error", platform: "discord", err: "the index exploded" }),
    ]);
  });
});

describe("a 50 kB question", () => {
  it("gets one clear line back, in the core and in the terminal chat, and is never logged whole", async () => {
    const huge = `cold starts ${"lambda ".repeat(7_200)}?`;
    expect(huge.length).toBeGreaterThan(50_000);
    const { lines, log } = capture("debug");
    const ask = logQuestions(limitAsk(engine.ask, { perMinute: 10, maxInFlight: 32 }), { log });

    const answer = await ask({ text: huge, user: "U1", platform: "slack" });
    expect(answer.status).toBe("not_found");
    expect(answer.passages).toEqual([]);
    expect(answer.message).toMatch(/characters long; please keep it under 1000/);
    expect(JSON.stringify(answer).length).toBeLessThan(1_000);
    expect(lines.every((line) => JSON.stringify(line).length < 2_000)).toBe(true);

    const input = new PassThrough();
    let output = "";
    const done = runConsole({
      ask,
      log,
      input,
      output: new Writable({
        write(chunk, _encoding, next) {
          output += String(chunk);
          next();
        },
      }),
      interactive: false,
    });
    input.end(`${huge}\n${COLD_STARTS}\n`);
    await done;
    expect(output).toMatch(/^That question is \d+ characters long; please keep it under 1000\.\n/);
    expect(output).toContain("Holly Mesrobian");
    expect(output.length).toBeLessThan(5_000);
  });
});

describe("a burst of 100 questions from one person on Slack", () => {
  it("answers the first 10, replies to the other 90 with the limit, once each, and still answers someone else", async () => {
    const secret = "signing-secret-for-limit-tests";
    const botToken = "xoxb-1111-2222-limitsbottoken";
    const fake = await FakeSlack.start({ botToken });
    const config = loadConfig({
      SLACK_BOT_TOKEN: botToken,
      SLACK_SIGNING_SECRET: secret,
      SLACK_API_URL: fake.apiUrl,
      PORT: "0",
    });
    if (!config.slack) throw new Error("no slack config");
    // The minute does not pass during the burst, however busy the machine: the limit reads a stopped clock.
    const ask = logQuestions(limitAsk(engine.ask, { ...config.limits, now: () => 1_000_000 }), {
      log: silentLogger(),
    });
    const adapter = createSlackAdapter({
      config: config.slack,
      ask,
      log: silentLogger(),
      feedbackLog: createFeedbackLog(join(root, "feedback.jsonl")),
      host: "127.0.0.1",
    });
    await adapter.start();
    try {
      const url = `http://127.0.0.1:${adapter.port}/slack/events`;
      const mention = (user: string, n: number) => ({
        type: "app_mention",
        user,
        text: `<@${BOT_USER_ID}> ${COLD_STARTS}`,
        ts: `1700000000.${String(n).padStart(6, "0")}`,
        event_ts: `1700000000.${String(n).padStart(6, "0")}`,
        channel: "C0GENERAL",
      });
      for (let n = 1; n <= 100; n++) {
        const response = await sendEvent(url, secret, eventCallback(mention("U0BURSTER", n)));
        expect(response.status).toBe(200);
        if (n === 50) await sendEvent(url, secret, eventCallback(mention("U0PATIENT", 1_000)));
      }
      await fake.waitFor(() => fake.callsTo("chat.postMessage").length >= 101, "101 replies", 30_000);
      await adapter.stop();

      const replies = fake.callsTo("chat.postMessage");
      expect(replies).toHaveLength(101);
      const threads = replies.map((r) => String(r.params.thread_ts));
      expect(new Set(threads).size).toBe(101);
      const limited = replies.filter((r) => String(r.params.text).includes("asking faster"));
      expect(limited).toHaveLength(90);
      expect(String(limited[0]?.params.text)).toContain(rateLimitedMessage(10));
      const patient = replies.find((r) => r.params.thread_ts === "1700000000.001000");
      expect(patient?.wire).toMatch(/Holly Mesrobian|Jeremy Daly/);
      expect(patient?.wire).not.toContain("asking faster");
    } finally {
      await adapter.stop();
      await fake.close();
    }
  });
});

describe("the limit on Discord", () => {
  it("edits the deferred /ask reply into the limit's message past 10 a minute", async () => {
    const fake = await FakeDiscord.start();
    const ask = limitAsk(engine.ask, { perMinute: 10, maxInFlight: 32, now: () => 1_000_000 });
    const adapter = createDiscordAdapter({ config: botConfig(fake), ask, log: silentLogger() });
    await adapter.start();
    try {
      for (let i = 0; i < 12; i++) fake.sendAsk(COLD_STARTS);
      const edits = await fake.waitFor("12 edited replies", () => {
        const done = fake.find("PATCH", /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/);
        return done.length >= 12 ? done : undefined;
      });
      const limitedReplies = edits.filter((r: RecordedRequest) =>
        String(r.body.content ?? "").includes("asking faster than I can keep up"),
      );
      expect(limitedReplies).toHaveLength(2);
      expect(edits.filter((r: RecordedRequest) => (r.body.embeds ?? []).length > 0)).toHaveLength(10);
      expect(adapter.isConnected()).toBe(true);
    } finally {
      await adapter.stop();
      await fake.close();
    }
    expect(adapter.isConnected()).toBe(false);
  });
});
