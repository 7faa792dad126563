import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Ask } from "../src/answer/types.js";
import { APOLOGY } from "../src/bot/answer-flow.js";
import { createFeedbackLog } from "../src/bot/feedback.js";
import { createSlackAdapter, type SlackAdapter } from "../src/bot/slack/adapter.js";
import { POST_MARKER } from "../src/bot/slack/post-once.js";
import { loadConfig } from "../src/config.js";
import { openEngine } from "../src/engine.js";
import { createLogger, silentLogger } from "../src/logger.js";
import { BOT_USER_ID, eventCallback, FakeSlack, sendEvent } from "./helpers/fake-slack.js";
import { buildTestIndex, CORPUS_DIR, makeTempDir, removeDir } from "./helpers/index-fixtures.js";

// A post whose reply never comes (Slack made the message, or did not): the real Bolt and Web API
// client against a fake Slack that holds the post. The answer must show in the thread once.

const SECRET = "signing-secret-for-tests-0123456789";
const BOT_TOKEN = "xoxb-1111-2222-postoncebottoken";
const CHANNEL = "C0POSTONCE";
const COLD_STARTS = "what did Holly say about cold starts?";
// The held post never answers, so this only decides how soon the bot gives up on it; a post that
// is not held and still outlasts it is found in the thread all the same.
const POST_TIMEOUT_MS = 500;

let root: string;
let ask: Ask;
let fake: FakeSlack;
let adapter: SlackAdapter | undefined;
let tsCounter = 0;

beforeAll(async () => {
  root = await makeTempDir("slack-post-once");
  const config = loadConfig({ INDEX_DIR: join(root, "index"), CORPUS_DIR, EMBEDDER: "offline" });
  await buildTestIndex(config.indexDir);
  ({ ask } = await openEngine(config, { log: silentLogger() }));
});

afterAll(() => removeDir(root));

afterEach(async () => {
  await adapter?.stop();
  adapter = undefined;
  await fake.close();
});

async function startSlack(): Promise<{ url: string; logs: () => Array<Record<string, unknown>> }> {
  fake = await FakeSlack.start({ botToken: BOT_TOKEN });
  const config = loadConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: fake.apiUrl,
    PORT: "0",
  });
  if (!config.slack) throw new Error("the test config has no slack section");
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const log = createLogger({ level: "debug", format: "json", secrets: config.secrets, destination });
  adapter = createSlackAdapter({
    config: config.slack,
    ask,
    log,
    feedbackLog: createFeedbackLog(join(root, "feedback.jsonl")),
    host: "127.0.0.1",
    postTimeoutMs: POST_TIMEOUT_MS,
  });
  await adapter.start();
  return {
    url: `http://127.0.0.1:${adapter.port}/slack/events`,
    logs: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

/** Stops the adapter, which waits for the answer in progress: nothing is posted after this. */
async function settle(): Promise<void> {
  await adapter?.stop();
  adapter = undefined;
}

function mention(): { event: Record<string, unknown>; ts: string } {
  tsCounter += 1;
  const ts = `1700000000.${String(tsCounter).padStart(6, "0")}`;
  const event = {
    type: "app_mention",
    user: "U0HUMAN01",
    text: `<@${BOT_USER_ID}> ${COLD_STARTS}`,
    ts,
    channel: CHANNEL,
  };
  return { event, ts };
}

/** Waits for what follows a lost post: the lookup of the thread, or (before the fix) a second post. */
function lookupOrRepost(): Promise<void> {
  return fake.waitFor(
    () =>
      fake.attemptsOf("conversations.replies").length === 1 || fake.attemptsOf("chat.postMessage").length > 1,
    "the lookup of the thread (or a second post)",
  );
}
describe("a Slack post whose reply is lost", () => {
  it("is found in the thread by its marker and not posted again", async () => {
    const slack = await startSlack();
    const held = fake.hold("chat.postMessage");
    const { event, ts } = mention();
    await sendEvent(slack.url, SECRET, eventCallback(event));
    const post = await held.arrived;
    await lookupOrRepost();
    await settle();
    held.release();

    // One answer in the thread, as Slack has it; the one post carried its marker, and the lookup
    // asked for the metadata that holds it.
    const inThread = fake.messagesIn(CHANNEL, ts);
    expect(inThread).toHaveLength(1);
    expect(inThread[0]?.metadata).toMatchObject({ event_type: POST_MARKER });
    expect(fake.attemptsOf("chat.postMessage")).toEqual([post]);
    expect(fake.callsTo("conversations.replies")[0]?.params).toMatchObject({
      channel: CHANNEL,
      ts,
      include_all_metadata: "true",
    });
    expect(inThread[0]?.text).not.toBe(APOLOGY);
  });

  it("is posted again when the thread does not have it", async () => {
    const slack = await startSlack();
    const held = fake.hold("chat.postMessage", { lands: false });
    const { event, ts } = mention();
    await sendEvent(slack.url, SECRET, eventCallback(event));
    await held.arrived;
    await fake.waitFor(() => fake.messagesIn(CHANNEL, ts).length === 1, "the answer posted again");
    await settle();
    held.release();

    expect(fake.attemptsOf("chat.postMessage")).toHaveLength(2);
    expect(fake.attemptsOf("conversations.replies")).toHaveLength(1);
    const [answer] = fake.messagesIn(CHANNEL, ts);
    expect(answer?.text).not.toBe(APOLOGY);
    expect(JSON.stringify(fake.callsTo("chat.postMessage")[0]?.params.blocks)).toMatch(/Holly Mesrobian/);
  });

  it("gives up with one warning, and no apology, when the thread cannot be read", async () => {
    const slack = await startSlack();
    const held = fake.hold("chat.postMessage");
    // A workspace that installed the app without channels:history.
    fake.script("conversations.replies", {
      body: { ok: false, error: "missing_scope", needed: "channels:history" },
    });
    const { event, ts } = mention();
    await sendEvent(slack.url, SECRET, eventCallback(event));
    await held.arrived;
    await lookupOrRepost();
    await settle();
    held.release();

    expect(fake.attemptsOf("chat.postMessage")).toHaveLength(1);
    expect(fake.messagesIn(CHANNEL, ts)).toHaveLength(1);
    const warnings = slack.logs().filter((line) => line.code === "E_SLACK_POST_UNKNOWN");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ level: 40, channel: CHANNEL });
    expect(JSON.stringify(warnings[0])).toContain("missing_scope");
    expect(slack.logs().filter((line) => (line.level as number) >= 50)).toEqual([]);
    expect(JSON.stringify(slack.logs())).not.toContain(BOT_TOKEN);
  });
});
