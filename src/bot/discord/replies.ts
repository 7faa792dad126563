import type { AskInput } from "../../answer/types.js";
import { describeError } from "../../errors.js";
import type { HandlerContext } from "./context.js";
import type { MoreQuotesState } from "./more-quotes.js";
import { type DiscordReply, renderAnswer, renderNotice } from "./render.js";

/** Quotes per answer, and per press of "More quotes". */
export const QUOTES_PER_PAGE = 3;
export const APOLOGY = "Sorry, something went wrong while answering that. Please try again in a moment.";
export const NO_MORE_QUOTES = "No more quotes on that.";
export const EXPIRED_BUTTON = "Those quotes are no longer at hand: please ask again with /ask.";

/**
 * Asks and renders. A failure inside the bot becomes a short apology (and a
 * log line), never silence; a "More quotes" button is offered when the page
 * was full, since only then can there be more.
 */
export async function answerReplies(
  ctx: HandlerContext,
  input: Omit<AskInput, "limit">,
): Promise<DiscordReply[]> {
  try {
    const answer = await ctx.ask({ ...input, limit: QUOTES_PER_PAGE, platform: "discord" });
    const full = answer.status !== "not_found" && answer.passages.length >= QUOTES_PER_PAGE;
    const moreQuotesId = full
      ? ctx.moreQuotes.register({
          question: answer.question,
          shown: answer.passages.map((p) => p.id),
          scope: input.scope,
        })
      : undefined;
    return renderAnswer(answer, { moreQuotesId });
  } catch (error) {
    ctx.log.error({ err: describeError(error) }, "answering a Discord question failed");
    return renderNotice(APOLOGY);
  }
}

/** The next page of quotes for a "More quotes" button (`state` undefined: the button expired). */
export async function moreQuotesReplies(
  ctx: HandlerContext,
  state: MoreQuotesState | undefined,
  user: string,
): Promise<DiscordReply[]> {
  if (!state) return renderNotice(EXPIRED_BUTTON);
  try {
    const limit = state.shown.length + QUOTES_PER_PAGE;
    // No conversation: the stored question already stands on its own, and paging is not a new question.
    const answer = await ctx.ask({
      text: state.question,
      user,
      limit,
      platform: "discord",
      scope: state.scope,
    });
    const seen = new Set(state.shown);
    const fresh = answer.passages.filter((p) => !seen.has(p.id));
    if (answer.status === "not_found" || fresh.length === 0) return renderNotice(NO_MORE_QUOTES);
    const moreQuotesId =
      answer.passages.length >= limit
        ? ctx.moreQuotes.register({
            question: state.question,
            shown: [...state.shown, ...fresh.map((p) => p.id)],
            scope: state.scope,
          })
        : undefined;
    // The summary spoke about the first quotes; the next page shows quotes alone.
    return renderAnswer(
      { status: answer.status, question: state.question, message: answer.message, passages: fresh },
      { moreQuotesId },
    );
  } catch (error) {
    ctx.log.error({ err: describeError(error) }, "fetching more quotes failed");
    return renderNotice(APOLOGY);
  }
}
