import { createRequire } from "node:module";
import { type DestinationStream, type Logger, pino } from "pino";

export type { Logger } from "pino";

export interface LoggerOptions {
  level: string;
  format: "json" | "pretty" | "auto";
  /** Values replaced by [REDACTED] in every line, whatever field or message they hide in. */
  secrets?: string[];
  /** Where lines go; default stderr, so stdout stays clean for `--json` output. */
  destination?: DestinationStream | NodeJS.WritableStream;
}

// Loaded only for a terminal: JSON logging (production, pipes, CI) never pays for it.
function loadPretty(): typeof import("pino-pretty") {
  const require = createRequire(import.meta.url);
  return require("pino-pretty") as typeof import("pino-pretty");
}

/** Replaces every secret (and any Slack/Discord/OpenAI-looking token) in a line. */
export function redact(line: string, secrets: string[]): string {
  let result = line;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    result = result.split(secret).join("[REDACTED]");
    // In a JSON line a secret holding a quote, backslash or control character appears escaped.
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (escaped !== secret) result = result.split(escaped).join("[REDACTED]");
  }
  // Belt and braces: token shapes that were not configured but slipped into a message.
  return result.replace(/\bxox[abpr]-[\w-]{8,}|\bxapp-[\w-]{8,}|\bsk-[\w-]{16,}/g, "[REDACTED]");
}

/**
 * The one logger of a process: JSON lines in production, readable lines in a
 * terminal, always on stderr, with secrets redacted centrally so no call site
 * can leak one.
 */
export function createLogger(options: LoggerOptions): Logger {
  const secrets = [...(options.secrets ?? [])].sort((a, b) => b.length - a.length);
  const destination = options.destination ?? process.stderr;
  const usePretty =
    options.format === "pretty" || (options.format === "auto" && process.stderr.isTTY === true);
  const stream = usePretty
    ? loadPretty()({
        destination: destination as NodeJS.WritableStream,
        sync: true,
        colorize: process.stderr.isTTY === true,
        ignore: "pid,hostname",
      })
    : destination;
  return pino(
    {
      level: options.level,
      base: undefined,
      hooks: { streamWrite: (line) => redact(line, secrets) },
    },
    stream as DestinationStream,
  );
}

/** A logger that drops everything, for tools that must print nothing but their result. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
