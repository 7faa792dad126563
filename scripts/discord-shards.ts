import { fileURLToPath } from "node:url";
import { Command } from "commander";
import { ShardingManager } from "discord.js";
import { validateDiscordConfig } from "../src/bot/discord/settings.js";
import {
  DEFAULT_GUILDS_PER_SHARD,
  NON_DISCORD_ADAPTER_VARIABLES,
  recommendedShardCount,
} from "../src/bot/discord/shards.js";
import { run, setup } from "../src/cli/setup.js";
import { openEngine } from "../src/engine.js";
import { AppError } from "../src/errors.js";

const program = new Command()
  .name("discord:shards")
  .description(
    "Run the Discord bot as one process per shard (discord.js ShardingManager), for bots in many servers.",
  )
  .option("--shards <n>", "number of shards (default: Discord's recommendation for --guilds-per-shard)")
  .option(
    "--guilds-per-shard <n>",
    "servers per shard when following Discord's recommendation",
    String(DEFAULT_GUILDS_PER_SHARD),
  )
  .option("--dry-run", "print the number of shards and exit", false)
  .parse();

const options = program.opts<{ shards?: string; guildsPerShard: string; dryRun: boolean }>();

function positive(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new AppError("E_USAGE", `${name} must be a whole number of at least 1`);
  return n;
}

run(async () => {
  const { config, log } = setup();
  const discord = validateDiscordConfig(config.discord);
  const totalShards = options.shards
    ? positive(options.shards, "--shards")
    : await recommendedShardCount(discord, positive(options.guildsPerShard, "--guilds-per-shard"));
  process.stdout.write(`${totalShards} shard(s)\n`);
  if (options.dryRun) return;

  // Built once here, so the shards only ever read it (each process opens it read-only; they share nothing).
  await openEngine(config, { log });
  // Every shard runs src/main.ts; only one process in the deployment should run the Slack adapter.
  for (const name of NON_DISCORD_ADAPTER_VARIABLES) process.env[name] = "";
  // Compiled (dist/scripts/*.js) or run with tsx (scripts/*.ts): start the matching main.
  const self = fileURLToPath(import.meta.url);
  const compiled = self.endsWith(".js");
  const manager = new ShardingManager(
    fileURLToPath(new URL(`../src/main.${compiled ? "js" : "ts"}`, import.meta.url)),
    {
      token: discord.token,
      totalShards,
      mode: "process",
      respawn: true,
      execArgv: compiled ? [] : ["--import", "tsx"],
    },
  );
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    stopping = true;
    manager.respawn = false;
    log.info({ signal }, "stopping the shards");
    for (const shard of manager.shards.values()) shard.kill();
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  manager.on("shardCreate", (shard) => {
    log.info({ shard: shard.id, of: totalShards }, "shard started");
    shard.on("death", () => {
      if (!stopping) log.warn({ shard: shard.id }, "shard process exited; respawning");
    });
  });
  try {
    // Loading the index and logging in can take a while on a cold machine.
    await manager.spawn({ timeout: 120_000 });
  } catch (error) {
    // A shard killed by the stop signal while the others were still starting.
    if (!stopping) throw error;
  }
});
