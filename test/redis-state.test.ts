import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Writable } from "node:stream";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Answer } from "../src/answer/types.js";
import type { PostedAnswer } from "../src/bot/quote-store.js";
import { loadConfig } from "../src/config.js";
import { createLogger } from "../src/logger.js";
import { RedisClaims } from "../src/redis/claims.js";
import { RedisConversations } from "../src/redis/conversations.js";
import { RedisLink } from "../src/redis/link.js";
import { RedisQuoteStore } from "../src/redis/quote-store.js";
import { RedisRateWindows } from "../src/redis/rate-windows.js";
import { RedisReplyChains } from "../src/redis/reply-chains.js";
import { openRedisState } from "../src/redis/state.js";
import { makeTempDir, removeDir } from "./helpers/index-fixtures.js";
import { type RedisServer, startRedisServer } from "./helpers/redis-server.js";

// Each kind of shared state against a real redis-server, as two replicas would use it: two
// connections, one server. Then the server stopped, slowed and restarted under them.

const PREFIX = "test:";
let server: RedisServer;
let links: RedisLink[] = [];
let dir: string;

beforeAll(async () => {
  server = await startRedisServer();
  dir = await makeTempDir("redis-state");
});

afterEach(async () => {
  for (const link of links) await link.close();
  links = [];
  await server.restart();
});

afterAll(async () => {
  await server?.close();
  await removeDir(dir);
});

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, log: createLogger({ level: "info", format: "json", destination }) };
}

/** A connection as one bot process opens it. */
async function connect(timeoutMs = 500, log = capture().log): Promise<RedisLink> {
  const link = new RedisLink({ url: server.url, timeoutMs, prefix: PREFIX }, log);
  links.push(link);
  expect(await link.firstConnection()).toBe(true);
  return link;
}

/** Resolves once `link` is connected again (its client's next `ready`). */
function reconnected(link: RedisLink): Promise<void> {
  return new Promise((resolve) => {
    if (link.status().connected) resolve();
    else link.client.once("ready", () => resolve());
  });
}

const answer: Answer = {
  status: "answered",
  question: "cold starts?",
  passages: [
    {
      id: "ep#1",
      text: "Cold starts are rare.",
      quote: "Cold starts are rare.",
      speaker: "Holly Mesrobian",
      role: "guest",
      episode: { id: "ep", title: "Episode", url: "https://example.com/ep" },
      start: 0,
      end: 21,
      timestamp: 83,
      score: 0.9,
    },
  ],
};
const posted: PostedAnswer = { answer, question: "cold starts?", conversation: "slack:C1:1.2", shown: 3 };

