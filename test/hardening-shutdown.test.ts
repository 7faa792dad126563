import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { HealthReport } from "../src/health/status.js";
import { type FakeOpenAI, holdReplies, startFakeOpenAI } from "./helpers/fake-openai.js";
import { BOT_USER_ID, eventCallback, FakeSlack } from "./helpers/fake-slack.js";
import {
  buildTestIndex,
  CORPUS_DIR,
  cleanEnv,
  makeTempDir,
  REPO,
  removeDir,
  TSX_LOADER,
} from "./helpers/index-fixtures.js";

// `npm start` as a real child process, with Slack (Socket Mode) and the LLM faked on 127.0.0.1.

vi.setConfig({ testTimeout: 90_000, hookTimeout: 60_000 });

const BOT_TOKEN = "xoxb-8888-9999-shutdownbottoken";
const APP_TOKEN = "xapp-1-A0000APP-1234-shutdownapptoken";
const COLD_STARTS = "what did Holly say about cold starts?";
// The model answers when the test releases it, after it has seen the bot stopping: this deadline
// must not run out before then, and is far from that work even on a busy machine.
const LLM_TIMEOUT_MS = 30_000;

let root: string;
let indexDir: string;
let slack: FakeSlack | undefined;
let openai: FakeOpenAI | undefined;
let child: ChildProcess | undefined;

beforeAll(async () => {
  root = await makeTempDir("hardening-shutdown");
  indexDir = join(root, "index");
  await buildTestIndex(indexDir);
});

afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  child = undefined;
  await slack?.close().catch(() => undefined);
  await openai?.close();
  slack = undefined;
  openai = undefined;
});

afterAll(() => removeDir(root));

interface Bot {
  lines: () => Array<Record<string, unknown>>;
  exited: Promise<number | null>;
  waitForLine(
    what: string,
    match: (line: Record<string, unknown>) => boolean,
  ): Promise<Record<string, unknown>>;
}

