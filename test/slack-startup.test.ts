import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Ask } from "../src/answer/types.js";
import { createFeedbackLog } from "../src/bot/feedback.js";
import { createSlackAdapter } from "../src/bot/slack/adapter.js";
import { type Config, loadConfig } from "../src/config.js";
import { openEngine } from "../src/engine.js";
import { AppError } from "../src/errors.js";
import { createLogger, silentLogger } from "../src/logger.js";
import { FakeSlack } from "./helpers/fake-slack.js";

const GOOD_TOKEN = "xoxb-5555-6666-thegoodbottoken";
const CANARY = "xoxb-9999-8888-canary-must-never-be-printed";
const SECRET = "canary-signing-secret-never-printed";

let workDir: string;
let indexDir: string;
let ask: Ask;
let fake: FakeSlack;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), "slack-startup-"));
  indexDir = join(workDir, "index");
  const config = loadConfig({ INDEX_DIR: indexDir, EMBEDDER: "offline", CORPUS_DIR: "corpus" });
  ({ ask } = await openEngine(config, { log: silentLogger() }));
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

beforeEach(async () => {
  fake = await FakeSlack.start({ botToken: GOOD_TOKEN });
});

afterEach(async () => {
  await fake.close();
});

function configError(env: Record<string, string>): AppError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("loadConfig accepted a bad configuration");
}

function slackConfig(env: Record<string, string>): NonNullable<Config["slack"]> {
  const slack = loadConfig(env).slack;
  if (!slack) throw new Error("no slack section");
  return slack;
}

function capture(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, stream };
}

async function startFailure(slack: NonNullable<Config["slack"]>, log = silentLogger()): Promise<AppError> {
  const adapter = createSlackAdapter({
    config: slack,
    ask,
    log,
    feedbackLog: createFeedbackLog(join(workDir, "feedback.jsonl")),
    host: "127.0.0.1",
  });
  try {
    await adapter.start();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  await adapter.stop();
  throw new Error("the adapter started");
}

function listen(): Promise<Server> {
  const server = createServer((_req, res) => res.end());
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

describe("Slack configuration errors", () => {
  it("names each bad variable and never echoes its value", () => {
    const cases: Array<[Record<string, string>, string]> = [
      [
        { SLACK_BOT_TOKEN: "xoxp-user-token-canary", SLACK_SIGNING_SECRET: SECRET },
        "SLACK_BOT_TOKEN must start with xoxb-",
      ],
      [{ SLACK_BOT_TOKEN: CANARY }, "SLACK_SIGNING_SECRET is required in HTTP mode"],
      [
        { SLACK_BOT_TOKEN: CANARY, SLACK_APP_TOKEN: "xoxb-not-an-app-token" },
        "SLACK_APP_TOKEN must start with xapp-",
      ],
      [{ SLACK_SIGNING_SECRET: SECRET }, "SLACK_BOT_TOKEN is missing"],
      [
        { SLACK_BOT_TOKEN: CANARY, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: "slack.com/api" },
        "SLACK_API_URL",
      ],
      [{ SLACK_BOT_TOKEN: CANARY, SLACK_SIGNING_SECRET: SECRET, PORT: "70000" }, "PORT"],
    ];
    for (const [env, expected] of cases) {
      const error = configError(env);
      expect(error.code).toBe("E_CONFIG");
      expect(error.message).toContain(expected);
      for (const value of Object.values(env)) expect(error.message).not.toContain(value);
    }
  });

  it("refuses HTTP mode without a signing secret even when handed a config directly", () => {
    expect(() =>
      createSlackAdapter({
        config: { botToken: GOOD_TOKEN, port: 0, ephemeral: false },
        ask,
        log: silentLogger(),
        feedbackLog: createFeedbackLog(join(workDir, "feedback.jsonl")),
      }),
    ).toThrowError(
      expect.objectContaining({ code: "E_CONFIG", message: expect.stringContaining("SLACK_SIGNING_SECRET") }),
    );
  });
});

describe("Slack start-up failures", () => {
  it("stops with E_SLACK_AUTH when Slack rejects the bot token, printing no secret even at debug level", async () => {
    const env = {
      SLACK_BOT_TOKEN: CANARY,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: fake.apiUrl,
      PORT: "0",
    };
    const config = loadConfig(env);
    const { lines, stream } = capture();
    const log = createLogger({
      level: "debug",
      format: "json",
      secrets: config.secrets,
      destination: stream,
    });
    const slack = config.slack;
    if (!slack) throw new Error("no slack section");
    const error = await startFailure(slack, log);

    expect(error.code).toBe("E_SLACK_AUTH");
    expect(error.message).toContain("Slack rejected SLACK_BOT_TOKEN (invalid_auth)");
    expect(error.message).toContain("OAuth & Permissions");
    expect(fake.attemptsOf("auth.test")).toHaveLength(1);
    expect(fake.attemptsOf("auth.test")[0]?.token).toBe(CANARY);
    const logged = lines.join("");
    expect(logged.length).toBeGreaterThan(0);
    expect(logged).not.toContain(CANARY);
    expect(logged).not.toContain(SECRET);
    expect(error.message).not.toContain(CANARY);
  });

  it("says where it could not reach the Web API", async () => {
    const closed = await listen();
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const apiUrl = `http://127.0.0.1:${port}/api/`;
    const error = await startFailure(
      slackConfig({
        SLACK_BOT_TOKEN: GOOD_TOKEN,
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: apiUrl,
        PORT: "0",
      }),
    );
    expect(error.code).toBe("E_SLACK_UNREACHABLE");
    expect(error.message).toContain(apiUrl);
  });

  it("says when the HTTP port is taken", async () => {
    const busy = await listen();
    const port = String((busy.address() as AddressInfo).port);
    try {
      const error = await startFailure(
        slackConfig({
          SLACK_BOT_TOKEN: GOOD_TOKEN,
          SLACK_SIGNING_SECRET: SECRET,
          SLACK_API_URL: fake.apiUrl,
          PORT: port,
        }),
      );
      expect(error.code).toBe("E_SLACK_PORT");
      expect(error.message).toContain(`port ${port}`);
      expect(error.message).toContain("PORT");
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  });

  it("makes `npm start` exit non-zero with a clear message when the token is rejected", async () => {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      INDEX_DIR: indexDir,
      CORPUS_DIR: "corpus",
      EMBEDDER: "offline",
      LOG_LEVEL: "debug",
      LOG_FORMAT: "json",
      SLACK_BOT_TOKEN: CANARY,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: fake.apiUrl,
      PORT: "0",
      // Blank, so a developer's .env cannot switch on anything else.
      SLACK_APP_TOKEN: "",
      DISCORD_TOKEN: "",
      DISCORD_APP_ID: "",
      OPENAI_API_KEY: "",
      OPENAI_BASE_URL: "",
      LLM_ENABLED: "false",
    };
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));

    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(output).toContain("E_SLACK_AUTH");
    expect(output).toContain("SLACK_BOT_TOKEN");
    expect(output).not.toContain(CANARY);
    expect(output).not.toContain(SECRET);
  });
});
