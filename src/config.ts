// Zod's v3 API (shipped inside the zod 4 package): it loads in a third of the time of
// the v4 API, and every command, including the half-second `ask`, validates config first.
import { z } from "zod/v3";
import type { AskScope } from "./answer/types.js";
import { AppError } from "./errors.js";
import { type FusionWeights, parseFusionWeights } from "./retrieval/ranking/fusion-weights.js";

/**
 * The environment (and `.env`, loaded by the caller) read into one typed,
 * validated Config. Every problem is reported at once, before any network
 * connection, naming the variable and what is wrong with it — never its value,
 * since many of these are secrets. `.env.example` documents every variable.
 */

const TRUE = ["1", "true", "yes", "on"];
const FALSE = ["0", "false", "no", "off"];
// An empty number or switch is refused rather than read as 0 or false: `PORT=` used to listen on
// a random port and `LLM_ENABLED=` to turn the LLM off. Unlike a text setting (a key, a URL),
// where empty means "not set", an empty number or switch is almost always a slip.
const EMPTY = "is empty: set it, or remove the line to use the default";
const bool = z.string().transform((raw, ctx) => {
  const value = raw.trim().toLowerCase();
  if (TRUE.includes(value)) return true;
  if (FALSE.includes(value)) return false;
  ctx.addIssue({
    code: "custom",
    message: value === "" ? EMPTY : "must be true or false (1/0, yes/no and on/off work too)",
  });
  return z.NEVER;
});
const optionalString = z
  .string()
  .transform((v) => v.trim())
  .transform((v) => (v === "" ? undefined : v))
  .optional();
const url = (what: string) =>
  optionalString.refine(
    (v) => v === undefined || /^https?:\/\/[^\s]+$/.test(v),
    `must be an http(s) URL (${what})`,
  );
/** Digits only: `Number()` would also take "0x10", "1e3" and "3000.0". */
const wholeNumber = (min: number, max: number, what: string) =>
  z.string().transform((raw, ctx) => {
    const value = raw.trim();
    const n = Number(value);
    if (/^\d{1,15}$/.test(value) && n >= min && n <= max) return n;
    ctx.addIssue({ code: "custom", message: value === "" ? EMPTY : `must be ${what}` });
    return z.NEVER;
  });
const port = wholeNumber(0, 65_535, "a port number (0-65535)");
const positive = wholeNumber(1, Number.MAX_SAFE_INTEGER, "a whole number of at least 1");
const nonNegative = wholeNumber(0, Number.MAX_SAFE_INTEGER, "a whole number (0 or more)");