/** Starts `src/main.ts` in its own process (signals reach it, not a wrapper) with JSON logs on stderr. */
function startBot(env: Record<string, string>): Bot {
  const spawned = spawn(process.execPath, ["--import", TSX_LOADER, join(REPO, "src/main.ts")], {
    cwd: root,
    env: cleanEnv({ INDEX_DIR: indexDir, CORPUS_DIR, LOG_LEVEL: "info", ...env }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  child = spawned;
  let stderr = "";
  spawned.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  spawned.stdout?.resume();
  const lines = () =>
    stderr
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  const exited = new Promise<number | null>((resolve) => spawned.once("exit", (code) => resolve(code)));
  return {
    lines,
    exited,
    async waitForLine(what, match) {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const found = lines().find(match);
        if (found) return found;
        if (Date.now() > deadline || spawned.exitCode !== null)
          throw new Error(`no log line: ${what}\nstderr:\n${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
  };
}

async function healthz(port: number): Promise<{ status: number; body: HealthReport }> {
  const response = await fetch(`http://127.0.0.1:${port}/healthz`);
  return { status: response.status, body: (await response.json()) as HealthReport };
}

describe("SIGTERM during a slow answer", () => {
  it("delivers the answer in flight to Slack, reports 'stopping' meanwhile, then exits 0", async () => {
    slack = await FakeSlack.start({ botToken: BOT_TOKEN, appToken: APP_TOKEN });
    // The model holds its reply until the test releases it: the summary is still being written when
    // SIGTERM comes, and it is finished (and added to the quotes) before the bot exits.
    openai = await startFakeOpenAI();
    const release = holdReplies(openai, (sentence) => `Holly Mesrobian said "${sentence}" [1].`);
    const bot = startBot({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_APP_TOKEN: APP_TOKEN,
      SLACK_API_URL: slack.apiUrl,
      OPENAI_BASE_URL: openai.baseURL,
      LLM_TIMEOUT_MS: String(LLM_TIMEOUT_MS),
      HEALTH_PORT: "0",
      HEALTH_HOST: "127.0.0.1",
    });
    const { port } = await bot.waitForLine("the health server", (l) => typeof l.port === "number");
    await bot.waitForLine("slack started", (l) => l.msg === "slack adapter started");
    const up = await healthz(port as number);
    expect(up.status).toBe(200);
    expect(up.body.adapters).toEqual({ slack: { connected: true } });

    const fakeSlack = slack;
    const fakeOpenAI = openai;
    const ts = "1700000900.000001";
    await fakeSlack.sendEnvelope(
      "events_api",
      eventCallback({
        type: "app_mention",
        user: "U0HUMAN01",
        text: `<@${BOT_USER_ID}> ${COLD_STARTS}`,
        ts,
        channel: "C0SHUTDOWN",
      }),
    );
    // The question has reached the model, which holds its reply: the quotes are out, the summary is in flight.
    await fakeOpenAI.waitForChatRequests(1, "the LLM request", 20_000);
    await fakeSlack.waitFor(() => fakeSlack.callsTo("chat.postMessage").length === 1, "the quotes", 20_000);

    child?.kill("SIGTERM");
    await bot.waitForLine("shutting down", (l) => l.msg === "shutting down: finishing answers in flight");
    const stopping = await healthz(port as number);
    expect(stopping.status).toBe(503);
    expect(stopping.body.stopping).toBe(true);
    expect(fakeSlack.callsTo("chat.update")).toHaveLength(0);

    // The answer in flight is finished after SIGTERM, and reaches Slack before the bot exits.
    release();
    expect(await bot.exited).toBe(0);
    const replies = fakeSlack.callsTo("chat.postMessage");
    expect(replies).toHaveLength(1);
    expect(replies[0]?.params).toMatchObject({ channel: "C0SHUTDOWN", thread_ts: ts });
    expect(replies[0]?.wire).toMatch(/\*(Holly Mesrobian|Jeremy Daly)\*/);
    // The summary written after SIGTERM is added to the same message.
    const updates = fakeSlack.callsTo("chat.update");
    expect(updates).toHaveLength(1);
    expect(updates[0]?.params).toMatchObject({ channel: "C0SHUTDOWN", ts: "1700000100.000001" });
    expect(updates[0]?.wire).toContain("Holly Mesrobian said");
    const question = bot.lines().find((l) => l.msg === "question");
    expect(question).toMatchObject({ platform: "slack", status: "answered" });
    expect(bot.lines().some((l) => String(l.msg).includes("still in progress"))).toBe(false);
    // Nothing secret reached the log.
    const all = JSON.stringify(bot.lines());
    expect(all).not.toContain(BOT_TOKEN);
    expect(all).not.toContain(APP_TOKEN);
  });
});

describe("Slack gone for good", () => {
  it("ends the process with one fatal line and exit 1 when the Socket Mode reconnection fails", async () => {
    slack = await FakeSlack.start({ botToken: BOT_TOKEN, appToken: APP_TOKEN });
    const bot = startBot({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_APP_TOKEN: APP_TOKEN,
      SLACK_API_URL: slack.apiUrl,
    });
    await bot.waitForLine("slack started", (l) => l.msg === "slack adapter started");
    slack.goUnreachable(); // drops the socket; the reconnection is refused
    // The Socket Mode client (@slack/socket-mode, pinned by the lockfile) gives up on a Slack it cannot
    // reach by rejecting a promise nobody awaits, some seconds after the drop; main.ts turns that into
    // the fatal line. The test waits for the line, and checks it is that failure and no other.
    const fatal = await bot.waitForLine("the fatal line", (l) => l.level === 60);
    expect(fatal.msg).toBe("unhandled rejection: stopping so the bot can be restarted");
    expect(fatal.err).toMatch(/request error/i);
    expect(bot.lines().some((l) => String(l.msg).includes("Failed to retrieve a new WSS URL"))).toBe(true);
    expect(await bot.exited).toBe(1);
    expect(bot.lines().filter((l) => l.level === 60)).toHaveLength(1);
    expect(JSON.stringify(bot.lines())).not.toContain(APP_TOKEN);
  });
});
