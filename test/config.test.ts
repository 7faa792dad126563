import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { AppError } from "../src/errors.js";

function configError(env: NodeJS.ProcessEnv): AppError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("E_CONFIG");
    return error as AppError;
  }
  throw new Error("expected loadConfig to throw E_CONFIG");
}

/** One problem per line after the heading: "  - NAME what is wrong". */
function problems(error: AppError): string[] {
  return error.message
    .split("\n")
    .slice(1)
    .map((line) => line.replace(/^\s*-\s*/, ""));
}

describe("loadConfig defaults", () => {
  it("runs the terminal chat over the bundled corpus with nothing set", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      corpusDir: "corpus",
      indexDir: "index",
      embedder: { kind: "auto", model: "Xenova/all-MiniLM-L6-v2", download: true },
      log: { level: "info", format: "auto" },
      maxQuestionChars: 1000,
      feedbackLog: "feedback.jsonl",
    });
    expect(config.embedder.modelsDir).toBeUndefined();
    expect(config.embedder.cacheDir).toBeUndefined();
    expect(config.slack).toBeUndefined();
    expect(config.discord).toBeUndefined();
    expect(config.llm).toBeUndefined();
    expect(config.secrets).toEqual([]);
  });

  it("treats empty and blank values as unset, and ignores variables it does not know", () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: "", DISCORD_TOKEN: "   ", OPENAI_API_KEY: "", HOME: "/x" });
    expect(config.slack).toBeUndefined();
    expect(config.discord).toBeUndefined();
    expect(config.llm).toBeUndefined();
  });

  it("reads every setting it is given, trimming secrets", () => {
    const config = loadConfig({
      CORPUS_DIR: "/data/corpus",
      INDEX_DIR: "/data/index",
      EMBEDDER: "offline",
      EMBEDDER_DOWNLOAD: "no",
      MODELS_DIR: "/models",
      LOG_LEVEL: "debug",
      LOG_FORMAT: "json",
      MAX_QUESTION_CHARS: "500",
      SLACK_BOT_TOKEN: "  xoxb-1-2-abc  ",
      SLACK_APP_TOKEN: "xapp-1-A-abc",
      DISCORD_TOKEN: "abc.def.ghi",
      DISCORD_APP_ID: "123456789012345678",
    });
    expect(config).toMatchObject({
      corpusDir: "/data/corpus",
      indexDir: "/data/index",
      embedder: { kind: "offline", download: false, modelsDir: "/models" },
      log: { level: "debug", format: "json" },
      maxQuestionChars: 500,
      slack: { botToken: "xoxb-1-2-abc", appToken: "xapp-1-A-abc", port: 3000, ephemeral: false },
      discord: { token: "abc.def.ghi", appId: "123456789012345678", messageContent: false },
    });
    expect(config.secrets).toEqual(expect.arrayContaining(["xoxb-1-2-abc", "xapp-1-A-abc", "abc.def.ghi"]));
  });
});

