import { checkChannelScopes } from "./answer/scope-names.js";
import type { AskInput } from "./answer/types.js";
import type { ChatAdapter } from "./bot/adapter.js";
import { runConsole } from "./bot/console.js";
import { type LimitedAsk, limitAsk } from "./bot/limits.js";
import { logQuestions } from "./bot/question-log.js";
import { run, setup } from "./cli/setup.js";
import { type Engine, openEngine } from "./engine.js";
import { describeError } from "./errors.js";
import { createMetrics } from "./health/metrics.js";
import { type HealthServer, startHealthServer } from "./health/server.js";
import { healthReport } from "./health/status.js";
import { memoryState, type SharedState } from "./shared-state.js";

/**
 * Composition root: config -> health server -> shared state (Redis with
 * REDIS_URL, else this process's memory) -> engine -> limits and the question
 * log around `ask` -> adapters. With Slack or Discord configured it starts
 * those; with neither, a terminal chat. Adapters and the Redis client are
 * imported only when configured, so the terminal chat loads neither.
 */
run(async () => {
  const { config, log } = setup();
  const adapters: ChatAdapter[] = [];
  let engine: Engine | undefined;
  let limited: LimitedAsk | undefined;
  let state: SharedState | undefined;
  let stopping = false;
  const metrics = createMetrics({
    engine: () => engine,
    inFlight: () => limited?.inFlight ?? 0,
    redis: config.redis ? () => state?.redis?.() : undefined,
  });
  // Up before the index is opened, so a first start that builds it reports "not ready" rather than nothing.
  let health: HealthServer | undefined;
  if (config.health) {
    health = await startHealthServer({
      ...config.health,
      registry: metrics.registry,
      log,
      report: () =>
        healthReport({
          engine: () => engine,
          adapters: () => adapters,
          stopping: () => stopping,
          redis: () => state?.redis?.(),
        }),
    });
  }
  const release = async () => {
    await engine?.close();
    await state?.close();
    await health?.close();
  };

  try {
    state = config.redis
      ? await (await import("./redis/state.js")).openRedisState(config.redis, config, log)
      : memoryState(config);
    const shared = state;
    engine = await openEngine(config, {
      log,
      watchIndex: true,
      conversations: shared.conversations,
      llm: { windows: shared.windows },
    });
    // The terminal chat is one person at a keyboard (or a file piped in): no per-person limit
    // there, and its question lines go to debug so they do not land between the answers.
    const inConsole = (input: AskInput) => input.platform === "console";
    limited = limitAsk(engine.ask, { ...config.limits, exempt: inConsole, windows: shared.windows });
    const ask = logQuestions(limited, { log, onQuestion: metrics.observeQuestion, quiet: inConsole });
    // A channel pinned to what the index does not hold is a configuration error, found now.
    checkChannelScopes(
      config.slack?.channelScopes ?? config.discord?.channelScopes,
      engine.retriever.index.episodes,
      config.secrets,
    );
    const opened = engine;
    const episodes = () => opened.retriever.index.episodes;

    if (config.slack) {
      const { createSlackAdapter } = await import("./bot/slack/adapter.js");
      const { feedbackLog, quotes, claims } = shared;
      adapters.push(
        createSlackAdapter({ config: config.slack, ask, log, feedbackLog, quotes, claims, episodes }),
      );
    }
    if (config.discord) {
      const { createDiscordAdapter } = await import("./bot/discord/adapter.js");
      const { quotes, claims, replyChains } = shared;
      adapters.push(
        createDiscordAdapter({ config: config.discord, ask, log, quotes, claims, replyChains, episodes }),
      );
    }

    if (adapters.length === 0) {
      await runConsole({ ask, log });
      await release();
      return;
    }

    // SIGTERM/SIGINT: stop taking questions (health says so), let the ones in flight
    // finish (each adapter's stop() waits a bounded time), disconnect, exit 0.
    const shutdown = (signal: string, exitCode = 0) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal, inFlight: limited?.inFlight }, "shutting down: finishing answers in flight");
      void Promise.allSettled(adapters.map((adapter) => adapter.stop()))
        .then(async (results) => {
          for (const [i, result] of results.entries()) {
            if (result.status === "rejected") {
              log.error(
                { adapter: adapters[i]?.name, err: describeError(result.reason) },
                "adapter did not stop cleanly",
              );
            }
          }
          await release();
        })
        .finally(() => process.exit(exitCode));
    };
    process.once("SIGTERM", () => shutdown("SIGTERM"));
    process.once("SIGINT", () => shutdown("SIGINT"));
    // A library promise nobody awaits (Bolt's Socket Mode reconnection when Slack stays unreachable)
    // would end the process with a raw stack. End it through the logger instead, after the answers in
    // flight, and non-zero, so a supervisor restarts the bot.
    process.on("unhandledRejection", (reason) => {
      log.fatal({ err: describeError(reason) }, "unhandled rejection: stopping so the bot can be restarted");
      shutdown("unhandledRejection", 1);
    });

    for (const adapter of adapters) {
      await adapter.start();
      log.info(`${adapter.name} adapter started`);
    }
  } catch (error) {
    // A refused start must not leave a server or a connection holding the process open.
    await Promise.allSettled(adapters.map((adapter) => adapter.stop()));
    await release();
    throw error;
  }
});
