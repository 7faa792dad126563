import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { Ask } from "../src/answer/types.js";
import { createFeedbackLog } from "../src/bot/feedback.js";
import { createSlackAdapter, type SlackAdapter } from "../src/bot/slack/adapter.js";
import { loadConfig } from "../src/config.js";
import { openEngine } from "../src/engine.js";
import { createLogger, silentLogger } from "../src/logger.js";
import {
  BOT_USER_ID,
  eventCallback,
  FakeSlack,
  sendCommand,
  sendEvent,
  signedPost,
} from "./helpers/fake-slack.js";
import { buildTestIndex, CORPUS_DIR, makeTempDir, removeDir } from "./helpers/index-fixtures.js";

// Malformed and mistimed requests to the events URL (HTTP mode), signed with the real secret and
// sent over real HTTP to the real Bolt receiver, with Slack's Web API faked on 127.0.0.1.

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const SECRET = "signing-secret-for-request-tests-42";
const BOT_TOKEN = "xoxb-4242-4343-requestsbottoken";
const JSON_TYPE = "application/json";
const FORM = "application/x-www-form-urlencoded";

let root: string;
let ask: Ask;
let fake: FakeSlack;
let adapter: SlackAdapter | undefined;
let logs: string[];
let asked: string[];
let url: string;

beforeAll(async () => {
  root = await makeTempDir("slack-requests");
  await buildTestIndex(join(root, "index"));
  const config = loadConfig({ INDEX_DIR: join(root, "index"), CORPUS_DIR, EMBEDDER: "offline" });
  ({ ask } = await openEngine(config, { log: silentLogger() }));
});

afterAll(() => removeDir(root));

afterEach(async () => {
  await adapter?.stop();
  adapter = undefined;
  await fake?.close();
});

async function start(): Promise<void> {
  fake = await FakeSlack.start({ botToken: BOT_TOKEN });
  const config = loadConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: fake.apiUrl,
    PORT: "0",
  });
  logs = [];
  asked = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const slack = config.slack;
  if (!slack) throw new Error("the test config has no slack section");
  adapter = createSlackAdapter({
    config: slack,
    ask: (input) => {
      asked.push(input.text);
      return ask(input);
    },
    log: createLogger({ level: "debug", format: "json", secrets: config.secrets, destination }),
    feedbackLog: createFeedbackLog(join(root, "feedback.jsonl")),
    host: "127.0.0.1",
  });
  await adapter.start();
  url = `http://127.0.0.1:${adapter.port}/slack/events`;
}

let tsCounter = 0;
function mention(text: string): Record<string, unknown> {
  tsCounter += 1;
  const ts = `1700000500.${String(tsCounter).padStart(6, "0")}`;
  return {
    type: "app_mention",
    user: "U0HUMAN01",
    text: `<@${BOT_USER_ID}> ${text}`,
    ts,
    event_ts: ts,
    channel: "C0REQ",
  };
}

