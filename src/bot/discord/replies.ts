import type { Answer, AnswerPassage, AskInput } from "../../answer/types.js";
import { describeError } from "../../errors.js";
import type { HandlerContext } from "./context.js";
import { type MoreQuotesState, newMoreQuotesKey } from "./more-quotes.js";
import { type DiscordReply, renderAnswer, renderNotice } from "./render.js";

/** Quotes per answer, and per press of "More quotes". */
export const QUOTES_PER_PAGE = 3;
/** Passages asked for once: the first page, and two more pages for "More quotes". */
export const PASSAGES_FETCHED = 3 * QUOTES_PER_PAGE;
export const APOLOGY = "Sorry, something went wrong while answering that. Please try again in a moment.";
export const EXPIRED_BUTTON = "Those quotes are no longer at hand: please ask again with /ask.";

/**
 * A page of quotes, with a "More quotes" button that holds the rest when there are any.
 * Only the first page carries the summary: it spoke about the best quotes.
 */
function page(
  ctx: HandlerContext,
  answer: Answer,
  passages: AnswerPassage[],
  key = newMoreQuotesKey(),
): DiscordReply[] {
  const rest = passages.slice(QUOTES_PER_PAGE);
  const moreQuotesId =
    rest.length > 0
      ? ctx.moreQuotes.register(
          { question: answer.question, status: answer.status, message: answer.message, remaining: rest },
          key,
        )
      : undefined;
  return renderAnswer({ ...answer, passages: passages.slice(0, QUOTES_PER_PAGE) }, { moreQuotesId });
}

/**
 * Shows the first message of an answer ahead of the rest: the quotes, while an LLM summary is
 * still being written. Resolves true once shown; never rejects.
 */
export type ShowEarly = (reply: DiscordReply) => Promise<boolean>;

/**
 * Asks once and renders the first page. A failure inside the bot becomes a short apology (and
 * a log line), never silence. With `showEarly`, quotes that fit one message go out before the
 * summary; the replies returned then replace that message (none when the summary added nothing).
 */
export async function answerReplies(
  ctx: HandlerContext,
  input: Omit<AskInput, "limit">,
  showEarly?: ShowEarly,
): Promise<DiscordReply[]> {
  try {
    let early: { answer: Answer; shown: Promise<boolean> } | undefined;
    // The early quotes and the answer that replaces them share one "More quotes" state.
    const key = newMoreQuotesKey();
    const answer = await ctx.ask({
      ...input,
      limit: PASSAGES_FETCHED,
      platform: "discord",
      onQuotes: showEarly
        ? (quotes) => {
            const [first, ...more] = page(ctx, quotes, quotes.passages, key);
            // Quotes that take several messages wait: the summary would have to undo all of them.
            if (first && more.length === 0) early = { answer: quotes, shown: showEarly(first) };
          }
        : undefined,
    });
    if (early && (await early.shown) && answer === early.answer) return [];
    return page(ctx, answer, answer.passages, key);
  } catch (error) {
    ctx.log.error({ err: describeError(error) }, "answering a Discord question failed");
    return renderNotice(APOLOGY);
  }
}

/** The next page of quotes for a "More quotes" button (`state` undefined: the button expired). */
export function moreQuotesReplies(ctx: HandlerContext, state: MoreQuotesState | undefined): DiscordReply[] {
  if (!state) return renderNotice(EXPIRED_BUTTON);
  const { question, status, message, remaining } = state;
  return page(ctx, { status, question, ...(message ? { message } : {}), passages: [] }, remaining);
}
