import { execFile } from "node:child_process";
import { access } from "node:fs/promises";
import { join } from "node:path";
import { Writable } from "node:stream";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Ask, AskInput } from "../src/answer/types.js";
import { createDiscordAdapter, type DiscordAdapter } from "../src/bot/discord/adapter.js";
import { loadConfig } from "../src/config.js";
import { openEngine } from "../src/engine.js";
import { createLogger, silentLogger } from "../src/logger.js";
import { RedisClaims } from "../src/redis/claims.js";
import { RedisLink } from "../src/redis/link.js";
import { RedisQuoteStore } from "../src/redis/quote-store.js";
import { RedisReplyChains } from "../src/redis/reply-chains.js";
import { type BotProcess, startBotProcess } from "./helpers/bot-process.js";
import { botConfig, FakeDiscord, IDS, USERS } from "./helpers/fake-discord.js";
import {
  BOT_USER_ID,
  buttonClick,
  eventCallback,
  FakeSlack,
  type SlackCall,
  sendEvent,
  sendInteraction,
} from "./helpers/fake-slack.js";
import { buildTestIndex, CORPUS_DIR, makeTempDir, removeDir } from "./helpers/index-fixtures.js";
import { type RedisServer, startRedisServer } from "./helpers/redis-server.js";

// Two bot processes (`src/main.ts`, Slack HTTP mode) behind an imaginary load balancer, sharing one
// real redis-server: whichever replica a request lands on, the bot behaves as one.

vi.setConfig({ testTimeout: 60_000, hookTimeout: 90_000 });

const SECRET = "signing-secret-for-the-replica-test";
const BOT_TOKEN = "xoxb-5555-6666-replicabottoken";
const CHANNEL = "C0REPLICAS";
const COLD_STARTS = "what did Holly say about cold starts?";
const LIMIT = 2;

interface Replica {
  name: string;
  bot: BotProcess;
  /** The Slack events URL. */
  url: string;
  /** The health server's origin. */
  health: string;
  feedbackPath: string;
}

let root: string;
let indexDir: string;
let redis: RedisServer;
let slack: FakeSlack;
let a: Replica;
let b: Replica;
let tsCounter = 0;

async function startReplica(name: string): Promise<Replica> {
  const feedbackPath = join(root, `feedback-${name}.jsonl`);
  const bot = startBotProcess(root, {
    INDEX_DIR: indexDir,
    CORPUS_DIR,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.apiUrl,
    PORT: "0",
    HEALTH_PORT: "0",
    HEALTH_HOST: "127.0.0.1",
    REDIS_URL: redis.url,
    RATE_LIMIT_PER_MINUTE: String(LIMIT),
    FEEDBACK_LOG: feedbackPath,
    LOG_LEVEL: "debug",
  });
  const health = await bot.waitForLine("health server", (l) => String(l.msg).startsWith("health server"));
  const listening = await bot.waitForLine("listening", (l) => l.msg === "Slack listening for events");
  await bot.waitForLine("Redis connected", (l) => String(l.msg).startsWith("Redis connected"));
  return {
    name,
    bot,
    url: `http://127.0.0.1:${listening.port}/slack/events`,
    health: `http://127.0.0.1:${health.port}`,
    feedbackPath,
  };
}

async function stopReplica(replica: Replica | undefined): Promise<void> {
  if (!replica || replica.bot.child.exitCode !== null) return;
  replica.bot.child.kill("SIGTERM");
  await replica.bot.exited;
}

function mention(text: string, user: string, threadTs?: string): Record<string, unknown> {
  tsCounter += 1;
  const ts = `1700001000.${String(tsCounter).padStart(6, "0")}`;
  return {
    type: "app_mention",
    user,
    text: `<@${BOT_USER_ID}> ${text}`,
    ts,
    event_ts: ts,
    channel: CHANNEL,
    ...(threadTs ? { thread_ts: threadTs } : {}),
  };
}

/** The bot's posts in the thread of `ts`. */
function postsIn(ts: unknown): SlackCall[] {
  return slack.callsTo("chat.postMessage").filter((call) => call.params.thread_ts === ts);
}

/**
 * Waits until each replica has either posted its answer (the flow's debug line comes after the
 * post) or dropped the event as a duplicate, since line `since`.
 */
