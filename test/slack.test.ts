import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Ask } from "../src/answer/types.js";
import { APOLOGY } from "../src/bot/answer-flow.js";
import { createFeedbackLog } from "../src/bot/feedback.js";
import { createSlackAdapter, type SlackAdapter } from "../src/bot/slack/adapter.js";
import { ASSISTANT_STATUS, SUGGESTED_PROMPTS } from "../src/bot/slack/handlers/assistant.js";
import { loadConfig } from "../src/config.js";
import { openEngine } from "../src/engine.js";
import { createLogger, silentLogger } from "../src/logger.js";
import {
  BOT_ID,
  BOT_USER_ID,
  buttonClick,
  eventCallback,
  FakeSlack,
  type SlackCall,
  sendCommand,
  sendEvent,
  sendInteraction,
  signature,
} from "./helpers/fake-slack.js";

const SECRET = "signing-secret-for-tests-0123456789";
const BOT_TOKEN = "xoxb-1111-2222-canarybottoken";
const HUMAN = "U0HUMAN01";
const CHANNEL = "C0GENERAL";
const FULL_NAME = /\*(Holly Mesrobian|Jeremy Daly)\*/;
const COLD_STARTS = "what did Holly say about cold starts?";

let ask: Ask;
let workDir: string;
let fake: FakeSlack;
let running: SlackAdapter[] = [];
let tsCounter = 0;

function nextTs(): string {
  tsCounter += 1;
  return `1700000000.${String(tsCounter).padStart(6, "0")}`;
}

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), "slack-test-"));
  const config = loadConfig({ INDEX_DIR: join(workDir, "index"), EMBEDDER: "offline", CORPUS_DIR: "corpus" });
  ({ ask } = await openEngine(config, { log: silentLogger() }));
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

beforeEach(async () => {
  fake = await FakeSlack.start({ botToken: BOT_TOKEN });
});

afterEach(async () => {
  for (const adapter of running) await adapter.stop();
  running = [];
  await fake.close();
});

interface Started {
  adapter: SlackAdapter;
  url: string;
  logs: string[];
  feedbackPath: string;
  asked: string[];
}

async function startSlack(options: { ask?: Ask; env?: Record<string, string> } = {}): Promise<Started> {
  const config = loadConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: fake.apiUrl,
    PORT: "0",
    ...options.env,
  });
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const log = createLogger({ level: "debug", format: "json", secrets: config.secrets, destination });
  const feedbackPath = join(workDir, `feedback-${Date.now()}-${Math.random()}.jsonl`);
  const asked: string[] = [];
  const realAsk = options.ask ?? ask;
  const slack = config.slack;
  if (!slack) throw new Error("the test config has no slack section");
  const adapter = createSlackAdapter({
    config: slack,
    ask: (input) => {
      asked.push(input.text);
      return realAsk(input);
    },
    log,
    feedbackLog: createFeedbackLog(feedbackPath),
    host: "127.0.0.1",
  });
  await adapter.start();
  running.push(adapter);
  return { adapter, url: `http://127.0.0.1:${adapter.port}/slack/events`, logs, feedbackPath, asked };
}

/** Stops the adapter, waiting for everything it was doing: after this, nothing more will be posted. */
async function settle(started: Started): Promise<void> {
  await started.adapter.stop();
  running = running.filter((adapter) => adapter !== started.adapter);
}

function mention(text: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const ts = nextTs();
  return {
    type: "app_mention",
    user: HUMAN,
    text: `<@${BOT_USER_ID}> ${text}`,
    ts,
    event_ts: ts,
    channel: CHANNEL,
    ...extra,
  };
}

function directMessage(text: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const ts = nextTs();
  return {
    type: "message",
    channel_type: "im",
    channel: "D0HUMAN01",
    user: HUMAN,
    text,
    ts,
    event_ts: ts,
    ...extra,
  };
}

type Block = {
  type: string;
  block_id?: string;
  text?: { text: string };
  elements?: Array<Record<string, unknown>>;
};