describe("loadConfig problems", () => {
  // Malformed variants of secrets: the message must name the variable and never echo what was set.
  const canaries = {
    SLACK_BOT_TOKEN: "xoxp-CANARY-1234",
    SLACK_APP_TOKEN: "xoxb-CANARY-1234",
    SLACK_API_URL: "slack.example/CANARY",
    DISCORD_TOKEN: "CANARY-discord-token",
    DISCORD_APP_ID: "CANARY-42",
    DISCORD_GUILD_ID: "guild-CANARY",
    OPENAI_BASE_URL: "ftp://CANARY.example/v1",
    EMBEDDER: "CANARY-embedder",
    EMBEDDER_DOWNLOAD: "CANARY",
    LOG_LEVEL: "loud-CANARY",
    PORT: "CANARY-port",
    LLM_TIMEOUT_MS: "-5",
    MAX_QUESTION_CHARS: "0",
  };

  it("reports every problem at once, naming each variable and none of the values", () => {
    const error = configError(canaries);
    const lines = problems(error);
    for (const name of Object.keys(canaries)) {
      expect(lines.some((line) => line.startsWith(`${name} `))).toBe(true);
    }
    expect(error.message).not.toMatch(/CANARY/i);
    expect(error.message).not.toContain("-5");
    expect(lines.find((l) => l.startsWith("SLACK_BOT_TOKEN"))).toContain("xoxb-");
    expect(lines.find((l) => l.startsWith("SLACK_APP_TOKEN"))).toContain("xapp-");
    expect(lines.find((l) => l.startsWith("EMBEDDER "))).toContain("auto, offline, transformers");
  });

  it("reports a half-configured platform together with malformed values", () => {
    const error = configError({ DISCORD_TOKEN: "CANARY.discord.token", PORT: "CANARY" });
    const lines = problems(error);
    expect(lines.some((l) => l.startsWith("DISCORD_APP_ID is missing"))).toBe(true);
    expect(lines.some((l) => l.startsWith("PORT "))).toBe(true);
    expect(error.message).not.toMatch(/CANARY/i);
  });

  it("requires a signing secret or app token with a Slack bot token, and a bot token with either", () => {
    const httpMode = configError({ SLACK_BOT_TOKEN: "xoxb-CANARY-1234" });
    expect(problems(httpMode)).toEqual([expect.stringMatching(/^SLACK_SIGNING_SECRET is required/)]);
    expect(httpMode.message).not.toContain("CANARY");
    const noBot = configError({ SLACK_SIGNING_SECRET: "CANARY-signing-secret" });
    expect(problems(noBot)).toEqual([expect.stringMatching(/^SLACK_BOT_TOKEN is missing/)]);
    expect(noBot.message).not.toContain("CANARY");
    const noToken = configError({ DISCORD_APP_ID: "123456789012345678" });
    expect(problems(noToken)).toEqual([expect.stringMatching(/^DISCORD_TOKEN is missing/)]);
  });
});

