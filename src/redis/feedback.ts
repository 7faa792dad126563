import type { FeedbackEntry, FeedbackLog } from "../bot/feedback.js";
import type { RedisLink } from "./link.js";

/** Votes kept in the stream at most (about 30 MB); older ones are trimmed. Export them before that. */
export const FEEDBACK_STREAM_MAX = 100_000;

/**
 * Feedback in a Redis stream (`PREFIX` + `feedback`), one entry per vote with
 * one field, `entry`: the same JSON object a line of the FEEDBACK_LOG file
 * holds, so `redis-cli --raw XRANGE quotebot:feedback - + | grep '^{'` gives
 * the JSON Lines file of every replica's votes. While Redis is away, votes go
 * to `fallback` (the FEEDBACK_LOG file of this process).
 */
export function createRedisFeedbackLog(
  link: RedisLink,
  fallback: FeedbackLog,
  now: () => Date = () => new Date(),
): FeedbackLog {
  return {
    record(entry: FeedbackEntry): Promise<void> {
      const line = JSON.stringify({ time: now().toISOString(), ...entry });
      return link.run(
        async (redis) => {
          await redis.xadd(
            link.key("feedback"),
            "MAXLEN",
            "~",
            String(FEEDBACK_STREAM_MAX),
            "*",
            "entry",
            line,
          );
        },
        () => fallback.record(entry),
      );
    },
  };
}
