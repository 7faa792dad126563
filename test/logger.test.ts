import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { AppError } from "../src/errors.js";
import { createLogger, redact } from "../src/logger.js";

const SLACK = "xoxb-CANARY-1234-abcdefgh";
const SIGNING = "CANARY5ecret0f4signing";
const DISCORD = "MTCANARY.discord.tokenpart";
const OPENAI = "sk-CANARY-0123456789abcdef";
const SECRETS = [SLACK, SIGNING, DISCORD, OPENAI];

/** A destination that keeps every line the logger writes. */
function capture(): { stream: Writable; lines: () => string[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, lines: () => chunks.join("").split("\n").filter(Boolean) };
}

function logEverywhere(log: ReturnType<typeof createLogger>): void {
  log.debug(`connecting with ${SLACK} and ${DISCORD}`);
  log.info({ token: SLACK, nested: { key: OPENAI, list: [SIGNING] } }, "configured");
  log.warn({ err: new Error(`401 for key ${OPENAI}`) }, `request failed with ${OPENAI}`);
  log.error(new AppError("E_AUTH", `Slack refused ${SLACK}`), "auth failed");
  log.debug({ header: `Bot ${DISCORD}`, signature: `v0=${SIGNING}` }, "request headers");
}

describe("createLogger", () => {
  it("redacts every secret from every JSON line at debug level: message, fields, errors", () => {
    const out = capture();
    const log = createLogger({ level: "debug", format: "json", secrets: SECRETS, destination: out.stream });
    logEverywhere(log);
    const lines = out.lines();
    expect(lines).toHaveLength(5);
    for (const line of lines) {
      expect(line).not.toMatch(/CANARY/);
      expect(() => JSON.parse(line)).not.toThrow();
    }
    const [debug, info, warn, error] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(debug?.msg).toBe("connecting with [REDACTED] and [REDACTED]");
    expect(info).toMatchObject({ token: "[REDACTED]", nested: { key: "[REDACTED]", list: ["[REDACTED]"] } });
    expect(warn?.err).toMatchObject({ message: "401 for key [REDACTED]" });
    expect(String((warn?.err as { stack?: string } | undefined)?.stack)).toContain("401 for key [REDACTED]");
    expect(error).toMatchObject({ err: { message: "Slack refused [REDACTED]" }, msg: "auth failed" });
  });

  it("redacts in the readable format too", () => {
    const out = capture();
    const log = createLogger({ level: "debug", format: "pretty", secrets: SECRETS, destination: out.stream });
    logEverywhere(log);
    const text = out.lines().join("\n");
    expect(text).toContain("connecting with [REDACTED] and [REDACTED]");
    expect(text).toContain("request headers");
    expect(text).not.toMatch(/CANARY/);
  });

  it("redacts token-shaped strings nobody configured, and respects the level", () => {
    const out = capture();
    const log = createLogger({ level: "info", format: "json", destination: out.stream });
    log.info("pasted xoxp-1234567890-abcdef and xapp-1-A0-CANARY99 and sk-proj-CANARYCANARY123456");
    log.debug(`hidden ${SLACK}`);
    const lines = out.lines();
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(/CANARY|xoxp-1234/);
    expect(JSON.parse(lines[0] ?? "{}").msg).toBe("pasted [REDACTED] and [REDACTED] and [REDACTED]");
  });
});

describe("redact", () => {
  it("replaces the longest secret first, so a secret containing another leaves no tail behind", () => {
    const out = capture();
    const log = createLogger({
      level: "info",
      format: "json",
      secrets: ["CANARY", "CANARY-long-tail"],
      destination: out.stream,
    });
    log.info("value CANARY-long-tail end");
    expect(JSON.parse(out.lines()[0] ?? "{}").msg).toBe("value [REDACTED] end");
  });

  it("leaves lines without secrets alone, and ignores secrets too short to be real", () => {
    expect(redact('{"msg":"hello"}', ["abc"])).toBe('{"msg":"hello"}');
    expect(redact("id abc", ["abc"])).toBe("id abc");
  });

  it("finds a secret that JSON escaping changed in the line", () => {
    const out = capture();
    const secret = 'CANARY"quoted\\slash';
    const log = createLogger({ level: "info", format: "json", secrets: [secret], destination: out.stream });
    log.info({ value: secret }, `has ${secret}`);
    const line = out.lines()[0] ?? "";
    expect(line).not.toContain("CANARY");
    expect(JSON.parse(line)).toMatchObject({ value: "[REDACTED]", msg: "has [REDACTED]" });
  });
});
