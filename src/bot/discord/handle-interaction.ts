import {
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  MessageFlags,
} from "discord.js";
import { scopeForChannel } from "../../config.js";
import { answerQuestion, type ChatReply, deliver, QUOTES_PER_PAGE } from "../answer-flow.js";
import { ASK_COMMAND_NAME, QUESTION_OPTION } from "./command.js";
import type { HandlerContext } from "./context.js";
import { isGoneInteraction, restFailure } from "./failures.js";
import { EXPIRED_BUTTON, isMoreQuotesId, parseMoreQuotesId } from "./more-quotes.js";
import { interactionTarget } from "./reply-targets.js";

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
  await answerQuestion(
    ctx.flow,
    { text, user: interaction.user.id, conversation, scope },
    interactionTarget(interaction, ctx, { ephemeral: false, conversation }),
  );
}

/**
 * The next page of quotes of a posted answer, only to the person who pressed: anyone may press,
 * and the channel need not fill up. The quotes came with the answer: nothing is asked again.
 */
async function answerMoreQuotes(interaction: ButtonInteraction, ctx: HandlerContext): Promise<void> {
  if (!(await acknowledge(interaction, true, ctx))) return;
  const button = parseMoreQuotesId(interaction.customId);
  const posted = button && (await ctx.flow.quotes.get(button.key));
  const reply: ChatReply =
    button && posted
      ? {
          kind: "answer",
          answer: posted.answer,
          key: button.key,
          from: button.from,
          to: Math.min(button.from + QUOTES_PER_PAGE, posted.answer.passages.length),
        }
      : { kind: "notice", text: EXPIRED_BUTTON };
  await deliver(
    ctx.flow,
    interactionTarget(interaction, ctx, { ephemeral: true }),
    reply,
    "could not show more quotes",
    {
      interaction: interaction.id,
    },
  );
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
