import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import type { Answer, Ask, AskInput } from "../src/answer/types.js";
import { APOLOGY, QUOTES_PER_PAGE } from "../src/bot/answer-flow.js";
import { createDiscordAdapter, type DiscordAdapter } from "../src/bot/discord/adapter.js";
import { DISCORD_LIMITS } from "../src/bot/discord/limits.js";
import { loadConfig } from "../src/config.js";
import { type AppError, isAppError } from "../src/errors.js";
import { createLogger, type Logger, silentLogger } from "../src/logger.js";
import { botConfig, FakeDiscord, IDS, type RecordedRequest, TOKEN, USERS } from "./helpers/fake-discord.js";

// Faults and bad input, with canned answers: what crosses the wire when Discord or the bot misbehaves.

const CHANNEL_MESSAGES = /^\/channels\/\d+\/messages$/;
const EDIT_ORIGINAL = /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/;
const NO_PINGS = { parse: [], replied_user: false };
const MESSAGE_CONTENT_INTENT = 1 << 15;

function cannedAnswer(input: AskInput, passages = 1, quoteLength = 60): Answer {
  return {
    status: "answered",
    question: input.text,
    passages: Array.from({ length: passages }, (_, i) => ({
      id: `p${i}`,
      text: "…",
      quote: `Quote ${i}: ${"cold starts ".repeat(Math.ceil(quoteLength / 12))}`.slice(0, quoteLength),
      speaker: "Holly Mesrobian",
      role: "guest" as const,
      episode: { id: "e", title: "Serverless Transformation at AWS", url: "https://youtu.be/nBYUh7CVUiQ" },
      start: 0,
      end: 1,
      timestamp: 60 * i,
      score: 1,
    })),
  };
}

const simpleAsk: Ask = async (input) => cannedAnswer(input);

let fake: FakeDiscord | undefined;
let adapter: DiscordAdapter | undefined;

afterEach(async () => {
  await adapter?.stop();
  await fake?.close();
  adapter = undefined;
  fake = undefined;
});

async function startBot(
  options: { ask?: Ask; log?: Logger; messageContent?: boolean; onFatal?: (e: AppError) => void } = {},
): Promise<FakeDiscord> {
  fake = await FakeDiscord.start();
  adapter = createDiscordAdapter({
    config: botConfig(fake, { messageContent: options.messageContent ?? false }),
    ask: options.ask ?? simpleAsk,
    log: options.log ?? silentLogger(),
    onFatal: options.onFatal ?? (() => {}),
  });
  await adapter.start();
  return fake;
}

function mention(discord: FakeDiscord, text = "what did Holly say about cold starts?") {
  return discord.sendMessage({ content: `<@${IDS.bot}> ${text}`, mentions: [USERS.bot] });
}

function okPosts(discord: FakeDiscord): RecordedRequest[] {
  return discord.find("POST", CHANNEL_MESSAGES).filter((r) => r.status === 200);
}

/** A logger writing JSON lines into `lines`, at trace level. */
function capturingLogger(lines: string[]): Logger {
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return createLogger({ level: "trace", format: "json", secrets: [], destination });
}

