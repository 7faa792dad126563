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

/**
 * `/ask question:<text>`, as registered with Discord. Usable in servers and in
 * DMs with the bot; Discord itself caps the question at the length `ask` accepts.
 */
export const ASK_COMMAND: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  type: ApplicationCommandType.ChatInput,
  name: ASK_COMMAND_NAME,
  description: "Ask about the episode; the answer quotes what was said, and who said it.",
  options: [
    {
      type: ApplicationCommandOptionType.String,
      name: QUESTION_OPTION,
      description: "Your question, e.g. what did Holly say about cold starts?",
      required: true,
      max_length: MAX_QUESTION_CHARS,
    },
  ],
  integration_types: [ApplicationIntegrationType.GuildInstall],
  contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
};

/** Every command the bot registers. */
export const COMMANDS = [ASK_COMMAND];
