import { inspect } from "node:util";
import { type Logger as BoltLogger, LogLevel } from "@slack/bolt";
import type { Logger } from "../../logger.js";

function line(parts: unknown[]): string {
  return parts
    .map((part) => {
      if (typeof part === "string") return part;
      if (part instanceof Error) return part.message;
      return inspect(part, { depth: 3, breakLength: Number.POSITIVE_INFINITY });
    })
    .join(" ");
}

function boltLevel(level: string): LogLevel {
  if (level === "trace" || level === "debug") return LogLevel.DEBUG;
  if (level === "info") return LogLevel.INFO;
  if (level === "warn") return LogLevel.WARN;
  return LogLevel.ERROR;
}

/**
 * Bolt, its Web API client and its Socket Mode client log through the
 * project's logger (so secrets are redacted in one place). Their level follows
 * the project's `LOG_LEVEL`: Bolt's attempts to set a level are ignored.
 */
export function boltLogger(log: Logger): BoltLogger {
  const child = log.child({ component: "slack-sdk" });
  return {
    debug: (...parts: unknown[]) => {
      // The Web API client logs every request body at debug: skip the formatting when nobody reads it.
      if (child.isLevelEnabled("debug")) child.debug(line(parts));
    },
    info: (...parts: unknown[]) => child.info(line(parts)),
    warn: (...parts: unknown[]) => child.warn(line(parts)),
    error: (...parts: unknown[]) => child.error(line(parts)),
    setLevel: () => undefined,
    getLevel: () => boltLevel(log.level),
    setName: () => undefined,
  };
}
