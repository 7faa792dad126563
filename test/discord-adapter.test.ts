import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Ask, AskInput } from "../src/answer/types.js";
import { PASSAGES_FETCHED } from "../src/bot/answer-flow.js";
import { createDiscordAdapter, type DiscordAdapter } from "../src/bot/discord/adapter.js";
import { loadConfig } from "../src/config.js";
import { openEngine } from "../src/engine.js";
import { createLogger, silentLogger } from "../src/logger.js";
import { botConfig, FakeDiscord, IDS, type RecordedRequest, USERS } from "./helpers/fake-discord.js";

// Real discord.js and the real `ask` over the bundled episode, against a fake Discord on 127.0.0.1.

const SPEAKER = /^(Holly Mesrobian \(guest\)|Jeremy Daly \(host\))$/;
const CHANNEL_MESSAGES = /^\/channels\/\d+\/messages$/;
const EDIT_ORIGINAL = /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/;

let indexDir: string;
let realAsk: Ask;

beforeAll(async () => {
  indexDir = await mkdtemp(join(tmpdir(), "discord-adapter-"));
  const config = loadConfig({ INDEX_DIR: indexDir, EMBEDDER: "offline", CORPUS_DIR: "corpus" });
  realAsk = (await openEngine(config, { log: silentLogger() })).ask;
});

afterAll(async () => {
  await rm(indexDir, { recursive: true, force: true });
});

let fake: FakeDiscord | undefined;
let adapter: DiscordAdapter | undefined;
let asked: AskInput[] = [];
/** The adapter's log lines (debug and up). */
let lines: Array<Record<string, unknown>> = [];

afterEach(async () => {
  await adapter?.stop();
  await fake?.close();
  adapter = undefined;
  fake = undefined;
});

/** Starts a fake Discord and the adapter against it; `ask` calls are recorded in `asked`. */
/** A bot asked one question by mention, once its answer is posted and remembered. */
async function answeredOnce() {
  const discord = await startBot();
  const first = discord.sendMessage({
    content: `<@${IDS.bot}> what did Holly say about cold starts?`,
    mentions: [USERS.bot],
  });
  const [answer] = await posted(discord, 1);
  await answered(discord, 1);
  return { discord, first, answer };
}

async function startBot(overrides: { replyInThread?: boolean } = {}): Promise<FakeDiscord> {
  fake = await FakeDiscord.start();
  asked = [];
  lines = [];
  const ask: Ask = (input) => {
    asked.push(input);
    return realAsk(input);
  };
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const log = createLogger({ level: "debug", format: "json", destination });
  adapter = createDiscordAdapter({ config: botConfig(fake, overrides), ask, log });
  await adapter.start();
  return fake;
}

/** The n-th successful message post (0-based) to a channel. */
function posted(discord: FakeDiscord, count: number): Promise<RecordedRequest[]> {
  return discord.waitFor(`${count} message(s) posted`, () => {
    const ok = discord.find("POST", CHANNEL_MESSAGES).filter((r) => r.status === 200);
    return ok.length >= count ? ok : undefined;
  });
}

/** Waits until `count` questions were answered to the end (posted, and every message remembered). */
function answered(discord: FakeDiscord, count: number): Promise<unknown> {
  return discord.waitFor(`${count} question(s) answered`, () => {
    const done = lines.filter((line) => line.msg === "discord question answered");
    return done.length >= count ? done : undefined;
  });
}

function fieldsOf(request: RecordedRequest): Array<{ name: string; value: string }> {
  return request.body.embeds.flatMap((e: { fields?: unknown[] }) => e.fields ?? []);
}

