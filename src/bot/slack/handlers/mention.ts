import type { App } from "@slack/bolt";
import { answerQuestion, conversationId, postTo, type SlackDeps } from "../answer-question.js";
import { claimMessage } from "../claim-message.js";
import { fromSlackText } from "../escape.js";

/**
 * `@bot question` in a channel: answered in the question's thread (a new
 * thread under it when it was not in one), and the thread is the conversation.
 */
export function registerMention(app: App, deps: SlackDeps): void {
  app.event("app_mention", async ({ event, client, context }) => {
    // In a DM the same message also arrives as `message.im`, which answers it.
    if (event.channel.startsWith("D")) return;
    if (!event.user) return;
    if (!(await claimMessage(deps, event.channel, event.ts))) return;
    const threadTs = event.thread_ts ?? event.ts;
    await answerQuestion(
      deps,
      {
        text: fromSlackText(event.text, context.botUserId),
        user: event.user,
        conversation: conversationId(event.channel, threadTs),
        channel: event.channel,
      },
      postTo(deps, client, event.channel, threadTs),
    );
  });
}
