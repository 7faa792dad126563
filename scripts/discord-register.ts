import { Command } from "commander";
import { inviteUrl } from "../src/bot/discord/invite.js";
import { registerCommands } from "../src/bot/discord/register.js";
import { validateDiscordConfig } from "../src/bot/discord/settings.js";
import { run, setup } from "../src/cli/setup.js";

const program = new Command()
  .name("discord:register")
  .description(
    "Register /ask with Discord (in DISCORD_GUILD_ID when set, else globally) and print the invite URL.",
  )
  .option("--invite-only", "only print the invite URL", false)
  .parse();

const options = program.opts<{ inviteOnly: boolean }>();

run(async () => {
  const { config } = setup();
  const discord = validateDiscordConfig(config.discord);
  if (!options.inviteOnly) {
    const result = await registerCommands(discord);
    const where =
      result.scope === "guild"
        ? `in server ${discord.guildId} (usable now)`
        : "globally (can take a few minutes to show up in every server)";
    process.stdout.write(`registered ${result.names.map((n) => `/${n}`).join(", ")} ${where}\n`);
  }
  process.stdout.write(
    `invite the bot with the minimal permissions:\n  ${inviteUrl(discord.appId, { replyInThread: discord.replyInThread })}\n`,
  );
});