describe("shared state in Redis", () => {
  it("claims: of many claims of one key on two connections at once, exactly one wins, for the claim's lifetime", async () => {
    const [a, b] = [new RedisClaims(await connect()), new RedisClaims(await connect())];
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).claim("slack:event:Ev1")),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const ttl = await server.client.pttl(`${PREFIX}claim:slack:event:Ev1`);
    expect(ttl).toBeGreaterThan(14 * 60_000);
    expect(ttl).toBeLessThanOrEqual(15 * 60_000);
    expect(await b.claim("slack:event:Ev2")).toBe(true);
  });

  it("conversations: a turn added on one connection is read on the other, capped and expiring", async () => {
    const options = { maxConversations: 10, maxAgeMs: 30 * 60_000, maxTurns: 3 };
    const a = new RedisConversations(await connect(), options);
    const b = new RedisConversations(await connect(), options);
    for (const q of ["one", "two", "three", "four"])
      await a.add("slack:C1:1.2", { question: q, standalone: q });
    expect((await b.history("slack:C1:1.2")).map((turn) => turn.question)).toEqual(["two", "three", "four"]);
    expect(await b.history("slack:C1:9.9")).toEqual([]);
    const ttl = await server.client.pttl(`${PREFIX}conversation:slack:C1:1.2`);
    expect(ttl).toBeGreaterThan(29 * 60_000);
    expect(ttl).toBeLessThanOrEqual(30 * 60_000);
  });

  it("rate windows: the limit holds across connections, all or nothing, and the window expires", async () => {
    const window = { windowMs: 60_000, maxKeys: 100 };
    const a = new RedisRateWindows(await connect(), window);
    const b = new RedisRateWindows(await connect(), window);
    const person = [{ key: "ask:slack:U1", limit: 3 }];
    const taken = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).take(person)));
    expect(taken.filter(Boolean)).toHaveLength(3);
    // The person is full: a call that also needs the global bucket is refused and costs it nothing.
    const both = [{ key: "llm:global", limit: 1 }, ...person];
    expect(await a.take(both)).toBe(false);
    expect(await b.take([{ key: "llm:global", limit: 1 }])).toBe(true);
    expect(await server.client.get(`${PREFIX}rate:llm:global`)).toBe("1");
    const ttl = await server.client.pttl(`${PREFIX}rate:ask:slack:U1`);
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it("stored answers: put on one connection, read, updated and voted on from the other", async () => {
    const a = new RedisQuoteStore(await connect());
    const b = new RedisQuoteStore(await connect());
    const key = await a.put(posted);
    expect(await b.get(key)).toEqual(posted);
    const before = await server.client.pttl(`${PREFIX}answer:${key}`);
    expect(before).toBeGreaterThan(23 * 60 * 60_000);
    await b.update(key, { ...posted, shown: 6 });
    expect((await a.get(key))?.shown).toBe(6);
    // An update does not extend the answer's life, and does not bring back one that expired.
    expect(await server.client.pttl(`${PREFIX}answer:${key}`)).toBeLessThanOrEqual(before);
    await b.update("gone", posted);
    expect(await server.client.exists(`${PREFIX}answer:gone`)).toBe(0);
    expect(await a.get("gone")).toBeUndefined();

    // Two clicks at once on two replicas: one of them sees the vote as new.
    const clicks = await Promise.all([a.swapVote(key, "U1", "up"), b.swapVote(key, "U1", "up")]);
    expect(clicks.filter((previous) => previous === undefined)).toHaveLength(1);
    expect(await a.swapVote(key, "U1", "down")).toBe("up");
    expect(await b.swapVote(key, "U1", undefined)).toBe("down");
    expect(await a.swapVote(key, "U1", "up")).toBeUndefined();
  });

  it("reply chains: a message remembered by one replica's state is found by another's, for 30 minutes", async () => {
    const config = loadConfig({ FEEDBACK_LOG: join(dir, "feedback.jsonl"), REDIS_URL: server.url });
    const settings = { url: server.url, timeoutMs: 500, prefix: PREFIX };
    const first = await openRedisState(settings, config, capture().log);
    const second = await openRedisState(settings, config, capture().log);
    try {
      await first.replyChains.remember("discord:200", "discord:chain:100");
      expect(await second.replyChains.conversationOf("discord:200")).toBe("discord:chain:100");
      expect(await second.replyChains.conversationOf("discord:201")).toBeUndefined();
      const ttl = await server.client.pttl(`${PREFIX}reply-chain:discord:200`);
      expect(ttl).toBeGreaterThan(29 * 60_000);
      expect(ttl).toBeLessThanOrEqual(30 * 60_000);
      // The answer's summary edited in remembers it again, for another 30 minutes.
      await server.client.pexpire(`${PREFIX}reply-chain:discord:200`, 60_000);
      await second.replyChains.remember("discord:200", "discord:chain:100");
      expect(await server.client.pttl(`${PREFIX}reply-chain:discord:200`)).toBeGreaterThan(29 * 60_000);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it("reply chains: a message is forgotten by every replica once its time in Redis is up", async () => {
    const options = { max: 10, ttlMs: 1_000 };
    const a = new RedisReplyChains(await connect(), options);
    const b = new RedisReplyChains(await connect(), options);
    const key = `${PREFIX}reply-chain:discord:1`;
    // Redis says when it expires a key (keyspace notifications), so the test waits for that.
    await server.client.config("SET", "notify-keyspace-events", "Ex");
    const events = server.client.duplicate();
    try {
      await events.connect();
      await events.subscribe("__keyevent@0__:expired");
      const expired = new Promise<void>((resolve) =>
        events.on("message", (_channel: string, expiredKey: string) => {
          if (expiredKey === key) resolve();
        }),
      );
      await a.remember("discord:1", "discord:chain:1");
      expect(await server.client.pttl(key)).toBeLessThanOrEqual(1_000);
      expect(await b.conversationOf("discord:1")).toBe("discord:chain:1");
      await expired;
      expect(await b.conversationOf("discord:1")).toBeUndefined();
      expect(await a.conversationOf("discord:1")).toBeUndefined();
    } finally {
      events.disconnect();
    }
  });

  it("feedback: votes from every replica in one stream, read back as JSON Lines with the documented command", async () => {
    const config = loadConfig({ FEEDBACK_LOG: join(dir, "feedback.jsonl"), REDIS_URL: server.url });
    const settings = { url: server.url, timeoutMs: 500, prefix: "quotebot:" };
    const first = await openRedisState(settings, config, capture().log);
    const second = await openRedisState(settings, config, capture().log);
    const vote = { platform: "slack", user: "U1", question: "cold starts?", passages: ["ep#1"] };
    await first.feedbackLog.record({ ...vote, vote: "up" });
    await second.feedbackLog.record({ ...vote, user: "U2", vote: "down" });
    await first.close();
    await second.close();

    const { stdout } = await promisify(execFile)("redis-cli", [
      "-u",
      server.url,
      "--raw",
      "XRANGE",
      "quotebot:feedback",
      "-",
      "+",
    ]);
    const lines = stdout.split("\n").filter((line) => line.startsWith("{"));
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      { time: expect.any(String), ...vote, vote: "up" },
      { time: expect.any(String), ...vote, user: "U2", vote: "down" },
    ]);
    await expect(readFile(join(dir, "feedback.jsonl"), "utf8")).rejects.toThrow(/ENOENT/);
  });
});

