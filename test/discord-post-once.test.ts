import { afterEach, describe, expect, it } from "vitest";
import type { Answer, AskInput } from "../src/answer/types.js";
import { createDiscordAdapter, type DiscordAdapter } from "../src/bot/discord/adapter.js";
import { silentLogger } from "../src/logger.js";
import { botConfig, FakeDiscord, IDS, USERS } from "./helpers/fake-discord.js";

// A reply whose create request gets no answer although Discord made the message: the real
// discord.js REST client sends it again after its timeout, and the thread must still show it once.

const CHANNEL_MESSAGES = /^\/channels\/\d+\/messages$/;
// The held request never answers, so this only decides how soon the client sends it again.
const REST_TIMEOUT_MS = 500;

function cannedAnswer(input: AskInput): Answer {
  return {
    status: "answered",
    question: input.text,
    passages: [
      {
        id: "p0",
        text: "…",
        quote: "Cold starts are something we work on all the time.",
        speaker: "Holly Mesrobian",
        role: "guest",
        episode: { id: "e", title: "Serverless Transformation at AWS", url: "https://youtu.be/nBYUh7CVUiQ" },
        start: 0,
        end: 1,
        timestamp: 60,
        score: 1,
      },
    ],
  };
}

let fake: FakeDiscord | undefined;
let adapter: DiscordAdapter | undefined;

afterEach(async () => {
  await adapter?.stop();
  await fake?.close();
  adapter = undefined;
  fake = undefined;
});

describe("a Discord reply whose answer is lost", () => {
  it("is sent again with the same enforced nonce, and Discord keeps one message", async () => {
    const discord = await FakeDiscord.start();
    fake = discord;
    adapter = createDiscordAdapter({
      config: botConfig(discord),
      ask: async (input) => cannedAnswer(input),
      log: silentLogger(),
      onFatal: () => {},
      restTimeoutMs: REST_TIMEOUT_MS,
    });
    await adapter.start();
    const held = discord.hold("POST", CHANNEL_MESSAGES);
    const question = discord.sendMessage({
      content: `<@${IDS.bot}> what did Holly say about cold starts?`,
      mentions: [USERS.bot],
    });
    await held.arrived;
    await discord.waitFor("the create sent again", () => discord.find("POST", CHANNEL_MESSAGES).length === 2);
    await adapter.stop();
    adapter = undefined;
    held.release();

    expect(discord.created).toHaveLength(1);
    expect(discord.created[0]?.message_reference?.message_id).toBe(question.id);
    const [first, again] = discord.find("POST", CHANNEL_MESSAGES);
    expect(first?.body.nonce).toEqual(expect.any(String));
    expect(first?.body.enforce_nonce).toBe(true);
    expect(again?.body.nonce).toBe(first?.body.nonce);
  });
});
