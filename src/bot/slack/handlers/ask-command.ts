import type { App, RespondFn } from "@slack/bolt";
import { describeError } from "../../../errors.js";
import { answerQuestion, conversationId, type Deliver, type SlackDeps } from "../answer-question.js";
import { fromSlackText } from "../escape.js";
import { renderNotice } from "../render.js";

/** The slash command the manifest declares. */
export const ASK_COMMAND = "/ask";

export const ASK_USAGE =
  "Ask about the episode, e.g. `/ask what did Holly say about cold starts?` " +
  "Add `--private` to see the answer alone, or `--public` to share it with the channel.";

/** The question of an `/ask` and whether only the asker should see the answer. */
export function parseAskCommand(
  text: string,
  ephemeralByDefault: boolean,
): { text: string; ephemeral: boolean } {
  let rest = text.trim();
  let ephemeral = ephemeralByDefault;
  for (;;) {
    const flag = /^(--private|--public|-p)(?=\s|$)\s*/i.exec(rest);
    if (!flag) break;
    ephemeral = flag[1]?.toLowerCase() !== "--public";
    rest = rest.slice(flag[0].length);
  }
  return { text: rest, ephemeral };
}

function respondWith(respond: RespondFn, ephemeral: boolean): Deliver {
  return (message) =>
    respond({
      response_type: ephemeral ? "ephemeral" : "in_channel",
      text: message.text,
      blocks: message.blocks,
      unfurl_links: false,
      unfurl_media: false,
    });
}

/**
 * `/ask question`: acknowledged at once, then answered through the command's
 * `response_url`, which works in any channel or DM without the bot being a
 * member. Visible to the channel, or only to the asker with `--private` (or
 * `SLACK_ASK_EPHEMERAL`). The asker's `/ask`s in a channel form one conversation.
 */
export function registerAskCommand(app: App, deps: SlackDeps): void {
  app.command(ASK_COMMAND, async ({ command, ack, respond, context }) => {
    await ack();
    const parsed = parseAskCommand(fromSlackText(command.text, context.botUserId), deps.ephemeralByDefault);
    if (parsed.text === "") {
      await respondWith(
        respond,
        true,
      )(renderNotice(ASK_USAGE)).catch((error: unknown) => {
        deps.log.warn({ err: describeError(error) }, "could not send /ask usage");
      });
      return;
    }
    await answerQuestion(
      deps,
      {
        text: parsed.text,
        user: command.user_id,
        conversation: conversationId(command.channel_id, `ask-${command.user_id}`),
        channel: command.channel_id,
        echoQuestion: true,
      },
      // A response_url message cannot be updated in place, so the quotes wait for the summary here.
      { deliver: respondWith(respond, parsed.ephemeral) },
    );
  });
}