describe("Discord REST faults", () => {
  it("waits out a 429 and replies once", async () => {
    const discord = await startBot();
    discord.fail({
      method: "POST",
      path: CHANNEL_MESSAGES,
      status: 429,
      headers: { "retry-after": "0.05", "x-ratelimit-scope": "user" },
      body: { message: "You are being rate limited.", retry_after: 0.05, global: false },
    });
    const question = mention(discord);
    const [reply] = await discord.waitFor("the reply", () => okPosts(discord)[0] && okPosts(discord));
    expect(discord.find("POST", CHANNEL_MESSAGES).map((r) => r.status)).toEqual([429, 200]);
    expect(reply?.body.message_reference.message_id).toBe(question.id);
    expect(reply?.body.allowed_mentions).toEqual(NO_PINGS);
  });

  it("retries a 500 and replies once", async () => {
    const discord = await startBot();
    discord.fail({ method: "POST", path: CHANNEL_MESSAGES, status: 500 });
    mention(discord);
    await discord.waitFor("the reply", () => okPosts(discord)[0]);
    expect(discord.find("POST", CHANNEL_MESSAGES).map((r) => r.status)).toEqual([500, 200]);
  });

  it("gives up on a message after repeated 500s without crashing, and answers the next one", async () => {
    const discord = await startBot();
    discord.fail({ method: "POST", path: CHANNEL_MESSAGES, status: 500, times: 4 });
    mention(discord, "first question");
    await discord.waitFor("four failed attempts", () => discord.find("POST", CHANNEL_MESSAGES).length >= 4);
    const next = mention(discord, "second question");
    const [reply] = await discord.waitFor("the next reply", () => okPosts(discord)[0] && okPosts(discord));
    expect(reply?.body.message_reference.message_id).toBe(next.id);
    expect(okPosts(discord)).toHaveLength(1);
  });

  it("turns the deferred /ask reply into an apology when the edit keeps failing", async () => {
    const discord = await startBot();
    discord.fail({ method: "PATCH", path: EDIT_ORIGINAL, status: 500, times: 4 });
    discord.sendAsk("what did Holly say about cold starts?");
    const edits = await discord.waitFor("the apology", () => {
      const all = discord.find("PATCH", EDIT_ORIGINAL);
      return all.length >= 5 ? all : undefined;
    });
    expect(edits.map((r) => r.status)).toEqual([500, 500, 500, 500, 200]);
    expect(edits[4]?.body.content).toBe(APOLOGY);
    expect(edits[4]?.body.allowed_mentions).toEqual(NO_PINGS);
  });

  it("skips an interaction that expired (10062) or was already acknowledged (40060), and keeps serving", async () => {
    const discord = await startBot();
    const callback = /^\/interactions\/\d+\/[^/]+\/callback$/;
    discord.fail({
      method: "POST",
      path: callback,
      status: 404,
      body: { message: "Unknown interaction", code: 10062 },
    });
    discord.sendAsk("too late");
    discord.fail({
      method: "POST",
      path: callback,
      status: 400,
      body: { message: "Interaction has already been acknowledged.", code: 40060 },
    });
    discord.sendAsk("answered elsewhere");
    const fine = discord.sendAsk("what did Holly say about cold starts?");
    const edit = await discord.waitFor("the third answer", () => discord.find("PATCH", EDIT_ORIGINAL)[0]);
    expect(edit.path).toContain(fine.token);
    expect(discord.find("PATCH", EDIT_ORIGINAL)).toHaveLength(1);
    expect(discord.find("POST", /^\/webhooks\//)).toHaveLength(0);
  });
});

describe("failures inside the bot", () => {
  const failingAsk: Ask = async () => {
    throw new Error("index exploded");
  };

  it("edits the deferred /ask reply into a short apology", async () => {
    const discord = await startBot({ ask: failingAsk });
    discord.sendAsk("what did Holly say about cold starts?");
    const edit = await discord.waitFor("the apology", () => discord.find("PATCH", EDIT_ORIGINAL)[0]);
    expect(edit.body.content).toBe(APOLOGY);
    expect(edit.body.embeds).toEqual([]);
  });

  it("replies to a mention with the apology, once", async () => {
    const discord = await startBot({ ask: failingAsk });
    const question = mention(discord);
    const [reply] = await discord.waitFor("the apology", () => okPosts(discord)[0] && okPosts(discord));
    expect(reply?.body.content).toBe(APOLOGY);
    expect(reply?.body.message_reference.message_id).toBe(question.id);
  });

  it("finishes an answer in progress before stopping", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started: () => void = () => {};
    const asking = new Promise<void>((resolve) => {
      started = resolve;
    });
    const discord = await startBot({
      ask: async (input) => {
        started();
        await gate;
        return cannedAnswer(input);
      },
    });
    mention(discord);
    await asking;
    const stopping = adapter?.stop();
    release();
    await stopping;
    expect(okPosts(discord)).toHaveLength(1);
  });
});

describe("long answers", () => {
  const hugeAsk: Ask = async (input) => ({
    ...cannedAnswer(input, 30, 2_000),
    summary: "A summary that goes on. ".repeat(400),
  });

  function expectWithinLimits(requests: RecordedRequest[]): void {
    for (const { body } of requests) {
      expect(body.allowed_mentions).toEqual(NO_PINGS);
      expect((body.content ?? "").length).toBeLessThanOrEqual(DISCORD_LIMITS.content);
      let total = 0;
      for (const embed of body.embeds ?? []) {
        expect((embed.description ?? "").length).toBeLessThanOrEqual(DISCORD_LIMITS.embedDescription);
        expect(embed.fields.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedFields);
        for (const field of embed.fields) {
          expect(field.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
          total += field.name.length + field.value.length;
        }
        total +=
          (embed.title ?? "").length + (embed.description ?? "").length + (embed.footer?.text ?? "").length;
      }
      expect(total).toBeLessThanOrEqual(DISCORD_LIMITS.embedsTotal);
    }
  }

  it("splits a mention's answer over several messages, the first as the reply, every quote of the page kept", async () => {
    const discord = await startBot({ ask: hugeAsk });
    const question = mention(discord);
    const posts = await discord.waitFor("all parts", () => {
      const ok = okPosts(discord);
      const fields = ok.flatMap((r) => r.body.embeds.flatMap((e: { fields: unknown[] }) => e.fields));
      return fields.length >= QUOTES_PER_PAGE ? ok : undefined;
    });
    const fields = posts.flatMap((r) => r.body.embeds.flatMap((e: { fields: unknown[] }) => e.fields));
    expect(fields).toHaveLength(QUOTES_PER_PAGE);
    // The other 27 quotes wait behind the button on the last part.
    expect(posts.at(-1)?.body.components[0].components[0].label).toBe("More quotes");
    expect(posts.length).toBeGreaterThan(1);
    expectWithinLimits(posts);
    expect(posts[0]?.body.message_reference.message_id).toBe(question.id);
    for (const later of posts.slice(1)) expect(later.body.message_reference).toBeUndefined();
    expect(posts[0]?.body.embeds[0].description.endsWith("…")).toBe(true);
  });

  it("edits the /ask reply with the first part and sends the rest as follow-ups", async () => {
    const discord = await startBot({ ask: hugeAsk });
    const interaction = discord.sendAsk("what did Holly say about cold starts?");
    const followUps = await discord.waitFor("the follow-ups", () => {
      const posts = discord.find("POST", /^\/webhooks\/\d+\/[^/]+$/);
      const fields = posts.flatMap((r) => r.body.embeds.flatMap((e: { fields: unknown[] }) => e.fields));
      const edited = discord.find("PATCH", EDIT_ORIGINAL)[0];
      const first = edited?.body.embeds.flatMap((e: { fields: unknown[] }) => e.fields) ?? [];
      return posts.length > 0 && fields.length + first.length >= QUOTES_PER_PAGE ? posts : undefined;
    });
    const edits = discord.find("PATCH", EDIT_ORIGINAL);
    expect(edits).toHaveLength(1);
    expectWithinLimits([...edits, ...followUps]);
    for (const post of followUps) expect(post.path).toBe(`/webhooks/${IDS.app}/${interaction.token}`);
  });

  it("splits a long plain notice into messages of at most 2,000 characters", async () => {
    const discord = await startBot({
      ask: async (input) => ({
        status: "not_found",
        question: input.text,
        message: "Nothing on that. ".repeat(300).trim(),
        passages: [],
      }),
    });
    mention(discord);
    const posts = await discord.waitFor("three parts", () =>
      okPosts(discord).length >= 3 ? okPosts(discord) : undefined,
    );
    expectWithinLimits(posts);
    expect(posts.map((r) => r.body.content).join(" ")).toBe("Nothing on that. ".repeat(300).trim());
    for (const post of posts) expect(post.body.flags).toBe(4);
  });
});

describe("gateway and intents", () => {
  it("identifies with Guilds, GuildMessages and DirectMessages only, unless Message Content is enabled", async () => {
    const discord = await startBot();
    const identify = discord.gatewayReceived.find((p) => p.op === 2)?.d as { intents: number; token: string };
    expect(identify.intents).toBe(1 | (1 << 9) | (1 << 12));
    expect(identify.token).toBe(TOKEN);
    await adapter?.stop();
    await discord.close();

    const withContent = await startBot({ messageContent: true });
    const second = withContent.gatewayReceived.find((p) => p.op === 2)?.d as { intents: number };
    expect(second.intents).toBe(1 | (1 << 9) | (1 << 12) | MESSAGE_CONTENT_INTENT);
  });

  it("refuses to start on a disallowed intent (4014), naming DISCORD_MESSAGE_CONTENT", async () => {
    fake = await FakeDiscord.start({ disallowedIntents: MESSAGE_CONTENT_INTENT });
    const fatal: AppError[] = [];
    adapter = createDiscordAdapter({
      config: botConfig(fake, { messageContent: true }),
      ask: simpleAsk,
      log: silentLogger(),
      onFatal: (e) => fatal.push(e),
    });
    const error = await adapter.start().catch((e: unknown) => e);
    expect(isAppError(error, "E_DISCORD_INTENTS")).toBe(true);
    expect((error as AppError).message).toContain("DISCORD_MESSAGE_CONTENT=false");
    expect(fatal).toEqual([]);
  });

  it("stops with the same message when Discord closes with 4014 while running", async () => {
    const fatal: AppError[] = [];
    const discord = await startBot({ onFatal: (e) => fatal.push(e) });
    discord.closeGateway(4014, "Disallowed intent(s).");
    await discord.waitFor("the fatal error", () => fatal[0]);
    expect(fatal[0]?.code).toBe("E_DISCORD_INTENTS");
    expect(fatal[0]?.message).toContain("DISCORD_MESSAGE_CONTENT");
  });
});

describe("configuration", () => {
  const base = { token: TOKEN, appId: IDS.app, messageContent: false, replyInThread: false };

  it("rejects bad settings before connecting, naming the variable and never its value", async () => {
    fake = await FakeDiscord.start();
    const canary = "canary-not-a-token";
    const attempt = (config: Parameters<typeof createDiscordAdapter>[0]["config"]) => {
      try {
        createDiscordAdapter({ config, ask: simpleAsk, log: silentLogger() });
      } catch (error) {
        return error;
      }
      throw new Error("expected a configuration error");
    };
    const badToken = attempt({ ...base, token: canary, apiUrl: fake.apiUrl });
    expect(isAppError(badToken, "E_CONFIG")).toBe(true);
    expect((badToken as AppError).message).toContain("DISCORD_TOKEN");
    expect((badToken as AppError).message).not.toContain(canary);

    const badIds = attempt({ ...base, appId: "my-app", guildId: "guild" }) as AppError;
    expect(badIds.message).toContain("DISCORD_APP_ID");
    expect(badIds.message).toContain("DISCORD_GUILD_ID");

    const versioned = attempt({ ...base, apiUrl: `${fake.apiUrl}/v10` }) as AppError;
    expect(versioned.message).toContain("DISCORD_API_URL must not end in a version");

    const missing = attempt(undefined) as AppError;
    expect(missing.message).toContain("DISCORD_TOKEN and DISCORD_APP_ID");
    expect(fake.requests).toHaveLength(0);
  });

  it("reads the Discord variables from the environment, and names a missing partner variable", () => {
    const config = loadConfig({
      DISCORD_TOKEN: TOKEN,
      DISCORD_APP_ID: IDS.app,
      DISCORD_API_URL: "http://127.0.0.1:9/api",
      DISCORD_MESSAGE_CONTENT: "true",
    });
    expect(config.discord).toEqual({
      token: TOKEN,
      appId: IDS.app,
      guildId: undefined,
      apiUrl: "http://127.0.0.1:9/api",
      messageContent: true,
      replyInThread: false,
    });
    expect(config.secrets).toContain(TOKEN);
    let error: unknown;
    try {
      loadConfig({ DISCORD_TOKEN: TOKEN });
    } catch (e) {
      error = e;
    }
    expect(isAppError(error, "E_CONFIG")).toBe(true);
    expect((error as AppError).message).toContain("DISCORD_APP_ID is missing");
    expect((error as AppError).message).not.toContain(TOKEN);
  });

  it("fails start-up on a token Discord rejects, without printing it even at trace level", async () => {
    fake = await FakeDiscord.start({ token: "the.real.token" });
    const lines: string[] = [];
    const log = capturingLogger(lines);
    adapter = createDiscordAdapter({ config: botConfig(fake), ask: simpleAsk, log });
    const error = await adapter.start().catch((e: unknown) => e);
    expect(isAppError(error, "E_DISCORD_TOKEN")).toBe(true);
    expect((error as AppError).message).toContain("DISCORD_TOKEN");
    expect((error as AppError).message).not.toContain(TOKEN);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join("")).not.toContain(TOKEN);
    expect(fake.find("GET", /^\/gateway\/bot$/)).toHaveLength(1);
  });

  it("says what to check when the Discord API cannot be reached", async () => {
    const unreachable = { ...base, apiUrl: "http://127.0.0.1:9/api" };
    adapter = createDiscordAdapter({ config: unreachable, ask: simpleAsk, log: silentLogger() });
    const error = await adapter.start().catch((e: unknown) => e);
    expect(isAppError(error, "E_DISCORD_CONNECT")).toBe(true);
    expect((error as AppError).message).toContain("DISCORD_API_URL");
  });
});
