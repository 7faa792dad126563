import {
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  MessageFlags,
} from "discord.js";
import { scopeForChannel } from "../../config.js";
import { ASK_COMMAND_NAME, QUESTION_OPTION } from "./command.js";
import type { HandlerContext } from "./context.js";
import { isGoneInteraction, restFailure } from "./failures.js";
import { isMoreQuotesId } from "./more-quotes.js";
import { followUpOptions, messageOptions } from "./payload.js";
import { type DiscordReply, renderNotice } from "./render.js";
import { APOLOGY, answerReplies, moreQuotesReplies } from "./replies.js";

type Answerable = ChatInputCommandInteraction | ButtonInteraction;

/** `/ask` and the "More quotes" button; every other interaction is not ours. Nothing here throws. */
export async function handleInteraction(interaction: Interaction, ctx: HandlerContext): Promise<void> {
  if (interaction.isChatInputCommand() && interaction.commandName === ASK_COMMAND_NAME) {
    await answerCommand(interaction, ctx);
  } else if (interaction.isButton() && isMoreQuotesId(interaction.customId)) {
    await answerMoreQuotes(interaction, ctx);
  }
}

async function answerCommand(interaction: ChatInputCommandInteraction, ctx: HandlerContext): Promise<void> {
  // Discord allows 3 s for the first response; the answer may take longer (an LLM summary).
  if (!(await acknowledge(interaction, false, ctx))) return;
  const channel = interaction.channel;
  const conversation = ctx.conversations.resolve({
    threadId: channel?.isThread() ? channel.id : undefined,
    dmChannelId: interaction.inGuild() ? undefined : (interaction.channelId ?? undefined),
    rootId: interaction.id,
  });
  const text = interaction.options.getString(QUESTION_OPTION, true);
  const parent = channel?.isThread() ? channel.parentId : undefined;
  const scope = scopeForChannel(ctx.channelScopes, interaction.channelId, parent);
  // The quotes replace "thinking…" at once; the summary, when it comes, replaces them in turn.
  const showEarly = async (reply: DiscordReply): Promise<boolean> => {
    try {
      const sent = await interaction.editReply(messageOptions(reply));
      ctx.conversations.remember(sent.id, conversation);
      return true;
    } catch (error) {
      ctx.log.warn({ ...restFailure(error), interaction: interaction.id }, "could not show the quotes early");
      return false;
    }
  };
  const replies = await answerReplies(
    ctx,
    { text, user: interaction.user.id, conversation, scope },
    showEarly,
  );
  await respond(interaction, replies, false, conversation, ctx);
}

async function answerMoreQuotes(interaction: ButtonInteraction, ctx: HandlerContext): Promise<void> {
  // Only the person who pressed sees the next quotes: anyone may press, the channel need not fill up.
  if (!(await acknowledge(interaction, true, ctx))) return;
  const state = ctx.moreQuotes.lookup(interaction.customId);
  const replies = moreQuotesReplies(ctx, state);
  await respond(interaction, replies, true, undefined, ctx);
}

async function acknowledge(
  interaction: Answerable,
  ephemeral: boolean,
  ctx: HandlerContext,
): Promise<boolean> {
  try {
    await interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
    return true;
  } catch (error) {
    const why = isGoneInteraction(error)
      ? "interaction expired or already answered"
      : "could not acknowledge";
    ctx.log.warn({ ...restFailure(error), interaction: interaction.id }, `${why}: skipped`);
    return false;
  }
}

/**
 * Edits the deferred reply into the first message and follows up with the
 * rest. When the edit itself fails (other than for a gone interaction), one
 * more edit turns the "thinking…" placeholder into a short apology.
 */
async function respond(
  interaction: Answerable,
  replies: DiscordReply[],
  ephemeral: boolean,
  conversation: string | undefined,
  ctx: HandlerContext,
): Promise<void> {
  for (const [index, reply] of replies.entries()) {
    try {
      const sent =
        index === 0
          ? await interaction.editReply(messageOptions(reply))
          : await interaction.followUp(followUpOptions(reply, ephemeral));
      if (conversation) ctx.conversations.remember(sent.id, conversation);
    } catch (error) {
      ctx.log.warn({ ...restFailure(error), interaction: interaction.id }, "could not send a Discord answer");
      if (index === 0 && !isGoneInteraction(error)) await apologise(interaction, ctx);
      return;
    }
  }
}

async function apologise(interaction: Answerable, ctx: HandlerContext): Promise<void> {
  const [apology] = renderNotice(APOLOGY);
  if (!apology) return;
  try {
    await interaction.editReply(messageOptions(apology));
  } catch (error) {
    ctx.log.warn({ ...restFailure(error), interaction: interaction.id }, "could not send the apology either");
  }
}
