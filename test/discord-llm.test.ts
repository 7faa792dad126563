import { afterEach, describe, expect, it } from "vitest";
import { createDiscordAdapter, type DiscordAdapter } from "../src/bot/discord/adapter.js";
import { openEngine } from "../src/engine.js";
import { silentLogger } from "../src/logger.js";
import { botConfig, FakeDiscord, IDS, type RecordedRequest, USERS } from "./helpers/fake-discord.js";
import { holdReplies } from "./helpers/fake-openai.js";
import { llmConfig, useLlmFixture } from "./helpers/llm-fixture.js";

// Real discord.js and the real engine with an LLM, against a fake Discord and a fake
// OpenAI-compatible server on 127.0.0.1: the quotes replace "thinking…" before the model has
// answered, and the summary is edited into the same message when it comes.

const QUESTION = "what did Holly say about cold starts?";
const EDIT_ORIGINAL = /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/;
const CHANNEL_MESSAGES = /^\/channels\/\d+\/messages$/;
const EDIT_MESSAGE = /^\/channels\/\d+\/messages\/\d+$/;

const fixture = useLlmFixture("discord-llm");
let fake: FakeDiscord | undefined;
let adapter: DiscordAdapter | undefined;

afterEach(async () => {
  await adapter?.stop();
  await fake?.close();
  adapter = undefined;
  fake = undefined;
});

async function startBot(): Promise<FakeDiscord> {
  const discord = await FakeDiscord.start();
  fake = discord;
  const engine = await openEngine(llmConfig(fixture), { log: silentLogger() });
  adapter = createDiscordAdapter({ config: botConfig(discord), ask: engine.ask, log: silentLogger() });
  await adapter.start();
  return discord;
}

function embedText(request: RecordedRequest | undefined): string {
  return JSON.stringify(request?.body.embeds ?? []);
}

describe("Discord with an LLM summary", () => {
  it("/ask: the quotes replace 'thinking…' at once, then the summary is edited in", async () => {
    const release = holdReplies(fixture.fake, (sentence) => `Holly Mesrobian said "${sentence}" [1].`);
    const discord = await startBot();
    discord.sendAsk(QUESTION);

    const quotes = await discord.waitFor("the quotes", () => discord.find("PATCH", EDIT_ORIGINAL)[0]);
    // The quotes go out before the summary request does: wait for the request too.
    await fixture.fake.waitForChatRequests(1, "the summary request");
    expect(fixture.fake.chatRequests()).toHaveLength(1);
    expect(embedText(quotes)).toContain("Holly Mesrobian (guest)");
    expect(embedText(quotes)).not.toContain("Holly Mesrobian said");

    release();
    const summary = await discord.waitFor("the summary", () => discord.find("PATCH", EDIT_ORIGINAL)[1]);
    expect(embedText(summary)).toContain("Holly Mesrobian said");
    expect(embedText(summary)).toContain("Holly Mesrobian (guest)");
    expect(summary.body.allowed_mentions).toEqual({ parse: [], replied_user: false });
    // One answer, edited: no follow-up message.
    expect(discord.find("POST", /^\/webhooks\/\d+\/[^/]+$/)).toHaveLength(0);
  });

  it("/ask: the quotes shown early and the answer that replaces them share one working More quotes button", async () => {
    const release = holdReplies(fixture.fake, (sentence) => `Holly Mesrobian said "${sentence}" [1].`);
    const discord = await startBot();
    discord.sendAsk(QUESTION);
    const quotes = await discord.waitFor("the quotes", () => discord.find("PATCH", EDIT_ORIGINAL)[0]);
    release();
    const summary = await discord.waitFor("the summary", () => discord.find("PATCH", EDIT_ORIGINAL)[1]);

    const buttonOf = (request: RecordedRequest) => request.body.components?.[0]?.components?.[0];
    expect(buttonOf(quotes)?.label).toBe("More quotes");
    expect(buttonOf(summary)?.custom_id).toBe(buttonOf(quotes)?.custom_id);

    discord.pressButton(buttonOf(summary).custom_id, summary.response);
    const more = await discord.waitFor("the next quotes", () => discord.find("PATCH", EDIT_ORIGINAL)[2]);
    const quotesOf = (request: RecordedRequest): string[] =>
      request.body.embeds
        .flatMap((e: { fields?: Array<{ value: string }> }) => e.fields ?? [])
        .map((f: { value: string }) => f.value);
    const shown = new Set(quotesOf(summary));
    expect(quotesOf(more).length).toBeGreaterThan(0);
    for (const quote of quotesOf(more)) expect(shown.has(quote)).toBe(false);
    // Paging shows quotes fetched with the answer: no second summary.
    expect(fixture.fake.chatRequests()).toHaveLength(1);
  });

  it("a mention: the quotes are the reply at once, and the summary is edited into that reply", async () => {
    const release = holdReplies(fixture.fake, (sentence) => `Holly Mesrobian said "${sentence}" [1].`);
    const discord = await startBot();
    const question = discord.sendMessage({ content: `<@${IDS.bot}> ${QUESTION}`, mentions: [USERS.bot] });

    const reply = await discord.waitFor("the quotes", () => discord.find("POST", CHANNEL_MESSAGES)[0]);
    expect(reply.body.message_reference.message_id).toBe(question.id);
    expect(embedText(reply)).not.toContain("Holly Mesrobian said");

    release();
    const edit = await discord.waitFor("the summary", () => discord.find("PATCH", EDIT_MESSAGE)[0]);
    const replyId = (reply.response as { id: string }).id;
    expect(edit.path).toBe(`/channels/${IDS.channel}/messages/${replyId}`);
    expect(embedText(edit)).toContain("Holly Mesrobian said");
    expect(edit.body.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(discord.find("POST", CHANNEL_MESSAGES)).toHaveLength(1);
  });
});
