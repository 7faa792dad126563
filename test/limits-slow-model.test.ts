import { afterEach, describe, expect, it } from "vitest";
import { createFeedbackLog } from "../src/bot/feedback.js";
import { BUSY_MESSAGE, limitAsk } from "../src/bot/limits.js";
import { createSlackAdapter, type SlackAdapter } from "../src/bot/slack/adapter.js";
import { type Engine, openEngine } from "../src/engine.js";
import { silentLogger } from "../src/logger.js";
import { quotingReply } from "./helpers/fake-openai.js";
import { BOT_USER_ID, eventCallback, FakeSlack, sendEvent } from "./helpers/fake-slack.js";
import { llmConfig, useLlmFixture } from "./helpers/llm-fixture.js";

// A slow model and more questions than MAX_IN_FLIGHT: the real Bolt, engine and openai client
// against a fake Slack and a fake model that holds every reply until the test releases it. The
// bound counts questions being looked up, not the wait for the model: every question gets its
// quotes, and past LLM_MAX_IN_FLIGHT only the summary is left out.

const SECRET = "signing-secret-for-tests-0123456789";
const BOT_TOKEN = "xoxb-1111-2222-slowmodelbottoken";
const CHANNEL = "C0SLOWLLM";
const QUESTIONS = [
  "what did Holly say about cold starts?",
  "why did they build EFS for Lambda?",
  "what is Provisioned Concurrency for?",
  "what did they say about Firecracker?",
  "how does Lambda scale?",
];

const fixture = useLlmFixture("limits-slow-model");
let fake: FakeSlack | undefined;
let adapter: SlackAdapter | undefined;

afterEach(async () => {
  await adapter?.stop();
  await fake?.close();
  adapter = undefined;
  fake = undefined;
});

/** The bot as src/main.ts composes it: the engine behind the limits of the config, under Slack. */
async function startBot(
  env: Record<string, string>,
): Promise<{ slack: FakeSlack; url: string; engine: Engine }> {
  const slack = await FakeSlack.start({ botToken: BOT_TOKEN });
  fake = slack;
  const config = llmConfig(fixture, {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.apiUrl,
    PORT: "0",
    // The held replies come when the test says: the model's deadline must not run out before.
    LLM_TIMEOUT_MS: "60000",
    ...env,
  });
  const engine = await openEngine(config, { log: silentLogger() });
  if (!config.slack) throw new Error("the test config has no slack section");
  adapter = createSlackAdapter({
    config: config.slack,
    ask: limitAsk(engine.ask, config.limits),
    log: silentLogger(),
    feedbackLog: createFeedbackLog(`${fixture.tempDir}/feedback.jsonl`),
    host: "127.0.0.1",
  });
  await adapter.start();
  return { slack, url: `http://127.0.0.1:${adapter.port}/slack/events`, engine };
}

/** Makes the fake model answer every request with a grounded summary, once the returned function is called. */
function holdModel(): () => void {
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  fixture.fake.respond(async (request) => {
    await released;
    return quotingReply(request);
  });
  return release;
}

/** Asks the questions one after the other, each once the one before has its quotes in its thread. */
async function askInTurn(slack: FakeSlack, url: string, count: number): Promise<string[]> {
  const threads: string[] = [];
  for (let i = 0; i < count; i++) {
    const ts = `1700000500.${String(i + 1).padStart(6, "0")}`;
    threads.push(ts);
    const text = `<@${BOT_USER_ID}> ${QUESTIONS[i % QUESTIONS.length]}`;
    await sendEvent(
      url,
      SECRET,
      eventCallback({ type: "app_mention", user: `U0ASKER${i}`, text, ts, channel: CHANNEL }),
    );
    await slack.waitFor(() => slack.messagesIn(CHANNEL, ts).length === 1, `the reply to question ${i + 1}`);
  }
  return threads;
}

describe("MAX_IN_FLIGHT with a slow model", () => {
  it("gives every question its quotes while the summaries wait, and none 'busy'", async () => {
    const release = holdModel();
    const { slack, url } = await startBot({ MAX_IN_FLIGHT: "2" });
    const threads = await askInTurn(slack, url, 5);

    // Five replies, each with quotes, while the model holds all five summaries.
    const replies = slack.callsTo("chat.postMessage");
    expect(replies).toHaveLength(5);
    for (const reply of replies) {
      expect(reply.wire).not.toContain(BUSY_MESSAGE);
      expect(reply.wire).toMatch(/\*(Holly Mesrobian|Jeremy Daly)\*/);
    }
    await fixture.fake.waitForChatRequests(5, "the five summary requests");

    release();
    await slack.waitFor(() => slack.callsTo("chat.update").length === 5, "the five summaries");
    for (const update of slack.callsTo("chat.update")) expect(update.wire).toContain("said");
    expect(threads.map((ts) => slack.messagesIn(CHANNEL, ts).length)).toEqual([1, 1, 1, 1, 1]);
  });

  it("past LLM_MAX_IN_FLIGHT waiting summaries, sends the quotes alone and asks the model nothing", async () => {
    const release = holdModel();
    const { slack, url, engine } = await startBot({ MAX_IN_FLIGHT: "2", LLM_MAX_IN_FLIGHT: "2" });
    await askInTurn(slack, url, 4);

    // Two summaries wait for the model; the other two questions got their quotes, final as posted.
    const replies = slack.callsTo("chat.postMessage");
    expect(replies).toHaveLength(4);
    for (const reply of replies) expect(reply.wire).not.toContain(BUSY_MESSAGE);
    expect(fixture.fake.chatRequests()).toHaveLength(2);
    expect(engine.llm?.skipped.busy).toBe(2);

    release();
    await slack.waitFor(() => slack.callsTo("chat.update").length === 2, "the two summaries");
    await adapter?.stop();
    expect(slack.callsTo("chat.update")).toHaveLength(2);
    expect(fixture.fake.chatRequests()).toHaveLength(2);
  });
});
