import type { Answer, AskScope, StreamingAsk } from "../answer/types.js";
import { describeError } from "../errors.js";
import type { Logger } from "../logger.js";
import type { PostedAnswer, QuoteStore } from "./quote-store.js";

/** Quotes an answer shows at first, and each press of "More quotes" adds. */
export const QUOTES_PER_PAGE = 3;
/**
 * Passages asked for once: the first page and one more behind "More quotes".
 * They come with the answer, so paging asks nothing again.
 */
export const PASSAGES_FETCHED = 2 * QUOTES_PER_PAGE;

export const APOLOGY = "Sorry, something went wrong while answering that. Please try again in a moment.";

/** A question from a chat, already turned into plain text by its platform. */
export interface ChatQuestion {
  text: string;
  /** Platform user id. */
  user: string;
  /** Follow-ups in the same conversation are resolved against its earlier questions. */
  conversation: string;
  /** The episodes the channel is pinned to (CHANNEL_SCOPES); all when absent. */
  scope?: AskScope;
  /** The reply repeats the question (Slack's /ask, whose text the channel never sees). */
  echoQuestion?: boolean;
}

/**
 * What the flow hands a platform to render: the passages `from`..`to` of an
 * answer (its first page, or the next page of "More quotes"), or one line of
 * text (an apology, a notice).
 */
export type ChatReply =
  | {
      kind: "answer";
      /** The whole answer, every passage fetched. */
      answer: Answer;
      /** Its key in the quote store, for the buttons; absent when nothing was stored (not found). */
      key?: string;
      from: number;
      to: number;
    }
  | { kind: "notice"; text: string };

/**
 * Where the replies to one question go. Each platform implements it by
 * rendering `ChatReply` into its own messages; the flow decides what is sent
 * when.
 */
export interface ReplyTarget<Posted = unknown> {
  /** Sends a reply where the question was asked; resolves to what `edit` needs to replace it. */
  post(reply: ChatReply): Promise<Posted>;
  /**
   * Replaces a reply `post` sent. With it, the quotes go out as soon as they are found and the
   * LLM summary is edited in once it is checked; without it (a Slack response_url) the quotes
   * wait for the summary.
   */
  edit?(posted: Posted, reply: ChatReply): Promise<void>;
  /** Whether one `edit` can replace all of `reply` later (Discord: it fits one message). Default yes. */
  replaceable?(reply: ChatReply): boolean;
  /** Whether the apology should follow a reply that failed to send with `error`. */
  apologiseAfter(error: unknown): boolean;
}

/** What the flow needs from the adapter. */
export interface FlowDeps {
  /** The use case (behind the limits and the question log). */
  ask: StreamingAsk;
  log: Logger;
  quotes: QuoteStore;
  /** "slack" or "discord": for the limits, the logs and the metrics. */
  platform: string;
  /** Log fields of a failure to send (default: its message). Discord's leave out URLs that hold tokens. */
  failure?: (error: unknown) => Record<string, unknown>;
}

function failureFields(deps: FlowDeps, error: unknown): Record<string, unknown> {
  return deps.failure ? deps.failure(error) : { err: describeError(error) };
}

/**
 * Sends one reply. When that fails it is logged with `what`, followed by the
 * apology where the target allows it, so a question never meets silence.
 * Resolves true when the reply was sent; never throws.
 */
export async function deliver<P>(
  deps: FlowDeps,
  target: ReplyTarget<P>,
  reply: ChatReply,
  what: string,
  fields: Record<string, unknown> = {},
): Promise<boolean> {
  try {
    await target.post(reply);
    return true;
  } catch (error) {
    deps.log.error({ ...fields, ...failureFields(deps, error) }, what);
    if (target.apologiseAfter(error)) await apologise(deps, target, fields);
    return false;
  }
}

async function apologise<P>(deps: FlowDeps, target: ReplyTarget<P>, fields: Record<string, unknown>) {
  try {
    await target.post({ kind: "notice", text: APOLOGY });
  } catch (error) {
    deps.log.error({ ...fields, ...failureFields(deps, error) }, "could not deliver the apology either");
  }
}

/**
 * The one answer flow of every chat: asks, stores the answer for its buttons,
 * and sends it. With an LLM and a target that can edit, the quotes are posted
 * as soon as they are found and the checked summary is edited into the same
 * reply, instead of holding the quotes for the model; if that edit fails the
 * quotes stand on their own. A failure to answer is logged and apologised for.
 * Never throws.
 */
export async function answerQuestion<P>(
  deps: FlowDeps,
  question: ChatQuestion,
  target: ReplyTarget<P>,
): Promise<void> {
  const started = performance.now();
  const fields = { conversation: question.conversation };
  const failed = `${deps.platform} question failed`;
  let key: string | undefined;
  /**
   * The first page of `answer`, stored for its buttons first; the quotes and the answer that
   * replaces them share one stored entry.
   */
  const firstPage = async (answer: Answer): Promise<ChatReply> => {
    if (answer.status !== "not_found") {
      const posted: PostedAnswer = {
        answer,
        question: question.text,
        conversation: question.conversation,
        echoQuestion: question.echoQuestion,
        shown: QUOTES_PER_PAGE,
      };
      if (key === undefined) key = await deps.quotes.put(posted);
      else await deps.quotes.update(key, posted);
    }
    return { kind: "answer", answer, key, from: 0, to: Math.min(QUOTES_PER_PAGE, answer.passages.length) };
  };

  let early: { answer: Answer; posted: Promise<{ value: P } | undefined> } | undefined;
  let answer: Answer;
  try {
    answer = await deps.ask({
      text: question.text,
      user: question.user,
      conversation: question.conversation,
      limit: PASSAGES_FETCHED,
      platform: deps.platform,
      scope: question.scope,
      onQuotes: target.edit
        ? (quotes) => {
            // Settled here, not left to reject while the summary is written. Not posted (undefined)
            // when one edit could not replace it later: the whole answer then goes out at the end.
            const sent = firstPage(quotes).then((reply) =>
              target.replaceable?.(reply) === false
                ? undefined
                : target.post(reply).then(
                    (value) => ({ value }),
                    (error: unknown) => {
                      deps.log.warn(
                        { ...fields, ...failureFields(deps, error) },
                        "could not post the quotes ahead of the summary",
                      );
                      return undefined;
                    },
                  ),
            );
            early = { answer: quotes, posted: sent };
          }
        : undefined,
    });
  } catch (error) {
    deps.log.error({ ...fields, err: describeError(error) }, failed);
    await apologise(deps, target, fields);
    return;
  }

  const quotes = early && (await early.posted);
  if (early && quotes && target.edit) {
    if (answer !== early.answer) {
      try {
        await target.edit(quotes.value, await firstPage(answer));
      } catch (error) {
        deps.log.warn(
          { ...fields, ...failureFields(deps, error) },
          "could not add the summary to the posted quotes",
        );
      }
    }
  } else if (!(await deliver(deps, target, await firstPage(answer), failed, fields))) {
    return;
  }
  // The core writes the one info line per question; this adds where it went, for debugging.
  deps.log.debug(
    {
      ...fields,
      status: answer.status,
      passages: answer.passages.length,
      ms: Math.round(performance.now() - started),
    },
    `${deps.platform} question answered`,
  );
}
