import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { type BotProcess, startBotProcess } from "./helpers/bot-process.js";
import { BOT_USER_ID, eventCallback, FakeSlack, sendEvent, signedPost } from "./helpers/fake-slack.js";
import { buildTestIndex, CORPUS_DIR, makeTempDir, removeDir } from "./helpers/index-fixtures.js";

// `npm start` in Slack HTTP mode as a real child process: no request to the events URL, however
// malformed, may end it (a signed `null` used to, through the unhandled-rejection handler).

vi.setConfig({ testTimeout: 90_000, hookTimeout: 60_000 });

const SECRET = "signing-secret-for-the-process-test";
const BOT_TOKEN = "xoxb-7777-8888-processbottoken";

let root: string;
let indexDir: string;
let slack: FakeSlack | undefined;
let bot: BotProcess | undefined;

beforeAll(async () => {
  root = await makeTempDir("hardening-requests");
  indexDir = join(root, "index");
  await buildTestIndex(indexDir);
});

afterEach(async () => {
  if (bot && bot.child.exitCode === null && bot.child.signalCode === null) bot.child.kill("SIGKILL");
  bot = undefined;
  await slack?.close();
  slack = undefined;
});

afterAll(() => removeDir(root));

describe("the bot process in Slack HTTP mode", () => {
  it("answers 400 to signed malformed bodies, keeps running and answers the next mention", async () => {
    const fake = await FakeSlack.start({ botToken: BOT_TOKEN });
    slack = fake;
    const running = startBotProcess(root, {
      INDEX_DIR: indexDir,
      CORPUS_DIR,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: fake.apiUrl,
      PORT: "0",
    });
    bot = running;
    const { port } = await running.waitForLine("listening", (l) => l.msg === "Slack listening for events");
    const url = `http://127.0.0.1:${port}/slack/events`;

    const statuses = [];
    for (const body of ["null", "[]", "0", "true", '{"event": null}']) {
      statuses.push((await signedPost(url, SECRET, body, "application/json")).status);
    }
    expect(statuses).toEqual([400, 400, 400, 400, 400]);

    const ts = "1700000950.000001";
    const mention = {
      type: "app_mention",
      user: "U0HUMAN01",
      text: `<@${BOT_USER_ID}> cold starts?`,
      ts,
      channel: "C0P",
    };
    expect((await sendEvent(url, SECRET, eventCallback(mention))).status).toBe(200);
    await fake.waitFor(() => fake.callsTo("chat.postMessage").length === 1, "the answer", 20_000);
    expect(running.child.exitCode).toBeNull();
    expect(running.lines().some((l) => l.level === 60)).toBe(false);
  });
});