const schema = z.object({
  CORPUS_DIR: z.string().default("corpus"),
  INDEX_DIR: z.string().default("index"),
  EMBEDDER: z.enum(["auto", "offline", "transformers"]).default("auto"),
  EMBEDDER_MODEL: z.string().default("Xenova/all-MiniLM-L6-v2"),
  MODELS_DIR: optionalString,
  MODELS_CACHE_DIR: optionalString,
  EMBEDDER_DOWNLOAD: bool.default("true"),
  FUSION_WEIGHTS: optionalString,
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
  LOG_FORMAT: z.enum(["json", "pretty", "auto"]).default("auto"),
  MAX_QUESTION_CHARS: positive.default("1000"),
  FEEDBACK_LOG: z.string().default("feedback.jsonl"),
  RATE_LIMIT_PER_MINUTE: nonNegative.default("10"),
  MAX_IN_FLIGHT: positive.default("32"),
  HEALTH_PORT: optionalString.refine(
    (v) => v === undefined || (/^\d{1,5}$/.test(v) && Number(v) <= 65_535),
    "must be a port number (0-65535), or empty for no health server",
  ),
  HEALTH_HOST: z.string().default("0.0.0.0"),
  REDIS_URL: optionalString.refine(
    (v) => v === undefined || /^rediss?:\/\/[^\s]+$/.test(v),
    "must be a redis:// or rediss:// URL, e.g. redis://localhost:6379",
  ),
  REDIS_TIMEOUT_MS: positive.default("500"),
  REDIS_PREFIX: z.string().default("quotebot:"),

  SLACK_BOT_TOKEN: optionalString.refine(
    (v) => v === undefined || v.startsWith("xoxb-"),
    "must start with xoxb-",
  ),
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: optionalString.refine(
    (v) => v === undefined || v.startsWith("xapp-"),
    "must start with xapp-",
  ),
  SLACK_API_URL: url("the Slack Web API base, ending in /api/"),
  SLACK_ASK_EPHEMERAL: bool.default("false"),
  PORT: port.default("3000"),

  DISCORD_TOKEN: optionalString.refine(
    (v) => v === undefined || /^[\w-]+\.[\w-]+\.[\w-]+$/.test(v),
    "is not a bot token (three dot-separated parts)",
  ),
  DISCORD_APP_ID: optionalString.refine(
    (v) => v === undefined || /^\d{15,22}$/.test(v),
    "must be the numeric application id",
  ),
  DISCORD_GUILD_ID: optionalString.refine(
    (v) => v === undefined || /^\d{15,22}$/.test(v),
    "must be a numeric guild id",
  ),
  DISCORD_API_URL: url("the Discord REST base"),
  DISCORD_MESSAGE_CONTENT: bool.default("false"),
  DISCORD_REPLY_IN_THREAD: bool.default("false"),
  CHANNEL_SCOPES: optionalString,

  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: url("an OpenAI-compatible server, e.g. http://localhost:11434/v1"),
  LLM_MODEL: z.string().default("gpt-4o-mini"),
  LLM_TIMEOUT_MS: positive.default("6000"),
  LLM_ENABLED: bool.optional(),
  LLM_USER_PER_MINUTE: positive.default("10"),
  LLM_GLOBAL_PER_MINUTE: positive.default("120"),
  LLM_MAX_IN_FLIGHT: positive.default("32"),
});

type Env = z.infer<typeof schema>;

export interface Config {
  corpusDir: string;
  indexDir: string;
  embedder: {
    kind: "auto" | "offline" | "transformers";
    model: string;
    modelsDir?: string;
    cacheDir?: string;
    download: boolean;
  };
  /** Fusion weights set by FUSION_WEIGHTS, over the retriever's defaults (absent: the defaults). */
  fusionWeights?: Partial<FusionWeights>;
  log: { level: Env["LOG_LEVEL"]; format: Env["LOG_FORMAT"] };
  maxQuestionChars: number;
  feedbackLog: string;
  /** Questions per minute per user (0: no limit), and questions being looked up at once. */
  limits: { perMinute: number; maxInFlight: number };
  /** `/healthz` and `/metrics` (absent when HEALTH_PORT is unset; port 0 picks a free port). */
  health?: { port: number; host: string };
  /**
   * State shared by every replica (REDIS_URL; absent: each process keeps its own in memory).
   * A command slower than `timeoutMs` is answered from this process's memory instead.
   */
  redis?: { url: string; timeoutMs: number; prefix: string };
  slack?: {
    botToken: string;
    signingSecret?: string;
    appToken?: string;
    apiUrl?: string;
    port: number;
    ephemeral: boolean;
    /** Channel id -> the episodes its questions may be answered from (CHANNEL_SCOPES). */
    channelScopes?: ChannelScopes;
  };
  discord?: {
    token: string;
    appId: string;
    guildId?: string;
    apiUrl?: string;
    messageContent: boolean;
    replyInThread: boolean;
    /** Channel id -> the episodes its questions may be answered from (CHANNEL_SCOPES). */
    channelScopes?: ChannelScopes;
  };
  llm?: {
    apiKey: string;
    baseURL?: string;
    model: string;
    /** Time all LLM work of one question may take; past it the answer goes out with quotes alone. */
    timeoutMs: number;
    /** LLM calls per minute per user (a follow-up makes two), and for everyone together. */
    userPerMinute: number;
    globalPerMinute: number;
    /** LLM calls waiting for the model at once; past it a summary is skipped (quotes alone). */
    maxInFlight: number;
  };
  /** Values that must never be printed; the logger redacts them wherever they appear. */
  secrets: string[];
}

