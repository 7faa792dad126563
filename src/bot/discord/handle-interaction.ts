import {
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  MessageFlags,
} from "discord.js";
import { resolveScopeName, scopeChoices } from "../../answer/scope-names.js";
import { scopeForChannel } from "../../config.js";
import { answerQuestion, type ChatReply, deliver, QUOTES_PER_PAGE } from "../answer-flow.js";
import {
  ASK_COMMAND_NAME,
  MAX_CHOICE_CHARS,
  MAX_CHOICES,
  QUESTION_OPTION,
  WITHIN_OPTION,
} from "./command.js";
import type { HandlerContext } from "./context.js";
import { isGoneInteraction, restFailure } from "./failures.js";
import { EXPIRED_BUTTON, isMoreQuotesId, parseMoreQuotesId } from "./more-quotes.js";
import { followUpOptions } from "./payload.js";
import { renderNotice } from "./render.js";
import { interactionTarget } from "./reply-targets.js";
import { truncate } from "./text.js";

type Answerable = ChatInputCommandInteraction | ButtonInteraction;

/**
 * `/ask`, the shows and episodes its `in` option offers, and the "More quotes" button; every
 * other interaction is not ours. Nothing here throws.
 */
export async function handleInteraction(interaction: Interaction, ctx: HandlerContext): Promise<void> {
  if (interaction.isChatInputCommand() && interaction.commandName === ASK_COMMAND_NAME) {
    await answerCommand(interaction, ctx);
  } else if (interaction.isAutocomplete() && interaction.commandName === ASK_COMMAND_NAME) {
    await offerScopes(interaction, ctx);
  } else if (interaction.isButton() && isMoreQuotesId(interaction.customId)) {
    await answerMoreQuotes(interaction, ctx);
  }
}

/** The CHANNEL_SCOPES entry of the channel asked in, or of the channel a thread is in. */
function channelScope(
  interaction: ChatInputCommandInteraction | AutocompleteInteraction,
  ctx: HandlerContext,
) {
  const channel = interaction.channel;
  const parent = channel?.isThread() ? channel.parentId : undefined;
  return scopeForChannel(ctx.channelScopes, interaction.channelId, parent);
}

async function answerCommand(interaction: ChatInputCommandInteraction, ctx: HandlerContext): Promise<void> {
  let scope = channelScope(interaction, ctx);
  const within = interaction.options.getString(WITHIN_OPTION);
  if (within !== null) {
    const named = resolveScopeName(within, ctx.episodes(), scope);
    // Told to the asker alone, before anything is searched: the channel need not see a typo.
    if ("problem" in named) return refuse(interaction, named.problem, ctx);
    scope = named.scope;
  }
  // Discord allows 3 s for the first response; the answer may take longer (an LLM summary).
  if (!(await acknowledge(interaction, false, ctx))) return;
  const channel = interaction.channel;
  const conversation = await ctx.conversations.resolve({
    threadId: channel?.isThread() ? channel.id : undefined,
    dmChannelId: interaction.inGuild() ? undefined : (interaction.channelId ?? undefined),
    rootId: interaction.id,
  });
  const text = interaction.options.getString(QUESTION_OPTION, true);
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

/** Answers an `/ask` at once, to the asker alone, with why nothing was searched (an unknown `in`). */
async function refuse(interaction: ChatInputCommandInteraction, text: string, ctx: HandlerContext) {
  const [notice] = renderNotice(text);
  if (!notice) return;
  try {
    await interaction.reply(followUpOptions(notice, true));
  } catch (error) {
    ctx.log.warn(
      { ...restFailure(error), interaction: interaction.id },
      "could not tell the asker why nothing was searched",
    );
  }
}

/** The shows and episodes whose name holds what the asker has typed into `in`, within the channel's scope. */
async function offerScopes(interaction: AutocompleteInteraction, ctx: HandlerContext): Promise<void> {
  const focused = interaction.options.getFocused(true);
  const choices =
    focused.name === WITHIN_OPTION
      ? scopeChoices(focused.value, ctx.episodes(), channelScope(interaction, ctx), MAX_CHOICES).map((c) => ({
          name: truncate(c.name, MAX_CHOICE_CHARS),
          value: c.value.slice(0, MAX_CHOICE_CHARS),
        }))
      : [];
  try {
    await interaction.respond(choices);
  } catch (error) {
    // Expired (3 s) or already answered: the asker simply sees no suggestions.
    ctx.log.debug(
      { ...restFailure(error), interaction: interaction.id },
      "could not offer shows and episodes",
    );
  }
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