describe("Discord adapter", () => {
  it("defers /ask at once, then edits the reply into quotes with the speakers' full names", async () => {
    const discord = await startBot();
    const interaction = discord.sendAsk("what did Holly say about cold starts?");
    const edit = await discord.waitFor("the edited reply", () => discord.find("PATCH", EDIT_ORIGINAL)[0]);

    const callback = discord.find("POST", /^\/interactions\/\d+\/[^/]+\/callback$/);
    expect(callback).toHaveLength(1);
    expect(callback[0]?.path).toBe(`/interactions/${interaction.id}/${interaction.token}/callback`);
    expect(callback[0]?.body.type).toBe(5); // DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
    expect(discord.requests.indexOf(callback[0] as RecordedRequest)).toBeLessThan(
      discord.requests.indexOf(edit),
    );

    expect(edit.path).toBe(`/webhooks/${IDS.app}/${interaction.token}/messages/@original`);
    const fields = fieldsOf(edit);
    expect(fields.length).toBeGreaterThan(0);
    for (const field of fields) {
      expect(field.name).toMatch(SPEAKER);
      expect(field.value).toMatch(
        /^> “.+”\n\[Serverless Transformation at AWS with Holly Mesrobian\]\(https:/s,
      );
    }
    expect(edit.body.embeds[0].title).toBe("what did Holly say about cold starts?");
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatchObject({
      text: "what did Holly say about cold starts?",
      user: IDS.user,
      conversation: `discord:chain:${interaction.id}`,
      limit: PASSAGES_FETCHED,
      platform: "discord",
    });
  });

  it("answers a mention in a channel as a reply to the question, without the mention in the question", async () => {
    const discord = await startBot();
    const question = discord.sendMessage({
      content: `<@${IDS.bot}> what did Holly say about cold starts?`,
      mentions: [USERS.bot],
    });
    const [reply] = await posted(discord, 1);
    expect(reply?.path).toBe(`/channels/${IDS.channel}/messages`);
    expect(reply?.body.message_reference).toEqual({ message_id: question.id, fail_if_not_exists: false });
    expect(reply?.body.embeds[0].title).toBe("what did Holly say about cold starts?");
    expect(fieldsOf(reply as RecordedRequest)[0]?.name).toMatch(SPEAKER);
    expect(asked[0]?.text).toBe("what did Holly say about cold starts?");
  });

  it("answers a mention of its own role (which Discord suggests next to the bot's name)", async () => {
    const discord = await startBot();
    const question = discord.sendMessage({
      content: `<@&${IDS.botRole}> why did they build EFS for Lambda?`,
      mentionRoles: [IDS.botRole],
    });
    const [reply] = await posted(discord, 1);
    expect(reply?.body.message_reference.message_id).toBe(question.id);
    expect(asked[0]?.text).toBe("why did they build EFS for Lambda?");
  });

  it("answers a direct message, without needing a mention", async () => {
    const discord = await startBot();
    discord.sendMessage({ content: "why did they build EFS for Lambda?", where: "dm" });
    const [reply] = await posted(discord, 1);
    expect(reply?.path).toBe(`/channels/${IDS.dmChannel}/messages`);
    expect(fieldsOf(reply as RecordedRequest)[0]?.name).toMatch(SPEAKER);
    expect(asked[0]?.conversation).toBe(`discord:dm:${IDS.dmChannel}`);
  });

  it("treats a reply to one of its answers as a follow-up in the same conversation", async () => {
    const { discord, first, answer } = await answeredOnce();
    const followUp = discord.sendMessage({
      content: "and why?",
      replyTo: { id: answer?.response.id, channel_id: IDS.channel, author: USERS.bot },
    });
    const second = (await posted(discord, 2))[1];

    expect(second?.body.message_reference.message_id).toBe(followUp.id);
    expect(asked.map((a) => a.conversation)).toEqual([
      `discord:chain:${first.id}`,
      `discord:chain:${first.id}`,
    ]);
    // The follow-up was understood together with the question it follows.
    expect(second?.body.embeds[0].title).toContain("cold starts");
  });

  it("answers a reply to its answer without a mention, even once the answer is deleted, and no other reply", async () => {
    const { discord, first, answer } = await answeredOnce();
    const toAnswer = { id: answer?.response.id, channel_id: IDS.channel, author: USERS.bot };
    // Replies without a mention: to someone else's message, and to a deleted message the bot
    // never posted. Neither is addressed to the bot.
    discord.sendMessage({
      content: "and why?",
      replyTo: { id: "1600000000000000777", channel_id: IDS.channel, author: USERS.otherUser },
      replyMention: false,
    });
    discord.sendMessage({
      content: "and why?",
      replyTo: { id: "1600000000000000778", channel_id: IDS.channel, author: USERS.user },
      replyMention: false,
      replyToDeleted: true,
    });
    // To the answer with the mention toggled off: Discord names the author replied to.
    const quiet = discord.sendMessage({ content: "and why?", replyTo: toAnswer, replyMention: false });
    const second = (await posted(discord, 2))[1];
    expect(second?.body.message_reference.message_id).toBe(quiet.id);
    await answered(discord, 2);
    // To the answer once deleted: Discord names no author; the bot remembers the answer was its own.
    const late = discord.sendMessage({
      content: "what about EFS?",
      replyTo: toAnswer,
      replyMention: false,
      replyToDeleted: true,
    });
    const third = (await posted(discord, 3))[2];
    expect(third?.body.message_reference.message_id).toBe(late.id);
    expect(discord.messagePayloads()).toHaveLength(3);
    expect(asked.map((a) => a.conversation)).toEqual([
      `discord:chain:${first.id}`,
      `discord:chain:${first.id}`,
      `discord:chain:${first.id}`,
    ]);
  });

  it("answers every message in a thread it started, as one conversation", async () => {
    const discord = await startBot();
    discord.sendMessage({ content: "what did Holly say about cold starts?", where: "botThread" });
    await posted(discord, 1);
    discord.sendMessage({ content: "and why?", where: "botThread" });
    const replies = await posted(discord, 2);
    expect(replies.map((r) => r.path)).toEqual([
      `/channels/${IDS.botThread}/messages`,
      `/channels/${IDS.botThread}/messages`,
    ]);
    expect(asked.map((a) => a.conversation)).toEqual([
      `discord:thread:${IDS.botThread}`,
      `discord:thread:${IDS.botThread}`,
    ]);
  });

  it("answers in a new thread on the question when configured to", async () => {
    const discord = await startBot({ replyInThread: true });
    const question = discord.sendMessage({
      content: `<@${IDS.bot}> why did they build EFS for Lambda?`,
      mentions: [USERS.bot],
    });
    const [reply] = await posted(discord, 1);
    const [thread] = discord.find("POST", /\/threads$/);
    expect(thread?.path).toBe(`/channels/${IDS.channel}/messages/${question.id}/threads`);
    expect(thread?.body.name).toBe("why did they build EFS for Lambda?");
    expect(reply?.path).toBe(`/channels/${question.id}/messages`);
    expect(reply?.body.message_reference).toBeUndefined();
    expect(asked[0]?.conversation).toBe(`discord:thread:${question.id}`);
  });

  it("echoes @everyone, @here, roles and users in a question without ever allowing a ping", async () => {
    const discord = await startBot();
    const question =
      "@everyone @here <@&1500000000000000009> <@1400000000000000002> what did Holly say about cold starts?";
    discord.sendAsk(question);
    discord.sendMessage({
      content: `<@${IDS.bot}> ${question}`,
      mentions: [USERS.bot, USERS.otherUser],
      mentionEveryone: true,
    });
    discord.sendMessage({ content: question, where: "dm" });
    await discord.waitFor("three answers", () => discord.messagePayloads().length >= 3 || undefined);

    const payloads = discord.messagePayloads();
    expect(payloads).toHaveLength(3);
    for (const payload of payloads) {
      expect(payload.body.allowed_mentions).toEqual({ parse: [], replied_user: false });
      // The question is shown, escaped, so the echo is visible but inert.
      expect(payload.body.embeds[0].title).toContain("@everyone @here \\<@&1500000000000000009\\>");
    }
  });

  it("ignores other bots, webhooks, itself and a bare @everyone", async () => {
    const discord = await startBot();
    const mention = `<@${IDS.bot}> what did Holly say about cold starts?`;
    discord.sendMessage({ content: mention, author: USERS.otherBot, mentions: [USERS.bot] });
    discord.sendMessage({ content: mention, mentions: [USERS.bot], webhookId: "1900000000000000001" });
    discord.sendMessage({ content: mention, author: USERS.bot, mentions: [USERS.bot] });
    discord.sendMessage({
      content: "@everyone what did Holly say about cold starts?",
      mentionEveryone: true,
    });
    discord.sendMessage({ content: "what did Holly say about cold starts?" });
    const person = discord.sendMessage({ content: mention, mentions: [USERS.bot] });

    const [reply] = await posted(discord, 1);
    expect(reply?.body.message_reference.message_id).toBe(person.id);
    expect(discord.messagePayloads()).toHaveLength(1);
    expect(asked).toHaveLength(1);
  });

  it("shows more quotes, only to the person who pressed the button, without asking again", async () => {
    const discord = await startBot();
    discord.sendAsk("what did Holly say about cold starts?");
    const first = await discord.waitFor("the edited reply", () => discord.find("PATCH", EDIT_ORIGINAL)[0]);
    const button = first.body.components[0].components[0];
    expect(button.label).toBe("More quotes");

    const press = discord.pressButton(button.custom_id, first.response);
    const more = await discord.waitFor("the next quotes", () => discord.find("PATCH", EDIT_ORIGINAL)[1]);
    const callback = discord.find("POST", /\/callback$/).find((r) => r.path.includes(press.id));
    expect(callback?.body).toEqual({ type: 5, data: { flags: 64 } }); // deferred, ephemeral
    expect(more.path).toContain(press.token);
    expect(more.body.allowed_mentions).toEqual({ parse: [], replied_user: false });
    const shown = new Set(fieldsOf(first).map((f) => f.value));
    const next = fieldsOf(more);
    expect(next.length).toBeGreaterThan(0);
    for (const field of next) expect(shown.has(field.value)).toBe(false);
    // The quotes came with the answer: paging asks nothing, so it costs no rate limit and no LLM call.
    expect(asked).toHaveLength(1);
  });

  it("says a More quotes button has expired when it no longer knows it", async () => {
    const discord = await startBot();
    discord.pressButton("more-quotes:00000000-0000-0000-0000-000000000000", {
      id: "1600000000000009999",
      channel_id: IDS.channel,
    });
    const edit = await discord.waitFor("the reply", () => discord.find("PATCH", EDIT_ORIGINAL)[0]);
    expect(edit.body.content).toBe("Those quotes are no longer at hand: please ask again with /ask.");
    expect(asked).toHaveLength(0);
  });

  it("answers a question the episode does not cover in one plain line", async () => {
    const discord = await startBot();
    discord.sendMessage({ content: `<@${IDS.bot}>`, mentions: [USERS.bot] });
    const [reply] = await posted(discord, 1);
    expect(reply?.body.embeds).toEqual([]);
    expect(reply?.body.content).toBe("Please ask a question about the episode.");
    expect(reply?.body.content).not.toContain("\n");
    expect(reply?.body.flags).toBe(4); // SUPPRESS_EMBEDS
  });
});