/** Sends a valid mention and waits for its answer in Slack: the app still works. */
async function stillAnswers(): Promise<void> {
  const before = fake.callsTo("chat.postMessage").length;
  const response = await sendEvent(
    url,
    SECRET,
    eventCallback(mention("what did Holly say about cold starts?")),
  );
  expect(response.status).toBe(200);
  await fake.waitFor(() => fake.callsTo("chat.postMessage").length === before + 1, "the answer");
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const envelope = (event: unknown) => JSON.stringify({ ...eventCallback({}), event });

// Each is signed correctly: only its body is wrong.
const MALFORMED: Array<[what: string, body: string, contentType: string]> = [
  ["JSON null", "null", JSON_TYPE],
  ["an array", "[]", JSON_TYPE],
  ["a number", "0", JSON_TYPE],
  ["a boolean", "true", JSON_TYPE],
  ["a string", '"hello"', JSON_TYPE],
  ["an empty object", "{}", JSON_TYPE],
  ["not JSON", "{", JSON_TYPE],
  ["an empty body", "", JSON_TYPE],
  ["an event of null", '{"event": null}', JSON_TYPE],
  ["an event_callback with a null event", envelope(null), JSON_TYPE],
  ["an event that is an array", envelope([]), JSON_TYPE],
  ["an event without a type", envelope({ channel: "C0REQ" }), JSON_TYPE],
  ["an event whose item is null", envelope({ type: "reaction_added", item: null }), JSON_TYPE],
  ["a url_verification without a challenge", '{"type":"url_verification"}', JSON_TYPE],
  ["an unknown envelope type", '{"type":"something_else"}', JSON_TYPE],
  ["an interaction payload of null", form({ payload: "null" }), FORM],
  ["an interaction payload that is an array", form({ payload: "[]" }), FORM],
  ["an interaction payload that is not JSON", form({ payload: "{" }), FORM],
  ["an interaction without a user", form({ payload: '{"type":"block_actions","user":null}' }), FORM],
  [
    "an interaction whose actions are not a list",
    form({ payload: '{"type":"block_actions","user":{"id":"U1"},"actions":{}}' }),
    FORM,
  ],
  ["form fields without a command", form({ text: "cold starts" }), FORM],
  ["a command given twice", "command=%2Fask&command=%2Fask&text=x", FORM],
  ["an empty form", "", FORM],
];

describe("the events URL", () => {
  it("answers 400 to every signed body that is not a Slack request, then still answers a mention", async () => {
    await start();
    const statuses: Record<string, number> = {};
    for (const [what, body, contentType] of MALFORMED) {
      statuses[what] = (await signedPost(url, SECRET, body, contentType)).status;
    }
    expect(statuses).toEqual(Object.fromEntries(MALFORMED.map(([what]) => [what, 400])));
    expect(asked).toEqual([]);
    expect(logs.join("")).toMatch(/Slack request refused: its body is not a Slack request/);
    await stillAnswers();
  });

  it("answers 401, not 400, when the signature is wrong, whatever the body", async () => {
    await start();
    const forged = await signedPost(url, SECRET, "null", JSON_TYPE, { signature: "v0=00" });
    const unsigned = await fetch(url, { method: "POST", headers: { "content-type": JSON_TYPE }, body: "[]" });
    expect([forged.status, unsigned.status]).toEqual([401, 401]);
  });

  it("refuses a request dated more than 5 minutes ahead or behind, and takes one within that", async () => {
    await start();
    const now = Math.floor(Date.now() / 1000);
    const event = (text: string) => eventCallback(mention(text));
    const ahead = await sendEvent(url, SECRET, event("from the future"), { timestamp: now + 3600 });
    const justAhead = await sendEvent(url, SECRET, event("a little ahead"), { timestamp: now + 6 * 60 });
    const behind = await sendEvent(url, SECRET, event("from the past"), { timestamp: now - 3600 });
    expect([ahead.status, justAhead.status, behind.status]).toEqual([401, 401, 401]);
    expect(logs.join("")).toMatch(/more than 5 minutes from now/);
    // A clock a few minutes off is normal; Slack allows 5 minutes either way.
    const slightlyAhead = await sendEvent(url, SECRET, event("cold starts, slightly ahead"), {
      timestamp: now + 4 * 60,
    });
    expect(slightlyAhead.status).toBe(200);
    await fake.waitFor(() => fake.callsTo("chat.postMessage").length === 1, "the answer");
    expect(asked).toEqual(["cold starts, slightly ahead"]);
  });

  it("still answers Slack's own requests: the URL check, the SSL check, a command and events", async () => {
    await start();
    const challenge = await signedPost(
      url,
      SECRET,
      '{"type":"url_verification","challenge":"c-42"}',
      JSON_TYPE,
    );
    expect(await challenge.json()).toEqual({ challenge: "c-42" });
    const sslCheck = await fetch(url, {
      method: "POST",
      headers: { "content-type": FORM },
      body: "ssl_check=1&token=x",
    });
    expect(sslCheck.status).toBe(200);
    const command = await sendCommand(url, SECRET, {
      text: "what did Holly say about cold starts?",
      user_id: "U0HUMAN01",
      channel_id: "C0REQ",
      response_url: fake.responseUrl(),
    });
    expect(command.status).toBe(200);
    await fake.waitFor(() => fake.callsTo("response_url").length === 1, "the /ask answer");
    await stillAnswers();
  });
});
