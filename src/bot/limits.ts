import type { Answer, AskInput, StreamingAsk, StreamingAskInput } from "../answer/types.js";
import { MemoryRateWindows, type RateWindows } from "../rate-windows.js";

/** The limits every platform shares, applied around `ask`. */
export interface LimitOptions {
  /**
   * Questions one person may ask per window (default one minute); 0 turns the
   * per-person limit off. Counted per platform and user id; a question without
   * a user (the evaluation) is never limited.
   */
  perMinute: number;
  /**
   * Questions looked up at once, for everyone together: from the moment one is
   * taken until its quotes are ready. Past it a question gets "busy" at once
   * instead of queueing: a queue would only grow under a flood, and the person
   * can ask again in a moment. The wait for an LLM summary does not count, so a
   * slow model does not turn questions away whose quotes take milliseconds;
   * the LLM layer bounds its own calls (LLM_MAX_IN_FLIGHT) and skips the
   * summary past that.
   */
  maxInFlight: number;
  /** Questions the per-person limit skips (the busy bound still applies), e.g. the terminal chat. */
  exempt?: (input: AskInput) => boolean;
  /**
   * Where each person's recent questions are counted (Redis, to hold the limit across replicas).
   * Default: this process's memory, with the three settings below.
   */
  windows?: RateWindows;
  windowMs?: number;
  /** People remembered at most; the least recently active are forgotten past this, so memory stays flat. */
  maxUsers?: number;
  now?: () => number;
}

/** `ask` behind the limits, with what the limits hold now (for metrics and tests). */
export interface LimitedAsk extends StreamingAsk {
  /** Answers being worked on now: looked up, or waiting for their summary. */
  readonly inFlight: number;
  /** Questions being looked up now: what `maxInFlight` bounds. */
  readonly lookingUp: number;
}

export const BUSY_MESSAGE =
  "I'm busy answering a lot of questions right now. Please try again in a few seconds.";

export function rateLimitedMessage(perMinute: number): string {
  const questions = perMinute === 1 ? "one question" : `${perMinute} questions`;
  return `You're asking faster than I can keep up with (${questions} a minute). Please wait a moment and ask again.`;
}

function refusal(input: AskInput, limited: "rate" | "busy", message: string): Answer {
  return { status: "not_found", question: input.text.slice(0, 80), message, passages: [], limited };
}

/**
 * Wraps `ask` with a bound on questions being looked up (in this process: it
 * guards this process's CPU) and a per-person rate limit (in `windows`, which
 * may be shared by every replica). A refused question gets an `Answer` with
 * `limited` set and a friendly `message`, which every renderer shows like any
 * other `not_found` answer; it never throws. A question turned away as busy
 * uses up none of the person's allowance.
 */
export function limitAsk(ask: StreamingAsk, options: LimitOptions): LimitedAsk {
  const windows =
    options.windows ??
    new MemoryRateWindows({
      windowMs: options.windowMs ?? 60_000,
      maxKeys: options.maxUsers ?? 10_000,
      now: options.now,
    });
  let inFlight = 0;
  let lookingUp = 0;

  const limited = async (input: StreamingAskInput): Promise<Answer> => {
    if (lookingUp >= options.maxInFlight) return refusal(input, "busy", BUSY_MESSAGE);
    // Taken before the first await, so concurrent questions cannot all pass the bound.
    inFlight += 1;
    lookingUp += 1;
    let lookedUp = false;
    // The quotes are ready and only the summary is left: the question's place is free for the next.
    const done = () => {
      if (lookedUp) return;
      lookedUp = true;
      lookingUp -= 1;
    };
    try {
      const rated = options.perMinute > 0 && input.user !== undefined && !(options.exempt?.(input) ?? false);
      const key = `ask:${input.platform ?? ""}:${input.user ?? ""}`;
      if (rated && !(await windows.take([{ key, limit: options.perMinute }]))) {
        return refusal(input, "rate", rateLimitedMessage(options.perMinute));
      }
      return await ask({
        ...input,
        onQuotes: (quotes) => {
          done();
          input.onQuotes?.(quotes);
        },
      });
    } finally {
      done();
      inFlight -= 1;
    }
  };
  return Object.defineProperties(limited, {
    inFlight: { get: () => inFlight },
    lookingUp: { get: () => lookingUp },
  }) as LimitedAsk;
}
