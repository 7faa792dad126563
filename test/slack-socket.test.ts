import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Ask } from "../src/answer/types.js";
import { createFeedbackLog } from "../src/bot/feedback.js";
import { createSlackAdapter, type SlackAdapter } from "../src/bot/slack/adapter.js";
import { loadConfig } from "../src/config.js";
import { openEngine } from "../src/engine.js";
import { AppError } from "../src/errors.js";
import { silentLogger } from "../src/logger.js";
import { APP_ID, BOT_USER_ID, eventCallback, FakeSlack, TEAM_ID } from "./helpers/fake-slack.js";

const BOT_TOKEN = "xoxb-3333-4444-socketbottoken";
const APP_TOKEN = "xapp-1-A0000APP-5555-socketapptoken";
const COLD_STARTS = "what did Holly say about cold starts?";

let ask: Ask;
let workDir: string;
let fake: FakeSlack;
let adapter: SlackAdapter | undefined;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), "slack-socket-"));
  const config = loadConfig({ INDEX_DIR: join(workDir, "index"), EMBEDDER: "offline", CORPUS_DIR: "corpus" });
  ({ ask } = await openEngine(config, { log: silentLogger() }));
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

beforeEach(async () => {
  fake = await FakeSlack.start({ botToken: BOT_TOKEN, appToken: APP_TOKEN });
});

afterEach(async () => {
  await adapter?.stop();
  adapter = undefined;
  await fake.close();
});

function socketAdapter(appToken: string): SlackAdapter {
  // No signing secret and no port: Socket Mode needs neither.
  const config = loadConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_APP_TOKEN: appToken,
    SLACK_API_URL: fake.apiUrl,
  });
  if (!config.slack) throw new Error("the test config has no slack section");
  adapter = createSlackAdapter({
    config: config.slack,
    ask,
    log: silentLogger(),
    feedbackLog: createFeedbackLog(join(workDir, "feedback.jsonl")),
  });
  return adapter;
}

describe("Slack adapter in Socket Mode", () => {
  it("connects with the app token, acks events and answers in the thread", async () => {
    const slack = socketAdapter(APP_TOKEN);
    await slack.start();
    expect(slack.mode).toBe("socket");
    expect(slack.port).toBeUndefined();
    expect(fake.callsTo("apps.connections.open")[0]?.token).toBe(APP_TOKEN);
    expect(fake.connectedSockets).toBe(1);

    const ts = "1700000500.000001";
    const body = eventCallback(
      {
        type: "app_mention",
        user: "U0HUMAN01",
        text: `<@${BOT_USER_ID}> ${COLD_STARTS}`,
        ts,
        channel: "C0SOCKET",
      },
      "Ev0SOCKET1",
    );
    const ack = await fake.sendEnvelope("events_api", body);
    expect(ack).toHaveProperty("envelope_id");
    // Slack redelivers over the socket too: the same event_id is answered once.
    await fake.sendEnvelope("events_api", body);
    await fake.waitFor(() => fake.callsTo("chat.postMessage").length === 1, "the answer");
    await slack.stop();

    const [reply] = fake.callsTo("chat.postMessage");
    expect(reply?.params).toMatchObject({ channel: "C0SOCKET", thread_ts: ts });
    expect(reply?.wire).toMatch(/\*(Holly Mesrobian|Jeremy Daly)\*/);
    expect(fake.callsTo("chat.postMessage")).toHaveLength(1);
  });

  it("answers /ask sent over the socket through its response_url", async () => {
    const slack = socketAdapter(APP_TOKEN);
    await slack.start();
    await fake.sendEnvelope("slash_commands", {
      token: "unused",
      team_id: TEAM_ID,
      api_app_id: APP_ID,
      command: "/ask",
      text: COLD_STARTS,
      user_id: "U0HUMAN01",
      channel_id: "C0SOCKET",
      response_url: fake.responseUrl(),
      trigger_id: "1.2.3",
    });
    await fake.waitFor(() => fake.callsTo("response_url").length === 1, "the /ask answer");
    await slack.stop();

    expect(fake.callsTo("response_url")[0]?.params.response_type).toBe("in_channel");
  });

  it("refuses to start with an app token Slack rejects, naming the variable and not the token", async () => {
    const wrong = "xapp-1-A0000APP-9999-wrongapptoken";
    const slack = socketAdapter(wrong);
    const error = await slack.start().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "E_SLACK_AUTH" });
    expect((error as AppError).message).toContain("SLACK_APP_TOKEN (invalid_auth)");
    expect((error as AppError).message).not.toContain(wrong);
    expect(fake.connectedSockets).toBe(0);
    adapter = undefined;
  });
});
