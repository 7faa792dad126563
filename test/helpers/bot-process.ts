import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { cleanEnv, REPO, TSX_LOADER } from "./index-fixtures.js";

/** `src/main.ts` running in a child process of its own, with JSON logs on stderr. */
export interface BotProcess {
  child: ChildProcess;
  lines(): Array<Record<string, unknown>>;
  exited: Promise<number | null>;
  /** The first log line `match` accepts; throws (with stderr) after `timeoutMs` or if the bot exits. */
  waitForLine(
    what: string,
    match: (line: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
}

/** Starts the bot as `npm start` would (signals reach it, not a wrapper), in `cwd`, with `env` over a clean one. */
export function startBotProcess(cwd: string, env: Record<string, string>): BotProcess {
  const child = spawn(process.execPath, ["--import", TSX_LOADER, join(REPO, "src/main.ts")], {
    cwd,
    env: cleanEnv({ LOG_LEVEL: "info", ...env }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  child.stdout?.resume();
  const lines = () =>
    stderr
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    lines,
    exited,
    async waitForLine(what, match, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = lines().find(match);
        if (found) return found;
        if (Date.now() > deadline || child.exitCode !== null)
          throw new Error(`no log line: ${what}\nstderr:\n${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
  };
}
