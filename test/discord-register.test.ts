import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { ASK_COMMAND } from "../src/bot/discord/command.js";
import { registerCommands } from "../src/bot/discord/register.js";
import { recommendedShardCount } from "../src/bot/discord/shards.js";
import { type AppError, isAppError } from "../src/errors.js";
import { botConfig, FakeDiscord, IDS, TOKEN } from "./helpers/fake-discord.js";

const run = promisify(execFile);
const GUILD_COMMANDS = `/applications/${IDS.app}/guilds/${IDS.guild}/commands`;

let fake: FakeDiscord | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** Runs a script the way `npm run` does (tsx), in an empty folder so no `.env` is read, against the fake. */
async function runScript(script: string, args: string[], env: Record<string, string>) {
  const cwd = await mkdtemp(join(tmpdir(), "discord-script-"));
  try {
    return await run(
      process.execPath,
      [
        "--import",
        import.meta.resolve("tsx"),
        fileURLToPath(new URL(`../scripts/${script}`, import.meta.url)),
        ...args,
      ],
      { cwd, env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "silent", ...env } },
    );
  } finally {
    await rm(cwd, { recursive: true, force: true });
  }
}

describe("registering /ask", () => {
  it("registers the command in DISCORD_GUILD_ID when set", async () => {
    fake = await FakeDiscord.start();
    const result = await registerCommands(botConfig(fake, { guildId: IDS.guild }));
    expect(result).toEqual({ scope: "guild", names: ["ask"] });
    const [put] = fake.find("PUT", /commands$/);
    expect(put?.path).toBe(GUILD_COMMANDS);
    expect(put?.headers.authorization).toBe(`Bot ${TOKEN}`);
    expect(put?.body).toEqual([ASK_COMMAND]);
    expect(put?.body[0]).toMatchObject({
      name: "ask",
      options: [
        { name: "question", type: 3, required: true, max_length: 1000 },
        // The show or episode to ask about, offered as it is typed.
        { name: "in", type: 3, required: false, autocomplete: true, max_length: 100 },
      ],
    });
  });

  it("registers globally without DISCORD_GUILD_ID", async () => {
    fake = await FakeDiscord.start();
    const result = await registerCommands(botConfig(fake));
    expect(result.scope).toBe("global");
    expect(fake.find("PUT", /commands$/).map((r) => r.path)).toEqual([`/applications/${IDS.app}/commands`]);
  });

  it("says which setting to check when Discord refuses", async () => {
    fake = await FakeDiscord.start();
    fake.fail({
      method: "PUT",
      path: /commands$/,
      status: 401,
      body: { message: "401: Unauthorized", code: 0 },
    });
    const unauthorized = await registerCommands(botConfig(fake)).catch((e: unknown) => e);
    expect(isAppError(unauthorized, "E_DISCORD_TOKEN")).toBe(true);

    fake.fail({
      method: "PUT",
      path: /commands$/,
      status: 403,
      body: { message: "Missing Access", code: 50001 },
    });
    const forbidden = await registerCommands(botConfig(fake, { guildId: IDS.guild })).catch(
      (e: unknown) => e,
    );
    expect(isAppError(forbidden, "E_DISCORD_REGISTER")).toBe(true);
    expect((forbidden as AppError).message).toContain("DISCORD_GUILD_ID");
  });

  it("registers and prints the invite URL from the command line", async () => {
    fake = await FakeDiscord.start();
    const { stdout } = await runScript("discord-register.ts", [], {
      DISCORD_TOKEN: TOKEN,
      DISCORD_APP_ID: IDS.app,
      DISCORD_GUILD_ID: IDS.guild,
      DISCORD_API_URL: fake.apiUrl,
    });
    expect(stdout).toContain(`registered /ask in server ${IDS.guild}`);
    expect(stdout).toContain(
      `https://discord.com/oauth2/authorize?client_id=${IDS.app}&scope=bot+applications.commands`,
    );
    expect(stdout).not.toContain(TOKEN);
    expect(fake.find("PUT", /commands$/).map((r) => r.path)).toEqual([GUILD_COMMANDS]);
  });

  it("stops on a missing DISCORD_APP_ID before calling Discord", async () => {
    fake = await FakeDiscord.start();
    const failure = await runScript("discord-register.ts", [], {
      DISCORD_TOKEN: TOKEN,
      DISCORD_API_URL: fake.apiUrl,
    }).catch((e: { code: number; stderr: string }) => e);
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toContain("DISCORD_APP_ID is missing");
    expect((failure as { stderr: string }).stderr).not.toContain(TOKEN);
    expect(fake.requests).toHaveLength(0);
  });
});

describe("shards", () => {
  it("follows Discord's recommended shard count, scaled to the guilds per shard", async () => {
    fake = await FakeDiscord.start({ recommendedShards: 3 });
    expect(await recommendedShardCount(botConfig(fake))).toBe(3);
    expect(await recommendedShardCount(botConfig(fake), 500)).toBe(6);
    expect(await recommendedShardCount(botConfig(fake), 2_500)).toBe(2);
  });

  it("prints the shard plan from the command line", async () => {
    fake = await FakeDiscord.start({ recommendedShards: 2 });
    const { stdout } = await runScript("discord-shards.ts", ["--dry-run"], {
      DISCORD_TOKEN: TOKEN,
      DISCORD_APP_ID: IDS.app,
      DISCORD_API_URL: fake.apiUrl,
    });
    expect(stdout.trim()).toBe("2 shard(s)");
    expect(fake.find("GET", /^\/gateway\/bot$/)).toHaveLength(1);
  });
});
