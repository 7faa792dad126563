import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord.js";
import { MAX_QUESTION_CHARS } from "../../answer/ask.js";

export const ASK_COMMAND_NAME = "ask";
export const QUESTION_OPTION = "question";
/** The optional show or episode to ask about, offered as the asker types (autocomplete). */
export const WITHIN_OPTION = "in";
/** Discord's most choices in one autocomplete response, and longest choice name and value. */
export const MAX_CHOICES = 25;
export const MAX_CHOICE_CHARS = 100;

/**
 * `/ask question:<text> [in:<show or episode>]`, as registered with Discord. Usable in servers
 * and in DMs with the bot; Discord itself caps the question at the length `ask` accepts. `in`
 * offers the shows and episodes (those of the channel's scope) as the asker types.
 */
export const ASK_COMMAND: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  type: ApplicationCommandType.ChatInput,
  name: ASK_COMMAND_NAME,
  description: "Ask about the episodes; the answer quotes what was said, and who said it.",
  options: [
    {
      type: ApplicationCommandOptionType.String,
      name: QUESTION_OPTION,
      description: "Your question, e.g. what did Holly say about cold starts?",
      required: true,
      max_length: MAX_QUESTION_CHARS,
    },
    {
      type: ApplicationCommandOptionType.String,
      name: WITHIN_OPTION,
      description: "Only this show or episode (start typing to pick one)",
      required: false,
      autocomplete: true,
      max_length: MAX_CHOICE_CHARS,
    },
  ],
  integration_types: [ApplicationIntegrationType.GuildInstall],
  contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
};

/** Every command the bot registers. */
export const COMMANDS = [ASK_COMMAND];
