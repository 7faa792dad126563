import { runConsole } from "./bot/console.js";
import { run, setup } from "./cli/setup.js";
import { openEngine } from "./engine.js";
import { describeError } from "./errors.js";

interface RunningAdapter {
  name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Composition root: config -> engine -> adapters. With Slack or Discord
 * configured it starts those; with neither, a terminal chat. Adapters are
 * imported only when configured, so the terminal chat never loads a chat SDK.
 */
run(async () => {
  const { config, log } = setup();
  const engine = await openEngine(config, log);
  const adapters: RunningAdapter[] = [];
  if (config.slack) {
    const { createSlackAdapter } = await import("./bot/slack/adapter.js");
    const { createFeedbackLog } = await import("./bot/feedback.js");
    const feedbackLog = createFeedbackLog(config.feedbackLog);
    adapters.push({
      name: "Slack",
      ...createSlackAdapter({ config: config.slack, ask: engine.ask, log, feedbackLog }),
    });
  }
  if (config.discord) {
    const { createDiscordAdapter } = await import("./bot/discord/adapter.js");
    adapters.push({
      name: "Discord",
      ...createDiscordAdapter({ config: config.discord, ask: engine.ask, log }),
    });
  }

  if (adapters.length === 0) {
    await runConsole({ ask: engine.ask, log });
    return;
  }

  // SIGTERM/SIGINT: stop taking questions, let the ones in flight finish (each
  // adapter's stop() waits a bounded time), disconnect, exit 0.
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down: finishing answers in flight");
    void Promise.allSettled(adapters.map((adapter) => adapter.stop())).then((results) => {
      for (const [i, result] of results.entries()) {
        if (result.status === "rejected") {
          log.error(
            { adapter: adapters[i]?.name, err: describeError(result.reason) },
            "adapter did not stop cleanly",
          );
        }
      }
      process.exit(0);
    });
  };
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));

  for (const adapter of adapters) {
    await adapter.start();
    log.info(`${adapter.name} adapter started`);
  }
});
