import OpenAI from "openai";
import type { Logger } from "../logger.js";

/** Where requests go when `OPENAI_BASE_URL` is not set. */
export const DEFAULT_BASE_URL = "https://api.openai.com/v1";

/** The LLM settings of `Config` that the client needs. */
export interface ClientSettings {
  apiKey: string;
  baseURL?: string;
  timeoutMs: number;
}

/** Host (and port) of the server, for logs: never the path, the query or credentials in the URL. */
export function serverHost(baseURL: string | undefined): string {
  try {
    return new URL(baseURL ?? DEFAULT_BASE_URL).host;
  } catch {
    return "an invalid URL";
  }
}

type SdkLevel = "error" | "warn" | "info" | "debug";

/** The SDK logs through ours, so its lines are redacted like every other (secrets, token shapes). */
function sdkLogger(log: Logger) {
  const child = log.child({ sdk: "openai" });
  const forward =
    (level: SdkLevel) =>
    (message: string, ...details: unknown[]) =>
      child[level](details.length > 0 ? { details } : {}, message);
  return { error: forward("error"), warn: forward("warn"), info: forward("info"), debug: forward("debug") };
}

/**
 * An OpenAI client for OpenAI or any compatible server. The SDK's retries are
 * off (the caller retries at most once, and only while its deadline allows)
 * and its timeout is ours rather than the default ten minutes.
 */
export function createOpenAIClient(settings: ClientSettings, log: Logger): OpenAI {
  return new OpenAI({
    apiKey: settings.apiKey,
    baseURL: settings.baseURL ?? DEFAULT_BASE_URL,
    timeout: settings.timeoutMs,
    maxRetries: 0,
    logger: sdkLogger(log),
    logLevel: log.isLevelEnabled("debug") ? "debug" : "warn",
  });
}