describe("loadConfig numbers and switches", () => {
  it("refuses an empty number or switch, naming the variable, instead of reading it as 0 or false", () => {
    const lines = problems(
      configError({ PORT: "", LLM_ENABLED: " ", RATE_LIMIT_PER_MINUTE: "", EMBEDDER_DOWNLOAD: "" }),
    );
    expect(lines.sort()).toEqual([
      "EMBEDDER_DOWNLOAD is empty: set it, or remove the line to use the default",
      "LLM_ENABLED is empty: set it, or remove the line to use the default",
      "PORT is empty: set it, or remove the line to use the default",
      "RATE_LIMIT_PER_MINUTE is empty: set it, or remove the line to use the default",
    ]);
  });

  it("takes digits only for numbers, without echoing what was set", () => {
    for (const value of ["0x10", "1e3", "3000.5", "-1", "65536", "3 000"]) {
      const error = configError({ PORT: value });
      expect(problems(error)).toEqual(["PORT must be a port number (0-65535)"]);
      expect(error.message).not.toContain(value);
    }
    expect(
      loadConfig({ PORT: " 8080 ", SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1" }).slack?.port,
    ).toBe(8080);
  });

  it("reads yes/no, on/off and 1/0 as switches, in any case, as .env.example documents", () => {
    const on = { OPENAI_BASE_URL: "http://127.0.0.1:8787/v1" };
    for (const value of ["yes", "ON", "1", "True"]) {
      expect(loadConfig({ ...on, LLM_ENABLED: value }).llm).toBeDefined();
    }
    for (const value of ["no", "Off", "0", "FALSE"]) {
      expect(loadConfig({ ...on, LLM_ENABLED: value }).llm).toBeUndefined();
    }
    expect(problems(configError({ LLM_ENABLED: "maybe" }))).toEqual([
      "LLM_ENABLED must be true or false (1/0, yes/no and on/off work too)",
    ]);
  });
});

describe("loadConfig LLM section", () => {
  it("is off without a key or a base URL", () => {
    expect(loadConfig({ LLM_MODEL: "llama3" }).llm).toBeUndefined();
  });

  it("uses a placeholder key for a local OpenAI-compatible server, and does not treat it as a secret", () => {
    const config = loadConfig({ OPENAI_BASE_URL: "http://127.0.0.1:11434/v1", LLM_MODEL: "llama3" });
    expect(config.llm).toMatchObject({
      apiKey: "no-key",
      baseURL: "http://127.0.0.1:11434/v1",
      model: "llama3",
      timeoutMs: 6000,
    });
    expect(config.secrets).toEqual([]);
  });

  it("turns on with a key, which becomes a secret, unless LLM_ENABLED says no", () => {
    const key = "sk-CANARY-0123456789abcdef";
    const config = loadConfig({ OPENAI_API_KEY: key, LLM_TIMEOUT_MS: "2500" });
    expect(config.llm).toMatchObject({ apiKey: key, model: "gpt-4o-mini", timeoutMs: 2500 });
    expect(config.llm?.baseURL).toBeUndefined();
    expect(config.secrets).toContain(key);
    expect(loadConfig({ OPENAI_API_KEY: key, LLM_ENABLED: "false" }).llm).toBeUndefined();
  });

  it("refuses LLM_ENABLED=true with no server to talk to", () => {
    expect(() => loadConfig({ LLM_ENABLED: "true" })).toThrow(
      /LLM_ENABLED is on but neither OPENAI_API_KEY nor OPENAI_BASE_URL/,
    );
    expect(loadConfig({ LLM_ENABLED: "true", OPENAI_BASE_URL: "http://127.0.0.1:8787/v1" }).llm?.apiKey).toBe(
      "no-key",
    );
  });
});

describe("loadConfig FUSION_WEIGHTS", () => {
  it("is absent unless set, so the retriever keeps its defaults", () => {
    expect(loadConfig({}).fusionWeights).toBeUndefined();
    expect(loadConfig({ FUSION_WEIGHTS: " " }).fusionWeights).toBeUndefined();
  });

  it("reads the signals it names and leaves the others out", () => {
    expect(loadConfig({ FUSION_WEIGHTS: "vector=1.5, text = 0.8,context=0" }).fusionWeights).toEqual({
      vector: 1.5,
      text: 0.8,
      context: 0,
    });
  });

  it("names each bad entry by position and says what is allowed", () => {
    const found = problems(
      configError({ FUSION_WEIGHTS: "vectors=1,text=1,sentence=abc,coverage,text=2,vector=1e9,context=-1" }),
    );
    expect(found).toEqual([
      "FUSION_WEIGHTS entry 1 must be SIGNAL=WEIGHT with SIGNAL one of text, sentence, context, vector, coverage",
      "FUSION_WEIGHTS entry 3 (sentence) must be a number from 0 to 100",
      "FUSION_WEIGHTS entry 4 (coverage) must be a number from 0 to 100",
      "FUSION_WEIGHTS entry 5 names text a second time",
      "FUSION_WEIGHTS entry 6 (vector) must be a number from 0 to 100",
      "FUSION_WEIGHTS entry 7 (context) must be a number from 0 to 100",
    ]);
  });
});

describe("loadConfig REDIS_URL", () => {
  it("is absent unless set: each process keeps its own state", () => {
    expect(loadConfig({}).redis).toBeUndefined();
  });

  it("reads the URL, timeout and prefix, and treats the URL and its password as secrets", () => {
    const config = loadConfig({
      REDIS_URL: " redis://:p%40ssword-1@redis.internal:6380/2 ",
      REDIS_TIMEOUT_MS: "250",
      REDIS_PREFIX: "staging:",
    });
    expect(config.redis).toEqual({
      url: "redis://:p%40ssword-1@redis.internal:6380/2",
      timeoutMs: 250,
      prefix: "staging:",
    });
    expect(config.secrets).toEqual(["redis://:p%40ssword-1@redis.internal:6380/2", "p@ssword-1"]);
    expect(loadConfig({ REDIS_URL: "rediss://cache:6379" }).redis).toEqual({
      url: "rediss://cache:6379",
      timeoutMs: 500,
      prefix: "quotebot:",
    });
  });

  it("refuses anything but a redis:// or rediss:// URL, without echoing it", () => {
    const error = configError({ REDIS_URL: "cache.internal:6379", REDIS_TIMEOUT_MS: "0" });
    expect(problems(error)).toEqual([
      "REDIS_URL must be a redis:// or rediss:// URL, e.g. redis://localhost:6379",
      "REDIS_TIMEOUT_MS must be a whole number of at least 1",
    ]);
    expect(error.message).not.toContain("cache.internal");
  });
});
