import { afterEach, describe, expect, it } from "vitest";
import { createFeedbackLog } from "../src/bot/feedback.js";
import { createSlackAdapter, type SlackAdapter } from "../src/bot/slack/adapter.js";
import { openEngine } from "../src/engine.js";
import { NOT_ANSWERED } from "../src/llm/prompts.js";
import { silentLogger } from "../src/logger.js";
import { holdReplies } from "./helpers/fake-openai.js";
import { BOT_USER_ID, eventCallback, FakeSlack, sendCommand, sendEvent } from "./helpers/fake-slack.js";
import { llmConfig, useLlmFixture } from "./helpers/llm-fixture.js";

// Real Bolt and the real engine with an LLM, against a fake Slack and a fake OpenAI-compatible
// server on 127.0.0.1: the quotes go out before the model has answered, and the summary is added
// to the same message when it comes.

const SECRET = "signing-secret-for-tests-0123456789";
const BOT_TOKEN = "xoxb-1111-2222-llmbottoken";
const QUESTION = "what did Holly say about cold starts?";

const fixture = useLlmFixture("slack-llm");
let slack: FakeSlack | undefined;
let adapter: SlackAdapter | undefined;

afterEach(async () => {
  await adapter?.stop();
  await slack?.close();
  adapter = undefined;
  slack = undefined;
});

async function startBot(): Promise<{ fake: FakeSlack; url: string }> {
  const fake = await FakeSlack.start({ botToken: BOT_TOKEN });
  slack = fake;
  const config = llmConfig(fixture, {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: fake.apiUrl,
    PORT: "0",
  });
  const engine = await openEngine(config, { log: silentLogger() });
  if (!config.slack) throw new Error("the test config has no slack section");
  adapter = createSlackAdapter({
    config: config.slack,
    ask: engine.ask,
    log: silentLogger(),
    feedbackLog: createFeedbackLog(`${fixture.tempDir}/feedback.jsonl`),
    host: "127.0.0.1",
  });
  await adapter.start();
  return { fake, url: `http://127.0.0.1:${adapter.port}/slack/events` };
}

function mention(channel: string, ts: string): Record<string, unknown> {
  return { type: "app_mention", user: "U0HUMAN01", text: `<@${BOT_USER_ID}> ${QUESTION}`, ts, channel };
}

describe("Slack with an LLM summary", () => {
  it("posts the quotes at once, then adds the checked summary to the same message", async () => {
    const release = holdReplies(fixture.fake, (sentence) => `Holly Mesrobian said "${sentence}" [1].`);
    const { fake, url } = await startBot();
    await sendEvent(url, SECRET, eventCallback(mention("C0LLM", "1700000300.000001")));

    // The model has the question and has not answered: the quotes are already in the thread. The
    // quotes go out before the summary request does, so the test waits for both.
    await fake.waitFor(() => fake.callsTo("chat.postMessage").length === 1, "the quotes");
    await fixture.fake.waitForChatRequests(1, "the summary request");
    expect(fixture.fake.chatRequests()).toHaveLength(1);
    const [quotes] = fake.callsTo("chat.postMessage");
    expect(quotes?.params).toMatchObject({ channel: "C0LLM", thread_ts: "1700000300.000001" });
    expect(quotes?.wire).toMatch(/\*Holly Mesrobian\*/);
    expect(quotes?.wire).not.toContain("Holly Mesrobian said");
    expect(fake.callsTo("chat.update")).toHaveLength(0);

    release();
    await fake.waitFor(() => fake.callsTo("chat.update").length === 1, "the summary");
    const [update] = fake.callsTo("chat.update");
    expect(update?.params).toMatchObject({ channel: "C0LLM", ts: "1700000100.000001" });
    expect(update?.wire).toContain("Holly Mesrobian said");
    // The summary goes on top of the same quotes, and nothing is posted twice.
    expect(update?.wire).toMatch(/\*Holly Mesrobian\*/);
    expect(fake.callsTo("chat.postMessage")).toHaveLength(1);
  });

  it("marks the posted quotes uncertain when the model says they do not answer the question", async () => {
    const release = holdReplies(fixture.fake, () => NOT_ANSWERED);
    const { fake, url } = await startBot();
    await sendEvent(url, SECRET, eventCallback(mention("C0LLM", "1700000300.000002")));
    await fake.waitFor(() => fake.callsTo("chat.postMessage").length === 1, "the quotes");
    release();
    await fake.waitFor(() => fake.callsTo("chat.update").length === 1, "the update");
    expect(fake.callsTo("chat.update")[0]?.wire).toContain("may not answer this directly");
  });

  it("leaves the quotes as they are when the model's reply is dropped", async () => {
    // A summary citing a passage that was not given fails the checks: there is nothing to add.
    const release = holdReplies(fixture.fake, () => "Cold starts are solved [9].");
    const { fake, url } = await startBot();
    await sendEvent(url, SECRET, eventCallback(mention("C0LLM", "1700000300.000003")));
    await fake.waitFor(() => fake.callsTo("chat.postMessage").length === 1, "the quotes");
    release();
    // Stopping waits for the answer in flight: after it, nothing more will reach Slack.
    await adapter?.stop();
    expect(fake.callsTo("chat.update")).toHaveLength(0);
    expect(fake.callsTo("chat.postMessage")).toHaveLength(1);
  });

  it("holds a slash command's quotes for the summary: a response_url message is not updated in place", async () => {
    const release = holdReplies(fixture.fake, (sentence) => `Holly Mesrobian said "${sentence}" [1].`);
    const { fake, url } = await startBot();
    await sendCommand(url, SECRET, {
      text: QUESTION,
      user_id: "U0HUMAN01",
      channel_id: "C0LLM",
      response_url: fake.responseUrl(),
    });
    await fixture.fake.waitForChatRequests(1, "the LLM request");
    expect(fake.callsTo("response_url")).toHaveLength(0);
    release();
    await fake.waitFor(() => fake.callsTo("response_url").length === 1, "the answer");
    expect(fake.callsTo("response_url")[0]?.wire).toContain("Holly Mesrobian said");
  });
});
