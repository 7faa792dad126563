import type { App, BlockAction, ButtonAction, RespondFn } from "@slack/bolt";
import { describeError } from "../../../errors.js";
import type { Vote } from "../../feedback.js";
import type { SlackDeps } from "../answer-question.js";
import { ACTION_VOTE_DOWN, ACTION_VOTE_UP } from "../render.js";

export const FEEDBACK_THANKS: Record<Vote, string> = {
  up: "Thanks for the 👍, it helps tune the answers.",
  down: "Thanks for the 👎, it helps tune the answers.",
};
export const FEEDBACK_EXPIRED = "That answer is too old to rate: please ask again.";
export const FEEDBACK_FAILED = "Sorry, your feedback could not be recorded. Please try again later.";

function tell(respond: RespondFn, text: string, deps: SlackDeps): Promise<void> {
  return respond({ response_type: "ephemeral", replace_original: false, text }).then(
    () => undefined,
    (error: unknown) => deps.log.warn({ err: describeError(error) }, "could not confirm feedback"),
  );
}

/**
 * 👍/👎 under an answer: appends the vote to the feedback log (time, user,
 * question, the passages shown, vote) and thanks the voter privately. The same
 * vote clicked twice by the same person is logged once.
 */
export function registerFeedback(app: App, deps: SlackDeps): void {
  const actionIds = new RegExp(`^(${ACTION_VOTE_UP}|${ACTION_VOTE_DOWN})$`);
  app.action<BlockAction<ButtonAction>>(actionIds, async ({ ack, body, action, respond }) => {
    await ack();
    const vote: Vote = action.action_id === ACTION_VOTE_UP ? "up" : "down";
    const key = action.value ?? "";
    const stored = await deps.flow.quotes.get(key);
    if (!stored) {
      await tell(respond, FEEDBACK_EXPIRED, deps);
      return;
    }
    const user = body.user.id;
    // Swapped before writing, so that of two clicks at once (on two replicas) only one is logged.
    const previous = await deps.flow.quotes.swapVote(key, user, vote);
    if (previous !== vote) {
      try {
        await deps.feedbackLog.record({
          platform: "slack",
          user,
          question: stored.question,
          conversation: stored.conversation,
          passages: stored.answer.passages.slice(0, stored.shown).map((passage) => passage.id),
          vote,
        });
      } catch (error) {
        deps.log.error({ err: describeError(error) }, "could not write the feedback log");
        // Not recorded: a click again should try again.
        await deps.flow.quotes.swapVote(key, user, previous);
        await tell(respond, FEEDBACK_FAILED, deps);
        return;
      }
    }
    await tell(respond, FEEDBACK_THANKS[vote], deps);
  });
}
