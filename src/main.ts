import { runConsole } from "./bot/console.js";
import { createDiscordAdapter } from "./bot/discord/adapter.js";
import { createFeedbackLog } from "./bot/feedback.js";
import { createSlackAdapter } from "./bot/slack/adapter.js";
import { run, setup } from "./cli/setup.js";
import { openEngine } from "./engine.js";

/**
 * Composition root: config -> engine -> adapters. With Slack or Discord
 * configured it starts those; with neither, a terminal chat.
 */
run(async () => {
  const { config, log } = setup();
  const engine = await openEngine(config, log);
  const adapters: Array<{ name: string; start: () => Promise<void> }> = [];
  // adapters: platform adapters register here (Slack, Discord).
  if (config.slack) {
    const feedbackLog = createFeedbackLog(config.feedbackLog);
    const slack = createSlackAdapter({ config: config.slack, ask: engine.ask, log, feedbackLog });
    adapters.push({ name: "Slack", start: () => slack.start() });
  }
  if (config.discord) {
    const discord = createDiscordAdapter({ config: config.discord, ask: engine.ask, log });
    adapters.push({ name: "Discord", start: () => discord.start() });
  }

  if (adapters.length === 0) {
    await runConsole({ ask: engine.ask, log });
    return;
  }
  for (const adapter of adapters) {
    await adapter.start();
    log.info(`${adapter.name} adapter started`);
  }
});
