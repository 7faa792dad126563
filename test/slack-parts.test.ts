import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Answer } from "../src/answer/types.js";
import { createFeedbackLog, type FeedbackEntry } from "../src/bot/feedback.js";
import { InFlight } from "../src/bot/in-flight.js";
import { MemoryQuoteStore, type PostedAnswer } from "../src/bot/quote-store.js";
import { parseAskCommand } from "../src/bot/slack/handlers/ask-command.js";

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "slack-parts-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function clock(start = 0) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe("MemoryQuoteStore", () => {
  const answer: Answer = { status: "answered", question: "q", passages: [] };
  const posted = (question: string): PostedAnswer => ({ answer, question, shown: 3 });

  it("gives back a copy of a posted answer by key, with its updates, until it expires", async () => {
    const time = clock();
    const store = new MemoryQuoteStore({ maxAnswers: 10, ttlMs: 1_000, now: time.now });
    const entry = posted("q");
    const key = await store.put(entry);
    expect(key).toMatch(/^[\w-]{12}$/);
    entry.shown = 6;
    expect(await store.get(key)).toEqual(posted("q"));
    await store.update(key, entry);
    time.advance(1_000);
    expect((await store.get(key))?.shown).toBe(6);
    time.advance(1);
    expect(await store.get(key)).toBeUndefined();
    expect(await store.get("unknown")).toBeUndefined();
  });

  it("swaps each voter's vote and gives back the one it replaced", async () => {
    const store = new MemoryQuoteStore();
    const key = await store.put(posted("q"));
    expect(await store.swapVote(key, "U1", "up")).toBeUndefined();
    expect(await store.swapVote(key, "U1", "up")).toBe("up");
    expect(await store.swapVote(key, "U2", "down")).toBeUndefined();
    expect(await store.swapVote(key, "U1", undefined)).toBe("up");
    expect(await store.swapVote(key, "U1", "down")).toBeUndefined();
  });

  it("stays bounded, dropping the least recently used", async () => {
    const store = new MemoryQuoteStore({ maxAnswers: 2, ttlMs: 60_000, now: clock().now });
    const a = await store.put(posted("a"));
    const b = await store.put(posted("b"));
    await store.get(a);
    const c = await store.put(posted("c"));
    expect(store.size).toBe(2);
    expect(await store.get(b)).toBeUndefined();
    expect((await store.get(a))?.question).toBe("a");
    expect((await store.get(c))?.question).toBe("c");
  });
});

describe("/ask flags", () => {
  it("reads --private, -p and --public before the question", () => {
    expect(parseAskCommand("what about EFS?", false)).toEqual({ text: "what about EFS?", ephemeral: false });
    expect(parseAskCommand("what about EFS?", true)).toEqual({ text: "what about EFS?", ephemeral: true });
    expect(parseAskCommand("--private what about EFS?", false)).toEqual({
      text: "what about EFS?",
      ephemeral: true,
    });
    expect(parseAskCommand("-p  what about EFS?", false)).toEqual({
      text: "what about EFS?",
      ephemeral: true,
    });
    expect(parseAskCommand("--PUBLIC what about EFS?", true)).toEqual({
      text: "what about EFS?",
      ephemeral: false,
    });
    expect(parseAskCommand("--private", false)).toEqual({ text: "", ephemeral: true });
    expect(parseAskCommand("what is --private?", false)).toEqual({
      text: "what is --private?",
      ephemeral: false,
    });
    expect(parseAskCommand("--privateer ships?", false)).toEqual({
      text: "--privateer ships?",
      ephemeral: false,
    });
  });

  it("reads in:NAME, quoted when it has spaces, among the flags before the question", () => {
    expect(parseAskCommand("in:gotime who made Go?", false)).toEqual({
      text: "who made Go?",
      ephemeral: false,
      within: "gotime",
    });
    expect(parseAskCommand('-p in:"Founders Talk" how did it start?', false)).toEqual({
      text: "how did it start?",
      ephemeral: true,
      within: "Founders Talk",
    });
    expect(parseAskCommand("in:“Go Time” --public who?", true)).toEqual({
      text: "who?",
      ephemeral: false,
      within: "Go Time",
    });
    // Only before the question, and only with a name right after the colon.
    expect(parseAskCommand("what is new in:gotime?", false)).toEqual({
      text: "what is new in:gotime?",
      ephemeral: false,
    });
    expect(parseAskCommand("in: this episode?", false)).toEqual({
      text: "in: this episode?",
      ephemeral: false,
    });
  });
});

describe("InFlight", () => {
  it("waits for running work, passing results and errors through", async () => {
    const inFlight = new InFlight();
    let release: () => void = () => undefined;
    const work = inFlight.run(() => new Promise<string>((resolve) => (release = () => resolve("done"))));
    const failing = inFlight.run(() => Promise.reject(new Error("boom")));
    await expect(failing).rejects.toThrow("boom");
    expect(inFlight.size).toBe(1);
    const drained = inFlight.drain(60_000);
    release();
    expect(await drained).toBe(true);
    expect(await work).toBe("done");
    expect(inFlight.size).toBe(0);
  });

  it("gives up waiting after the timeout", async () => {
    const inFlight = new InFlight();
    void inFlight.run(() => new Promise(() => undefined));
    expect(await inFlight.drain(20)).toBe(false);
  });
});

describe("feedback log", () => {
  it("appends one JSON line per vote, time first, in a new folder, readable by its owner only", async () => {
    const path = join(dir, "nested", "feedback.jsonl");
    const log = createFeedbackLog(path, () => new Date("2024-05-01T12:00:00.000Z"));
    await log.record({
      platform: "slack",
      user: "U1",
      question: "cold starts?",
      passages: ["p1", "p2"],
      vote: "up",
    });
    await log.record({
      platform: "slack",
      user: "U2",
      question: "EFS?",
      conversation: "c",
      passages: [],
      vote: "down",
    });
    const lines = (await readFile(path, "utf8")).split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe("");
    expect(lines[0]).toBe(
      '{"time":"2024-05-01T12:00:00.000Z","platform":"slack","user":"U1","question":"cold starts?","passages":["p1","p2"],"vote":"up"}',
    );
    expect(JSON.parse(lines[1] ?? "")).toMatchObject({ user: "U2", conversation: "c", vote: "down" });
    if (process.platform !== "win32") expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it("never interleaves concurrent writes", async () => {
    const path = join(dir, "concurrent.jsonl");
    const log = createFeedbackLog(path);
    const question = "q".repeat(10_000);
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        log.record({ platform: "slack", user: `U${i}`, question, passages: [], vote: "up" }),
      ),
    );
    const lines = (await readFile(path, "utf8")).trim().split("\n");
    expect(lines.map((line) => (JSON.parse(line) as { user: string }).user)).toEqual(
      Array.from({ length: 50 }, (_, i) => `U${i}`),
    );
  });

  it("rejects when the file cannot be written, and the next write still goes through", async () => {
    const blocker = join(dir, "blocked");
    await writeFile(blocker, "a file where the folder should be");
    const path = join(blocker, "feedback.jsonl");
    const log = createFeedbackLog(path);
    const vote: FeedbackEntry = { platform: "slack", user: "U1", question: "q", passages: [], vote: "up" };
    await expect(log.record(vote)).rejects.toThrow();
    await rm(blocker);
    await log.record({ ...vote, user: "U2" });
    expect(JSON.parse(await readFile(path, "utf8"))).toMatchObject({ user: "U2" });
  });
});
