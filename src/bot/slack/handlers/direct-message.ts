import type { App } from "@slack/bolt";
import { answerMessage, type SlackDeps } from "../answer-question.js";
import { claimMessage } from "../claim-message.js";

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
    if (!(await claimMessage(deps, message.channel, message.ts))) return;
    await answerMessage(deps, client, context.botUserId, {
      text: message.text,
      user: message.user,
      channel: message.channel,
      threadTs: message.thread_ts,
    });
  });
}
