import { Assistant } from "@slack/bolt";
import { describeError } from "../../../errors.js";
import { answerMessage, type SlackDeps } from "../answer-question.js";
import { claimMessage } from "../claim-message.js";

/** Shown when someone opens the AI side panel; each sends its `message` when clicked. */
export const SUGGESTED_PROMPTS = [
  { title: "Cold starts", message: "What did Holly say about cold starts?" },
  { title: "EFS for Lambda", message: "Why did they build EFS for Lambda?" },
  { title: "Provisioned Concurrency", message: "What is Provisioned Concurrency for?" },
  { title: "Firecracker", message: "What did they say about Firecracker?" },
];

export const ASSISTANT_GREETING =
  "Hi! Ask me anything about the episode: I answer with what was said, and who said it.";

/** The status line under the thread while the answer is being prepared. */
export const ASSISTANT_STATUS = "Searching the episode…";

/**
 * The AI app side panel (Bolt's `Assistant`): a greeting and suggested prompts
 * when a thread opens, and each message answered in its thread with a status
 * line meanwhile (Slack clears it when the reply is posted). The thread is the
 * conversation. The context store is a no-op: the answer does not depend on
 * which channel the person is viewing, and the default store would read thread
 * history with `conversations.replies`, which is heavily rate limited.
 */
export function createAssistant(deps: SlackDeps): Assistant {
  return new Assistant({
    threadContextStore: { get: async () => ({}), save: async () => undefined },
    threadStarted: async ({ event, client, setSuggestedPrompts }) => {
      const { channel_id: channel, thread_ts: threadTs } = event.assistant_thread;
      try {
        await deps.post(client, { channel, thread_ts: threadTs, text: ASSISTANT_GREETING });
        await setSuggestedPrompts({ title: "Try asking:", prompts: SUGGESTED_PROMPTS });
      } catch (error) {
        deps.log.warn({ err: describeError(error) }, "could not greet the assistant thread");
      }
    },
    threadContextChanged: async () => undefined,
    userMessage: async ({ message, client, context, setStatus }) => {
      if (message.subtype !== undefined || message.bot_id || !message.user || !message.text) return;
      const threadTs = message.thread_ts;
      if (threadTs === undefined) return;
      // Before the status line: a duplicate must not leave "Searching…" under an answered thread.
      if (!(await claimMessage(deps, message.channel, message.ts))) return;
      try {
        await setStatus(ASSISTANT_STATUS);
      } catch (error) {
        // A missing status line is no reason not to answer.
        deps.log.warn({ err: describeError(error) }, "could not set the assistant status");
      }
      await answerMessage(deps, client, context.botUserId, {
        text: message.text,
        user: message.user,
        channel: message.channel,
        threadTs,
      });
    },
  });
}