/** Channel id (Slack `C…`/`G…`, Discord's numeric id) -> the episodes it is pinned to. */
export type ChannelScopes = Record<string, AskScope>;

const CHANNEL_ID = /^[A-Z0-9]{6,30}$/;
const EPISODE_ID = /^[a-z0-9][a-z0-9._-]*$/i;

/**
 * CHANNEL_SCOPES: comma-separated `CHANNEL_ID=EPISODE_ID` or `CHANNEL_ID=show:SHOW NAME`
 * entries; a channel named twice covers both. Problems name the entry's position, not its text.
 */
export function parseChannelScopes(value: string): { scopes?: ChannelScopes; problems: string[] } {
  const scopes: ChannelScopes = {};
  const problems: string[] = [];
  const entries = value.split(",").map((entry) => entry.trim());
  if (entries.length === 1 && entries[0] === "") return { problems };
  entries.forEach((entry, i) => {
    const at = entry.indexOf("=");
    const channel = entry.slice(0, Math.max(0, at)).trim();
    const target = entry.slice(at + 1).trim();
    const show = /^show:/i.test(target) ? target.slice(5).trim() : undefined;
    if (at <= 0 || !CHANNEL_ID.test(channel)) {
      problems.push(
        `CHANNEL_SCOPES entry ${i + 1} must start with a channel id and "=" (Slack: C0123ABCD; Discord: the numeric id), not a channel name`,
      );
    } else if (show === "" || (show === undefined && !EPISODE_ID.test(target))) {
      problems.push(`CHANNEL_SCOPES entry ${i + 1} must end in an episode id or show:SHOW NAME`);
    } else {
      const scope = scopes[channel] ?? {};
      if (show === undefined) scope.episodes = [...(scope.episodes ?? []), target];
      else scope.shows = [...(scope.shows ?? []), show];
      scopes[channel] = scope;
    }
  });
  return { scopes, problems };
}

/** The scope of the first of `channelIds` (a thread, then its parent channel) that has one. */
export function scopeForChannel(
  scopes: ChannelScopes | undefined,
  ...channelIds: Array<string | null | undefined>
): AskScope | undefined {
  if (!scopes) return undefined;
  for (const id of channelIds) {
    if (id && Object.hasOwn(scopes, id)) return scopes[id];
  }
  return undefined;
}

function urlPassword(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}

