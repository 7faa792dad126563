import type { App } from "@slack/bolt";
import { answerQuestion, conversationId, postTo, type SlackDeps } from "../answer-question.js";
import { fromSlackText } from "../escape.js";

/**
 * A direct message to the bot. A top-level DM is answered in the DM itself and
 * the whole DM is one conversation; a DM thread is answered in its thread (the
 * Assistant handler takes those when the AI side panel is on).
 */
export function registerDirectMessage(app: App, deps: SlackDeps): void {
  app.message(async ({ message, client, context }) => {
    if (message.channel_type !== "im") return;
    // Edits, deletions, joins and bot posts carry a subtype: only a person's new message is a question.
    if (message.subtype !== undefined || message.bot_id || !message.user || !message.text) return;
    const threadTs = message.thread_ts;
    await answerQuestion(
      deps,
      {
        text: fromSlackText(message.text, context.botUserId),
        user: message.user,
        conversation: conversationId(message.channel, threadTs),
      },
      postTo(client, message.channel, threadTs),
    );
  });
}
