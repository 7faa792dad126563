import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { describeError } from "../../../errors.js";
import { QUOTES_PER_PAGE } from "../../answer-flow.js";
import type { SlackDeps } from "../answer-question.js";
import { ACTION_MORE_QUOTES, renderAnswer } from "../render.js";

export const ANSWER_EXPIRED = "That answer is too old to expand: please ask again.";

/**
 * "More quotes": shows the next passages of the stored answer by replacing the
 * message in place (no second search). A message only the asker sees is
 * replaced through the click's `response_url`, others with `chat.update`,
 * falling back to the `response_url` when the update is refused.
 */
export function registerMoreQuotes(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(
    ACTION_MORE_QUOTES,
    async ({ ack, body, action, client, respond }) => {
      await ack();
      const key = action.value ?? "";
      try {
        const stored = await deps.flow.quotes.get(key);
        if (!stored) {
          await respond({ response_type: "ephemeral", replace_original: false, text: ANSWER_EXPIRED });
          return;
        }
        stored.shown = Math.min(stored.answer.passages.length, stored.shown + QUOTES_PER_PAGE);
        // Stored before the message changes, so a 👍/👎 on it logs the passages it shows.
        await deps.flow.quotes.update(key, stored);
        const message = renderAnswer(stored.answer, {
          shown: stored.shown,
          answerKey: key,
          question: stored.question,
          echoQuestion: stored.echoQuestion,
        });
        const channel = body.channel?.id ?? body.container.channel_id;
        const ts = body.message?.ts;
        if (body.container.is_ephemeral !== true && typeof channel === "string" && ts !== undefined) {
          try {
            await client.chat.update({ channel, ts, text: message.text, blocks: message.blocks });
            return;
          } catch (error) {
            deps.log.warn(
              { err: describeError(error) },
              "chat.update refused; replacing through response_url",
            );
          }
        }
        await respond({ replace_original: true, text: message.text, blocks: message.blocks });
      } catch (error) {
        deps.log.error({ err: describeError(error) }, "could not show more quotes");
      }
    },
  );
}