/** Reads the config; throws one AppError (E_CONFIG) listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const known = Object.fromEntries(Object.keys(schema.shape).map((k) => [k, env[k]]));
  const parsed = schema.safeParse(known);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      // The default zod messages can echo the received value: write our own.
      const name = String(issue.path[0]);
      const message =
        issue.code === "invalid_enum_value"
          ? `must be one of ${issue.options.join(", ")}`
          : issue.code === "custom"
            ? issue.message
            : `is invalid: ${issue.message.charAt(0).toLowerCase()}${issue.message.slice(1)}`;
      problems.push(`${name} ${message}`);
    }
  }
  // Checked on the raw values, so a missing partner is reported together with any malformed value.
  const set = (name: string) => typeof known[name] === "string" && known[name].trim() !== "";
  if (set("SLACK_BOT_TOKEN") && !set("SLACK_APP_TOKEN") && !set("SLACK_SIGNING_SECRET")) {
    problems.push("SLACK_SIGNING_SECRET is required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)");
  }
  if ((set("SLACK_APP_TOKEN") || set("SLACK_SIGNING_SECRET")) && !set("SLACK_BOT_TOKEN")) {
    problems.push("SLACK_BOT_TOKEN is missing (Slack is partly configured)");
  }
  if (set("DISCORD_TOKEN") && !set("DISCORD_APP_ID"))
    problems.push("DISCORD_APP_ID is missing (needed with DISCORD_TOKEN)");
  if (set("DISCORD_APP_ID") && !set("DISCORD_TOKEN"))
    problems.push("DISCORD_TOKEN is missing (needed with DISCORD_APP_ID)");
  if (
    /^(1|true|yes|on)$/i.test(String(known.LLM_ENABLED ?? "").trim()) &&
    !set("OPENAI_API_KEY") &&
    !set("OPENAI_BASE_URL")
  ) {
    problems.push(
      "LLM_ENABLED is on but neither OPENAI_API_KEY nor OPENAI_BASE_URL is set (set one, or turn LLM_ENABLED off)",
    );
  }
  const scopes = parseChannelScopes(typeof known.CHANNEL_SCOPES === "string" ? known.CHANNEL_SCOPES : "");
  problems.push(...scopes.problems);
  const fusion = parseFusionWeights(typeof known.FUSION_WEIGHTS === "string" ? known.FUSION_WEIGHTS : "");
  problems.push(...fusion.problems);
  if (!parsed.success || problems.length > 0)
    throw new AppError("E_CONFIG", `configuration problems:\n  - ${problems.join("\n  - ")}`);
  const e = parsed.data;

  const llmWanted = e.LLM_ENABLED ?? Boolean(e.OPENAI_API_KEY || e.OPENAI_BASE_URL);
  return {
    corpusDir: e.CORPUS_DIR,
    indexDir: e.INDEX_DIR,
    embedder: {
      kind: e.EMBEDDER,
      model: e.EMBEDDER_MODEL,
      modelsDir: e.MODELS_DIR,
      cacheDir: e.MODELS_CACHE_DIR,
      download: e.EMBEDDER_DOWNLOAD,
    },
    fusionWeights: fusion.weights,
    log: { level: e.LOG_LEVEL, format: e.LOG_FORMAT },
    maxQuestionChars: e.MAX_QUESTION_CHARS,
    feedbackLog: e.FEEDBACK_LOG,
    limits: { perMinute: e.RATE_LIMIT_PER_MINUTE, maxInFlight: e.MAX_IN_FLIGHT },
    health: e.HEALTH_PORT === undefined ? undefined : { port: Number(e.HEALTH_PORT), host: e.HEALTH_HOST },
    redis: e.REDIS_URL
      ? { url: e.REDIS_URL, timeoutMs: e.REDIS_TIMEOUT_MS, prefix: e.REDIS_PREFIX }
      : undefined,
    slack: e.SLACK_BOT_TOKEN
      ? {
          botToken: e.SLACK_BOT_TOKEN,
          signingSecret: e.SLACK_SIGNING_SECRET,
          appToken: e.SLACK_APP_TOKEN,
          apiUrl: e.SLACK_API_URL,
          port: e.PORT,
          ephemeral: e.SLACK_ASK_EPHEMERAL,
          channelScopes: scopes.scopes,
        }
      : undefined,
    discord:
      e.DISCORD_TOKEN && e.DISCORD_APP_ID
        ? {
            token: e.DISCORD_TOKEN,
            appId: e.DISCORD_APP_ID,
            guildId: e.DISCORD_GUILD_ID,
            apiUrl: e.DISCORD_API_URL,
            messageContent: e.DISCORD_MESSAGE_CONTENT,
            replyInThread: e.DISCORD_REPLY_IN_THREAD,
            channelScopes: scopes.scopes,
          }
        : undefined,
    llm: llmWanted
      ? {
          // A local OpenAI-compatible server needs no key, but the SDK insists on one.
          apiKey: e.OPENAI_API_KEY ?? "no-key",
          baseURL: e.OPENAI_BASE_URL,
          model: e.LLM_MODEL,
          timeoutMs: e.LLM_TIMEOUT_MS,
          userPerMinute: e.LLM_USER_PER_MINUTE,
          globalPerMinute: e.LLM_GLOBAL_PER_MINUTE,
          maxInFlight: e.LLM_MAX_IN_FLIGHT,
        }
      : undefined,
    secrets: [
      e.SLACK_BOT_TOKEN,
      e.SLACK_SIGNING_SECRET,
      e.SLACK_APP_TOKEN,
      e.DISCORD_TOKEN,
      e.OPENAI_API_KEY,
      // The URL may carry a password: neither it nor the password alone is ever logged.
      e.REDIS_URL,
      urlPassword(e.REDIS_URL),
    ].filter((v): v is string => typeof v === "string" && v.length > 0),
  };
}
