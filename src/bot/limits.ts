import type { Answer, AskInput, StreamingAsk, StreamingAskInput } from "../answer/types.js";
import { expiringMap } from "../expiring-map.js";

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
  /** People whose recent questions are remembered now. */
  readonly trackedUsers: number;
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
 * Wraps `ask` with a per-person rate limit (a sliding window of accepted
 * questions) and a bound on questions being looked up. A refused question gets an
 * `Answer` with `limited` set and a friendly `message`, which every renderer
 * shows like any other `not_found` answer; it never throws.
 */
export function limitAsk(ask: StreamingAsk, options: LimitOptions): LimitedAsk {
  const windowMs = options.windowMs ?? 60_000;
  const maxUsers = options.maxUsers ?? 10_000;
  const now = options.now ?? Date.now;
  // Each person's accepted questions within the window. A person quiet for a whole window has
  // nothing left to count, so the entry may go; past maxUsers the least recently active go first.
  const recent = expiringMap<string, number[]>({ max: maxUsers, ttlMs: windowMs, now: options.now });
  let inFlight = 0;
  let lookingUp = 0;

  const recentOf = (key: string, at: number): number[] =>
    (recent.get(key) ?? []).filter((t) => at - t < windowMs);

  const limited = async (input: StreamingAskInput): Promise<Answer> => {
    const rated = options.perMinute > 0 && input.user !== undefined && !(options.exempt?.(input) ?? false);
    const key = `${input.platform ?? ""}:${input.user ?? ""}`;
    const at = now();
    const times = rated ? recentOf(key, at) : [];
    if (rated && times.length >= options.perMinute) {
      recent.set(key, times);
      return refusal(input, "rate", rateLimitedMessage(options.perMinute));
    }
    if (lookingUp >= options.maxInFlight) {
      if (rated && times.length > 0) recent.set(key, times);
      return refusal(input, "busy", BUSY_MESSAGE);
    }
    if (rated) {
      times.push(at);
      recent.set(key, times);
    }
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
    trackedUsers: { get: () => recent.size },
  }) as LimitedAsk;
}