describe("when Redis goes away", () => {
  it("answers from this process's memory, says so in one line, counts the errors, and reconnects by itself", async () => {
    const { lines, log } = capture();
    const link = await connect(500, log);
    const claims = new RedisClaims(link);
    const conversations = new RedisConversations(link);
    const quotes = new RedisQuoteStore(link);
    const chains = new RedisReplyChains(link);
    expect(await claims.claim("before")).toBe(true);

    await server.stop();
    // Many operations while it is away: each is answered, from memory.
    for (let i = 0; i < 10; i++) {
      expect(await claims.claim(`away-${i}`)).toBe(true);
      expect(await claims.claim(`away-${i}`)).toBe(false);
    }
    await conversations.add("c", { question: "q", standalone: "q" });
    expect(await conversations.history("c")).toHaveLength(1);
    const key = await quotes.put(posted);
    expect((await quotes.get(key))?.question).toBe("cold starts?");
    await chains.remember("discord:200", "discord:chain:100");
    expect(await chains.conversationOf("discord:200")).toBe("discord:chain:100");
    expect(link.status().connected).toBe(false);
    expect(link.status().commandErrors).toBeGreaterThanOrEqual(26);
    const losses = lines.filter((line) => String(line.msg).startsWith("Redis unavailable"));
    expect(losses).toHaveLength(1);
    expect(losses[0]?.level).toBe(40);

    await server.restart();
    await reconnected(link);
    expect(link.status().connected).toBe(true);
    expect(lines.filter((line) => String(line.msg).startsWith("Redis reachable again"))).toHaveLength(1);
    // Back in Redis: a claim taken there by another replica is refused here.
    await server.client.set(`${PREFIX}claim:after`, "1");
    expect(await claims.claim("after")).toBe(false);
    // An answer stored in memory while Redis was away is still found, and which conversation a
    // message remembered then belongs to.
    expect((await quotes.get(key))?.question).toBe("cold starts?");
    expect(await chains.conversationOf("discord:200")).toBe("discord:chain:100");
  });

  it("answers from memory when Redis is too slow, within REDIS_TIMEOUT_MS", async () => {
    const { lines, log } = capture();
    const link = await connect(100, log);
    const claims = new RedisClaims(link);
    // The server holds every write for 20 s, far past the bot's 100 ms.
    await server.client.call("CLIENT", "PAUSE", "20000", "WRITE");
    try {
      expect(await claims.claim("slow")).toBe(true);
      expect(await claims.claim("slow")).toBe(false);
    } finally {
      await server.client.call("CLIENT", "UNPAUSE");
    }
    expect(link.status().commandErrors).toBe(2);
    expect(lines.filter((line) => String(line.msg).startsWith("Redis unavailable"))).toHaveLength(1);
  });
});