async function bothHandled(since: Map<Replica, number>): Promise<void> {
  await slack.waitFor(
    () =>
      [a, b].every((replica) =>
        replica.bot
          .lines()
          .slice(since.get(replica))
          .some(
            (line) =>
              line.msg === "slack question answered" ||
              line.msg === "duplicate Slack event dropped" ||
              line.msg === "message already answered: dropped",
          ),
      ),
    "both replicas to handle the event",
    20_000,
  );
}

function linesNow(): Map<Replica, number> {
  return new Map([a, b].map((replica) => [replica, replica.bot.lines().length]));
}

async function healthOf(replica: Replica): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${replica.health}/healthz`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function button(call: SlackCall | undefined, actionId: string): Record<string, unknown> | undefined {
  const blocks = (call?.params.blocks ?? []) as Array<{
    type: string;
    elements?: Array<Record<string, unknown>>;
  }>;
  return blocks.find((block) => block.type === "actions")?.elements?.find((e) => e.action_id === actionId);
}

function quoteCount(call: SlackCall | undefined): number {
  const blocks = (call?.params.blocks ?? []) as Array<{ block_id?: string }>;
  return blocks.filter((block) => block.block_id?.startsWith("quote_")).length;
}

beforeAll(async () => {
  root = await makeTempDir("replicas");
  indexDir = join(root, "index");
  await buildTestIndex(indexDir);
  redis = await startRedisServer();
  slack = await FakeSlack.start({ botToken: BOT_TOKEN });
  [a, b] = await Promise.all([startReplica("a"), startReplica("b")]);
});

afterAll(async () => {
  await Promise.all([stopReplica(a), stopReplica(b)]);
  await slack?.close();
  await redis?.close();
  await removeDir(root);
});

describe("two bot processes sharing one Redis", () => {
  it("answers the same Slack event, delivered to both, once", async () => {
    const question = mention(COLD_STARTS, "U0BOTH");
    const body = eventCallback(question, "Ev0TOBOTHREPLICAS");
    const since = linesNow();
    const responses = await Promise.all([sendEvent(a.url, SECRET, body), sendEvent(b.url, SECRET, body)]);
    expect(responses.map((response) => response.status)).toEqual([200, 200]);
    await bothHandled(since);
    await slack.waitFor(() => postsIn(question.ts).length >= 1, "the answer");
    expect(postsIn(question.ts)).toHaveLength(1);
  });

  it("answers the second question of a thread, sent to the other process, as a follow-up", async () => {
    const first = mention(COLD_STARTS, "U0FOLLOW");
    await sendEvent(a.url, SECRET, eventCallback(first));
    await slack.waitFor(() => postsIn(first.ts).length === 1, "the first answer");
    await sendEvent(b.url, SECRET, eventCallback(mention("why?", "U0FOLLOW", String(first.ts))));
    await slack.waitFor(() => postsIn(first.ts).length === 2, "the follow-up's answer");
    expect(postsIn(first.ts)[1]?.wire).toContain(`Read as: why? ${COLD_STARTS}`);
  });

  it(`holds one person to ${LIMIT} questions a minute across both processes`, async () => {
    const replies: SlackCall[] = [];
    for (let i = 0; i < 2 * LIMIT; i++) {
      const question = mention(COLD_STARTS, "U0LIMITED");
      await sendEvent((i % 2 === 0 ? a : b).url, SECRET, eventCallback(question));
      await slack.waitFor(() => postsIn(question.ts).length === 1, `the reply to question ${i + 1}`);
      replies.push(postsIn(question.ts)[0] as SlackCall);
    }
    const limited = replies.filter((reply) => reply.wire.includes("asking faster than I can keep up"));
    expect(limited).toHaveLength(LIMIT);
    expect(replies.slice(0, LIMIT).every((reply) => quoteCount(reply) > 0)).toBe(true);
  });

  it("shows more quotes and records a vote when the buttons are clicked on the other process", async () => {
    const question = mention(COLD_STARTS, "U0MORE");
    await sendEvent(a.url, SECRET, eventCallback(question));
    await slack.waitFor(() => postsIn(question.ts).length === 1, "the answer");
    const [answer] = postsIn(question.ts);
    const click = (actionId: string) =>
      sendInteraction(
        b.url,
        SECRET,
        buttonClick({
          actionId,
          value: String(button(answer, actionId)?.value),
          user: "U0MORE",
          channel: CHANNEL,
          messageTs: String(answer?.params.ts ?? "1700000100.000001"),
          threadTs: String(question.ts),
          responseUrl: slack.responseUrl(),
        }),
      );
    const updates = slack.callsTo("chat.update").length;
    expect((await click("more_quotes")).status).toBe(200);
    await slack.waitFor(() => slack.callsTo("chat.update").length > updates, "the more quotes");
    const update = slack.callsTo("chat.update").at(-1);
    expect(quoteCount(update)).toBeGreaterThan(quoteCount(answer));

    const thanks = slack.callsTo("response_url").length;
    expect((await click("feedback_up")).status).toBe(200);
    await slack.waitFor(() => slack.callsTo("response_url").length > thanks, "the thanks");
    expect(slack.callsTo("response_url").at(-1)?.params.text).toMatch(/Thanks for the 👍/);
    const { stdout } = await promisify(execFile)("redis-cli", [
      "-u",
      redis.url,
      "--raw",
      "XRANGE",
      "quotebot:feedback",
      "-",
      "+",
    ]);
    const votes = stdout
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line));
    // The vote names every quote the message showed after "More quotes", which replica A never saw.
    expect(votes).toEqual([
      expect.objectContaining({ user: "U0MORE", vote: "up", passages: expect.any(Array) }),
    ]);
    expect(votes[0].passages).toHaveLength(quoteCount(update));
    for (const replica of [a, b]) await expect(access(replica.feedbackPath)).rejects.toThrow(/ENOENT/);
  });

  it("keeps answering with Redis stopped mid-run, says so once, reports it, and uses Redis again once it is back", async () => {
    await redis.stop();
    const questions = ["U0DOWN1", "U0DOWN2", "U0DOWN3"].map((user) => mention(COLD_STARTS, user));
    for (const question of questions) {
      await sendEvent(a.url, SECRET, eventCallback(question));
      await slack.waitFor(() => postsIn(question.ts).length === 1, "an answer without Redis");
    }
    expect(questions.every((question) => quoteCount(postsIn(question.ts)[0]) > 0)).toBe(true);
    const losses = a.bot.lines().filter((line) => String(line.msg).startsWith("Redis unavailable"));
    expect(losses).toHaveLength(1);
    expect(losses[0]?.level).toBe(40);

    const down = await healthOf(a);
    expect(down.status).toBe(200);
    expect(down.body.redis).toMatchObject({ connected: false });
    const metrics = await (await fetch(`${a.health}/metrics`)).text();
    expect(metrics).toMatch(/^quotebot_redis_connected 0$/m);
    const errors = /^quotebot_redis_errors_total\{kind="command"\} (\d+)$/m.exec(metrics);
    expect(Number(errors?.[1])).toBeGreaterThan(0);

    await redis.restart();
    for (const replica of [a, b]) {
      await replica.bot.waitForLine("Redis back", (l) => String(l.msg).startsWith("Redis reachable again"));
    }
    expect((await healthOf(a)).body.redis).toMatchObject({ connected: true });
    // Shared again: the same event on both is answered once.
    const question = mention(COLD_STARTS, "U0BACK");
    const body = eventCallback(question, "Ev0AFTERREDISCAMEBACK");
    const since = linesNow();
    await Promise.all([sendEvent(a.url, SECRET, body), sendEvent(b.url, SECRET, body)]);
    await bothHandled(since);
    await slack.waitFor(() => postsIn(question.ts).length >= 1, "the answer");
    expect(postsIn(question.ts)).toHaveLength(1);
  });
});

describe("two Discord connections sharing one Redis (a rolling restart)", () => {
  let ask: Ask;
  let discord: FakeDiscord | undefined;
  const adapters: DiscordAdapter[] = [];
  const links: RedisLink[] = [];
  /** What every connection asked, in order. */
  let asked: AskInput[] = [];

  beforeAll(async () => {
    const config = loadConfig({ INDEX_DIR: indexDir, EMBEDDER: "offline", CORPUS_DIR });
    const engineAsk = (await openEngine(config, { log: silentLogger() })).ask;
    ask = (input) => {
      asked.push(input);
      return engineAsk(input);
    };
  });

  beforeEach(async () => {
    await redis.client.flushall();
    asked = [];
    discord = await FakeDiscord.start();
  });

  afterEach(async () => {
    for (const adapter of adapters.splice(0)) await adapter.stop();
    for (const link of links.splice(0)) await link.close();
    await discord?.close();
    discord = undefined;
  });

  /** The fake Discord of the test running. */
  function fake(): FakeDiscord {
    if (!discord) throw new Error("no fake Discord running");
    return discord;
  }

  async function connect(name: string) {
    const lines: Array<Record<string, unknown>> = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    const log = createLogger({ level: "debug", format: "json", destination }).child({ replica: name });
    const link = new RedisLink({ url: redis.url, timeoutMs: 500, prefix: "quotebot:" }, log);
    links.push(link);
    await link.firstConnection();
    const adapter = createDiscordAdapter({
      config: botConfig(fake()),
      ask,
      log,
      quotes: new RedisQuoteStore(link),
      claims: new RedisClaims(link),
      replyChains: new RedisReplyChains(link),
    });
    await adapter.start();
    adapters.push(adapter);
    return { adapter, lines };
  }

  it("answers a message both connections receive once, and More quotes works on the one left", async () => {
    const discord = fake();
    const old = await connect("old");
    const fresh = await connect("new");
    discord.sendMessage({ content: `<@${IDS.bot}> ${COLD_STARTS}`, mentions: [USERS.bot] });
    const skipped = (line: Record<string, unknown>) =>
      String(line.msg).startsWith("message already answered");
    await discord.waitFor("one connection to skip the message", () =>
      [old, fresh].some((replica) => replica.lines.some(skipped)),
    );
    const replies = () =>
      discord.find("POST", /^\/channels\/\d+\/messages$/).filter((request) => request.status === 200);
    const [reply] = await discord.waitFor("the answer", () => (replies().length > 0 ? replies() : undefined));
    expect(replies()).toHaveLength(1);

    // The old process leaves; the button is pressed on the new one, which never saw the answer.
    await old.adapter.stop();
    const customId = reply?.body.components[0].components[0].custom_id;
    expect(customId).toMatch(/^more-quotes:/);
    discord.pressButton(customId, reply?.response);
    const edit = await discord.waitFor(
      "the next quotes",
      () => discord.find("PATCH", /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/)[0],
    );
    expect(edit.body.content ?? "").not.toMatch(/no longer at hand/);
    expect(edit.body.embeds?.length).toBeGreaterThan(0);
  });

  it("continues, on a connection started since, the conversation of a reply to the answer the old one posted", async () => {
    const discord = fake();
    const old = await connect("old");
    const first = discord.sendMessage({ content: `<@${IDS.bot}> ${COLD_STARTS}`, mentions: [USERS.bot] });
    const replies = () =>
      discord.find("POST", /^\/channels\/\d+\/messages$/).filter((request) => request.status === 200);
    const [answer] = await discord.waitFor("the answer", () =>
      replies().length > 0 ? replies() : undefined,
    );
    await discord.waitFor("the old connection to finish the answer", () =>
      old.lines.some((line) => line.msg === "discord question answered"),
    );
    // The old process leaves (a restart); the new one never saw the answer.
    await old.adapter.stop();
    const fresh = await connect("new");
    const toAnswer = { id: answer?.response.id, channel_id: IDS.channel, author: USERS.bot };
    const followUp = discord.sendMessage({ content: "and why?", replyTo: toAnswer });
    const second = await discord.waitFor("the follow-up's answer", () => replies()[1]);
    expect(second.body.message_reference.message_id).toBe(followUp.id);
    await discord.waitFor("the new connection to finish the answer", () =>
      fresh.lines.some((line) => line.msg === "discord question answered"),
    );
    // The answer deleted, and replied to without a mention: Discord names no author, and only the
    // reply chains in Redis say that it was the bot's answer.
    const late = discord.sendMessage({
      content: "what about EFS?",
      replyTo: toAnswer,
      replyMention: false,
      replyToDeleted: true,
    });
    const third = await discord.waitFor("the late reply's answer", () => replies()[2]);
    expect(third.body.message_reference.message_id).toBe(late.id);
    expect(asked.map((input) => input.conversation)).toEqual([
      `discord:chain:${first.id}`,
      `discord:chain:${first.id}`,
      `discord:chain:${first.id}`,
    ]);
    // Under that conversation the follow-up was understood together with the question it follows.
    expect(second.body.embeds[0].title).toContain("cold starts");
  });
});