function blocksOf(call: SlackCall | undefined): Block[] {
  return (call?.params.blocks as Block[] | undefined) ?? [];
}

function quoteTexts(call: SlackCall | undefined): string[] {
  return blocksOf(call)
    .filter((block) => block.type === "section" && block.block_id?.startsWith("quote_"))
    .map((block) => block.text?.text ?? "");
}

function button(call: SlackCall | undefined, actionId: string): Record<string, unknown> | undefined {
  const actions = blocksOf(call).find((block) => block.type === "actions");
  return actions?.elements?.find((element) => element.action_id === actionId);
}

describe("Slack adapter (HTTP mode, real Bolt against a fake Slack)", () => {
  it("checks the token at start-up and answers a mention in its thread with a quote and a full name", async () => {
    const slack = await startSlack();
    expect(fake.callsTo("auth.test")).toHaveLength(1);
    expect(fake.callsTo("auth.test")[0]?.token).toBe(BOT_TOKEN);

    const event = mention(COLD_STARTS);
    const response = await sendEvent(slack.url, SECRET, eventCallback(event));
    expect(response.status).toBe(200);
    await fake.waitFor(() => fake.callsTo("chat.postMessage").length === 1, "the reply");
    await settle(slack);

    const [reply] = fake.callsTo("chat.postMessage");
    expect(reply?.params.channel).toBe(CHANNEL);
    expect(reply?.params.thread_ts).toBe(event.ts);
    expect(reply?.params.unfurl_links).toBe("false");
    expect(reply?.params.unfurl_media).toBe("false");
    const quotes = quoteTexts(reply);
    expect(quotes.length).toBeGreaterThan(0);
    expect(quotes.length).toBeLessThanOrEqual(3);
    for (const quote of quotes) {
      expect(quote).toMatch(/^>“/);
      expect(quote).toMatch(FULL_NAME);
      expect(quote).toContain(
        "<https://youtu.be/nBYUh7CVUiQ|Serverless Transformation at AWS with Holly Mesrobian>",
      );
    }
    expect(String(reply?.params.text)).toMatch(/Holly Mesrobian|Jeremy Daly/);
    expect(button(reply, "feedback_up")).toBeDefined();
    expect(button(reply, "feedback_down")).toBeDefined();
    expect(slack.asked).toEqual([COLD_STARTS]);
    expect(fake.callsTo("chat.postMessage")).toHaveLength(1);
  });

  it("answers a direct message in the DM", async () => {
    const slack = await startSlack();
    await sendEvent(slack.url, SECRET, eventCallback(directMessage("why did they build EFS for Lambda?")));
    await fake.waitFor(() => fake.callsTo("chat.postMessage").length === 1, "the DM reply");
    await settle(slack);

    const [reply] = fake.callsTo("chat.postMessage");
    expect(reply?.params.channel).toBe("D0HUMAN01");
    expect(reply?.params.thread_ts).toBeUndefined();
    expect(quoteTexts(reply).some((quote) => FULL_NAME.test(quote))).toBe(true);
  });

  it("answers /ask visibly through the response_url, repeating the question", async () => {
    const slack = await startSlack();
    const response = await sendCommand(slack.url, SECRET, {
      text: COLD_STARTS,
      user_id: HUMAN,
      channel_id: CHANNEL,
      response_url: fake.responseUrl(),
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
    await fake.waitFor(() => fake.callsTo("response_url").length === 1, "the /ask answer");
    await settle(slack);

    const [answer] = fake.callsTo("response_url");
    expect(answer?.params.response_type).toBe("in_channel");
    expect(answer?.params.unfurl_links).toBe(false);
    expect(blocksOf(answer)[0]?.elements?.[0]?.text).toBe(`*Question:* ${COLD_STARTS}`);
    expect(quoteTexts(answer).some((quote) => FULL_NAME.test(quote))).toBe(true);
    expect(fake.callsTo("chat.postMessage")).toHaveLength(0);
  });

  it("answers /ask --private (or with SLACK_ASK_EPHEMERAL) to the asker only, and --public overrides it", async () => {
    const slack = await startSlack({ env: { SLACK_ASK_EPHEMERAL: "true" } });
    const command = (text: string) =>
      sendCommand(slack.url, SECRET, {
        text,
        user_id: HUMAN,
        channel_id: CHANNEL,
        response_url: fake.responseUrl(),
      });
    await command(`--private ${COLD_STARTS}`);
    await command(COLD_STARTS);
    await command(`--public ${COLD_STARTS}`);
    await command("   ");
    await fake.waitFor(() => fake.callsTo("response_url").length === 4, "four /ask answers");
    await settle(slack);

    const types = fake.callsTo("response_url").map((call) => call.params.response_type);
    expect(types.filter((type) => type === "ephemeral")).toHaveLength(3);
    expect(types.filter((type) => type === "in_channel")).toHaveLength(1);
    const usage = fake
      .callsTo("response_url")
      .find((call) => String(call.params.text).includes("Ask about the episode"));
    expect(usage?.params.response_type).toBe("ephemeral");
    expect(slack.asked).toEqual([COLD_STARTS, COLD_STARTS, COLD_STARTS]);
  });

  it("treats a follow-up in the same thread as part of the conversation, and not in another thread", async () => {
    const slack = await startSlack();
    const first = mention(COLD_STARTS);
    await sendEvent(slack.url, SECRET, eventCallback(first));
    await fake.waitFor(() => fake.callsTo("chat.postMessage").length === 1, "the first answer");
    await sendEvent(slack.url, SECRET, eventCallback(mention("why?", { thread_ts: first.ts })));
    await fake.waitFor(() => fake.callsTo("chat.postMessage").length === 2, "the follow-up answer");
    await sendEvent(slack.url, SECRET, eventCallback(mention("why?")));
    await fake.waitFor(() => fake.callsTo("chat.postMessage").length === 3, "the unrelated answer");
    await settle(slack);

    const [, followUp, elsewhere] = fake.callsTo("chat.postMessage");
    expect(followUp?.params.thread_ts).toBe(first.ts);
    expect(followUp?.wire).toContain("Read as: why? what did Holly say about cold starts?");
    expect(elsewhere?.wire).not.toContain("cold starts");
    expect(fake.calls.some((call) => call.method === "conversations.replies")).toBe(false);
  });

  it("answers an event delivered twice (same event_id) once, and a first delivery marked as a retry", async () => {
    const slack = await startSlack();
    const body = eventCallback(mention(COLD_STARTS), "Ev0DUPLICATE");
    const retryHeaders = { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" };
    const [a, b] = await Promise.all([
      sendEvent(slack.url, SECRET, body),
      sendEvent(slack.url, SECRET, body, { headers: retryHeaders }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    // A retry whose first delivery never arrived must still be answered.
    await sendEvent(slack.url, SECRET, eventCallback(mention(COLD_STARTS), "Ev0LOSTFIRST"), {
      headers: retryHeaders,
    });
    await fake.waitFor(() => fake.callsTo("chat.postMessage").length === 2, "two answers");
    await settle(slack);

    expect(fake.callsTo("chat.postMessage")).toHaveLength(2);
    expect(slack.asked).toHaveLength(2);
  });

  it("answers a message once when it comes again under another event_id, or as app_mention and message.im", async () => {
    const slack = await startSlack();
    // The same mention (channel + ts) in two envelopes with different event ids: Slack's redelivery
    // of a message it thinks was missed does not promise the first event_id.
    const again = mention(COLD_STARTS);
    const [a, b] = await Promise.all([
      sendEvent(slack.url, SECRET, eventCallback(again, "Ev0FIRSTENVELOPE")),
      sendEvent(slack.url, SECRET, eventCallback(again, "Ev0SECONDENVELOPE")),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    // A DM that mentions the bot arrives as app_mention (which the DM handler leaves alone) and as
    // message.im: whichever comes first, the DM is answered, once.
    const dm = directMessage(`<@${BOT_USER_ID}> why did they build EFS for Lambda?`);
    const asMention = { ...dm, type: "app_mention", channel_type: undefined };
    await sendEvent(slack.url, SECRET, eventCallback(asMention));
    await sendEvent(slack.url, SECRET, eventCallback(dm));
    await sendEvent(slack.url, SECRET, eventCallback(dm));
    await fake.waitFor(() => fake.callsTo("chat.postMessage").length >= 2, "two answers");
    await settle(slack);

    const posts = fake.callsTo("chat.postMessage");
    expect(posts.map((post) => post.params.channel)).toEqual([CHANNEL, "D0HUMAN01"]);
    expect(slack.asked).toHaveLength(2);
  });

  it("rejects forged and stale signatures without answering", async () => {
    const slack = await startSlack();
    const forged = await sendEvent(slack.url, SECRET, eventCallback(mention(COLD_STARTS)), {
      signature: signature("not-the-secret", Math.floor(Date.now() / 1000), "{}"),
    });
    const stale = Math.floor(Date.now() / 1000) - 6 * 60;
    const old = await sendEvent(slack.url, SECRET, eventCallback(mention(COLD_STARTS)), { timestamp: stale });
    const unsigned = await fetch(slack.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(eventCallback(mention(COLD_STARTS))),
    });
    expect([forged.status, old.status, unsigned.status]).toEqual([401, 401, 401]);
    await settle(slack);

    expect(slack.asked).toEqual([]);
    expect(fake.calls.filter((call) => call.method !== "auth.test")).toEqual([]);
  });

  it("never pings: <!channel>, <!here>, <@U…> in a question are escaped on the wire", async () => {
    const slack = await startSlack();
    const hostile = `<!channel> <!here|here> &lt;!everyone&gt; <@U0OTHER01> &lt;https://evil.test|click&gt; ${COLD_STARTS}`;
    await sendCommand(slack.url, SECRET, {
      text: hostile,
      user_id: HUMAN,
      channel_id: CHANNEL,
      response_url: fake.responseUrl(),
    });
    await sendEvent(slack.url, SECRET, eventCallback(mention(hostile)));
    await fake.waitFor(
      () => fake.callsTo("response_url").length === 1 && fake.callsTo("chat.postMessage").length === 1,
      "both answers",
    );
    await settle(slack);

    const [command] = fake.callsTo("response_url");
    const [reply] = fake.callsTo("chat.postMessage");
    for (const call of [command, reply]) {
      expect(call?.wire).not.toMatch(/<!(channel|here|everyone)/);
      expect(call?.wire).not.toContain("<@U0OTHER01");
      expect(call?.wire).not.toContain("<https://evil.test");
      expect(call?.params.link_names).not.toBe("true");
    }
    // The typed text is still shown, as text.
    expect(command?.wire).toContain("&lt;!everyone&gt;");
    expect(command?.wire).toContain("&lt;https://evil.test|click&gt;");
    expect(command?.wire).toContain("@channel");
  });

  it("ignores messages from bots, itself included", async () => {
    const slack = await startSlack();
    await sendEvent(
      slack.url,
      SECRET,
      eventCallback(mention(COLD_STARTS, { bot_id: "B0OTHER01", user: "U0OTHERBOT" })),
    );
    await sendEvent(
      slack.url,
      SECRET,
      eventCallback(
        directMessage(COLD_STARTS, { subtype: "bot_message", bot_id: "B0OTHER01", user: undefined }),
      ),
    );
    await sendEvent(
      slack.url,
      SECRET,
      eventCallback(directMessage(COLD_STARTS, { user: BOT_USER_ID, bot_id: BOT_ID })),
    );
    await sendEvent(slack.url, SECRET, eventCallback(directMessage(COLD_STARTS, { channel: "D0PERSON2" })));
    await fake.waitFor(() => fake.callsTo("chat.postMessage").length === 1, "the answer to the person");
    await settle(slack);

    expect(fake.callsTo("chat.postMessage").map((call) => call.params.channel)).toEqual(["D0PERSON2"]);
    expect(slack.asked).toHaveLength(1);
  });

  it("waits out a 429 with Retry-After and posts once", async () => {
    const slack = await startSlack();
    fake.script("chat.postMessage", {
      status: 429,
      headers: { "retry-after": "1" },
      body: { ok: false, error: "ratelimited" },
    });
    await sendEvent(slack.url, SECRET, eventCallback(mention(COLD_STARTS)));
    await fake.waitFor(() => fake.callsTo("chat.postMessage").length === 1, "the reply after the 429");
    await settle(slack);

    expect(fake.attemptsOf("chat.postMessage").map((call) => call.status)).toEqual([429, 200]);
    expect(quoteTexts(fake.callsTo("chat.postMessage")[0]).length).toBeGreaterThan(0);
  });

  it("retries a 500 once and posts once", async () => {
    const slack = await startSlack();
    fake.script("chat.postMessage", { status: 500, body: "upstream exploded" });
    await sendEvent(slack.url, SECRET, eventCallback(mention(COLD_STARTS)));
    await fake.waitFor(() => fake.callsTo("chat.postMessage").length === 1, "the reply after the 500");
    await settle(slack);

    expect(fake.attemptsOf("chat.postMessage").map((call) => call.status)).toEqual([500, 200]);
  });

  it("survives Slack failing for good: logs it, gives up, and answers the next question", async () => {
    const slack = await startSlack();
    const failure = { status: 500, body: "down" };
    // Three attempts for the answer, three for the apology.
    fake.script("chat.postMessage", failure, failure, failure, failure, failure, failure);
    await sendEvent(slack.url, SECRET, eventCallback(mention(COLD_STARTS)));
    await fake.waitFor(() => fake.attemptsOf("chat.postMessage").length === 6, "six failed attempts");
    await sendEvent(slack.url, SECRET, eventCallback(mention("why did they build EFS for Lambda?")));
    await fake.waitFor(() => fake.callsTo("chat.postMessage").length === 1, "the next answer");
    await settle(slack);

    expect(fake.attemptsOf("chat.postMessage")).toHaveLength(7);
    const logText = slack.logs.join("");
    expect(logText).toContain("slack question failed");
    expect(logText).toContain("could not deliver the apology either");
  });

  it("apologises in the thread when answering fails inside the bot, and logs the error", async () => {
    const slack = await startSlack({
      ask: async () => {
        throw new Error("the index exploded");
      },
    });
    const event = mention(COLD_STARTS);
    await sendEvent(slack.url, SECRET, eventCallback(event));
    await fake.waitFor(() => fake.callsTo("chat.postMessage").length === 1, "the apology");
    await settle(slack);

    const [apology] = fake.callsTo("chat.postMessage");
    expect(apology?.params.text).toBe(APOLOGY);
    expect(apology?.params.thread_ts).toBe(event.ts);
    expect(slack.logs.join("")).toContain("the index exploded");
  });

  it("answers a 50 kB question with one short line", async () => {
    const slack = await startSlack();
    await sendEvent(slack.url, SECRET, eventCallback(mention(`cold starts ${"x".repeat(50_000)}?`)));
    await fake.waitFor(() => fake.callsTo("chat.postMessage").length === 1, "the reply");
    await settle(slack);

    const [reply] = fake.callsTo("chat.postMessage");
    expect(String(reply?.params.text)).toMatch(/characters long/);
    expect(blocksOf(reply)).toHaveLength(1);
    expect(reply?.wire.length).toBeLessThan(2_000);
  });

  it("writes a 👍/👎 to the feedback log, once per person and vote, and thanks the voter", async () => {
    const slack = await startSlack();
    const event = mention(COLD_STARTS);
    await sendEvent(slack.url, SECRET, eventCallback(event));
    await fake.waitFor(() => fake.callsTo("chat.postMessage").length === 1, "the answer");
    const [reply] = fake.callsTo("chat.postMessage");
    const value = String(button(reply, "feedback_up")?.value);
    const click = (actionId: string, user = HUMAN) =>
      sendInteraction(
        slack.url,
        SECRET,
        buttonClick({
          actionId,
          value,
          user,
          channel: CHANNEL,
          messageTs: "1700000100.000001",
          threadTs: String(event.ts),
          responseUrl: fake.responseUrl(),
        }),
      );
    expect((await click("feedback_up")).status).toBe(200);
    await fake.waitFor(() => fake.callsTo("response_url").length === 1, "the thanks");
    await click("feedback_up");
    await click("feedback_down", "U0HUMAN02");
    await fake.waitFor(() => fake.callsTo("response_url").length === 3, "three thanks");
    await settle(slack);

    const lines = (await readFile(slack.feedbackPath, "utf8")).trim().split("\n");
    expect(lines).toHaveLength(2);
    const [up, down] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(up).toMatchObject({ platform: "slack", user: HUMAN, question: COLD_STARTS, vote: "up" });
    expect(down).toMatchObject({ user: "U0HUMAN02", vote: "down" });
    expect(Number.isNaN(Date.parse(String(up?.time)))).toBe(false);
    const passages = (up?.passages ?? []) as string[];
    expect(passages.length).toBe(quoteTexts(reply).length);
    for (const id of passages) expect(id).toMatch(/^serverless-chats-065#/);
    const thanks = fake.callsTo("response_url")[0];
    expect(thanks?.params).toMatchObject({ response_type: "ephemeral", replace_original: false });
  });

  it("adds the next quotes in place with the More quotes button, without asking again", async () => {
    const slack = await startSlack();
    await sendEvent(slack.url, SECRET, eventCallback(mention(COLD_STARTS)));
    await fake.waitFor(() => fake.callsTo("chat.postMessage").length === 1, "the answer");
    const [reply] = fake.callsTo("chat.postMessage");
    const more = button(reply, "more_quotes");
    expect(more).toBeDefined();
    const response = await sendInteraction(
      slack.url,
      SECRET,
      buttonClick({
        actionId: "more_quotes",
        value: String(more?.value),
        user: HUMAN,
        channel: CHANNEL,
        messageTs: "1700000100.000001",
        responseUrl: fake.responseUrl(),
      }),
    );
    expect(response.status).toBe(200);
    await fake.waitFor(() => fake.callsTo("chat.update").length === 1, "the update");
    await settle(slack);

    const [update] = fake.callsTo("chat.update");
    expect(update?.params).toMatchObject({ channel: CHANNEL, ts: "1700000100.000001" });
    expect(quoteTexts(update).length).toBeGreaterThan(quoteTexts(reply).length);
    expect(quoteTexts(update).slice(0, quoteTexts(reply).length)).toEqual(quoteTexts(reply));
    expect(button(update, "more_quotes")).toBeUndefined();
    expect(button(update, "feedback_up")).toBeDefined();
    expect(slack.asked).toHaveLength(1);
  });

  it("replaces an ephemeral answer through the response_url, and says so when an answer has expired", async () => {
    const slack = await startSlack();
    await sendCommand(slack.url, SECRET, {
      text: `--private ${COLD_STARTS}`,
      user_id: HUMAN,
      channel_id: CHANNEL,
      response_url: fake.responseUrl(),
    });
    await fake.waitFor(() => fake.callsTo("response_url").length === 1, "the private answer");
    const more = button(fake.callsTo("response_url")[0], "more_quotes");
    expect(more).toBeDefined();
    const click = (value: string) =>
      sendInteraction(
        slack.url,
        SECRET,
        buttonClick({
          actionId: "more_quotes",
          value,
          user: HUMAN,
          channel: CHANNEL,
          messageTs: "1700000300.000001",
          responseUrl: fake.responseUrl(),
          ephemeral: true,
        }),
      );
    await click(String(more?.value));
    await click("no-such-answer");
    await fake.waitFor(() => fake.callsTo("response_url").length === 3, "the replacement and the notice");
    await settle(slack);

    const [, replaced, expired] = fake.callsTo("response_url");
    expect(replaced?.params.replace_original).toBe(true);
    expect(button(replaced, "more_quotes")).toBeUndefined();
    expect(blocksOf(replaced)[0]?.elements?.[0]?.text).toBe(`*Question:* ${COLD_STARTS}`);
    expect(expired?.params).toMatchObject({ response_type: "ephemeral", replace_original: false });
    expect(String(expired?.params.text)).toContain("too old");
    expect(fake.callsTo("chat.update")).toHaveLength(0);
  });

  it("greets a new AI side-panel thread with suggested prompts", async () => {
    const slack = await startSlack();
    const threadTs = nextTs();
    await sendEvent(
      slack.url,
      SECRET,
      eventCallback({
        type: "assistant_thread_started",
        assistant_thread: { user_id: HUMAN, context: {}, channel_id: "D0PANEL01", thread_ts: threadTs },
        event_ts: nextTs(),
      }),
    );
    await fake.waitFor(
      () => fake.callsTo("assistant.threads.setSuggestedPrompts").length === 1,
      "the prompts",
    );
    await settle(slack);

    const [prompts] = fake.callsTo("assistant.threads.setSuggestedPrompts");
    expect(prompts?.params).toMatchObject({ channel_id: "D0PANEL01", thread_ts: threadTs });
    expect(prompts?.params.prompts).toEqual(SUGGESTED_PROMPTS);
    const [greeting] = fake.callsTo("chat.postMessage");
    expect(greeting?.params).toMatchObject({ channel: "D0PANEL01", thread_ts: threadTs });
    expect(fake.calls.some((call) => call.method === "conversations.replies")).toBe(false);
  });

  it("shows a status line in an AI side-panel thread, then answers in the thread", async () => {
    const slack = await startSlack();
    const threadTs = nextTs();
    await sendEvent(
      slack.url,
      SECRET,
      eventCallback(directMessage(COLD_STARTS, { channel: "D0PANEL01", thread_ts: threadTs })),
    );
    await fake.waitFor(() => fake.callsTo("chat.postMessage").length === 1, "the answer");
    await settle(slack);

    const methods = fake.calls.map((call) => call.method).filter((method) => method !== "auth.test");
    expect(methods).toEqual(["assistant.threads.setStatus", "chat.postMessage"]);
    const [status] = fake.callsTo("assistant.threads.setStatus");
    expect(status?.params).toMatchObject({
      channel_id: "D0PANEL01",
      thread_ts: threadTs,
      status: ASSISTANT_STATUS,
    });
    const [reply] = fake.callsTo("chat.postMessage");
    expect(reply?.params).toMatchObject({ channel: "D0PANEL01", thread_ts: threadTs });
    expect(quoteTexts(reply).some((quote) => FULL_NAME.test(quote))).toBe(true);
  });

  it("still answers in a side-panel thread when the status line cannot be set", async () => {
    const slack = await startSlack();
    fake.script("assistant.threads.setStatus", { body: { ok: false, error: "invalid_thread" } });
    const threadTs = nextTs();
    await sendEvent(
      slack.url,
      SECRET,
      eventCallback(directMessage(COLD_STARTS, { channel: "D0PANEL01", thread_ts: threadTs })),
    );
    await fake.waitFor(() => fake.callsTo("chat.postMessage").length === 1, "the answer");
    await settle(slack);

    expect(fake.callsTo("chat.postMessage")[0]?.params.thread_ts).toBe(threadTs);
    expect(slack.logs.join("")).toContain("could not set the assistant status");
  });
});
