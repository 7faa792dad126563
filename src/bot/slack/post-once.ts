import { randomUUID } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import { webApi } from "@slack/bolt";
import { describeError } from "../../errors.js";
import type { Logger } from "../../logger.js";

/**
 * The metadata event type every post of the bot carries, with a fresh `post_id`
 * in its payload: when a post's reply is lost, that id finds the message in
 * the conversation, if Slack made it.
 */
export const POST_MARKER = "episode_bot_post";

/** How far back a lookup reads; generous, so a clock apart from Slack's still finds the message. */
const LOOKBACK_SECONDS = 600;
/** Messages read per lookup: one page, more than a thread gains in LOOKBACK_SECONDS. */
const LOOKUP_LIMIT = 200;

/** A message to post: everything but the marker, which `postOnce` adds. */
export type PostArgs = webApi.ChatPostMessageArguments & { channel: string; thread_ts?: string };

/**
 * Posts a message; resolves with its `ts`, or undefined when it may or may not
 * have arrived and that could not be found out (logged). Rejects only when
 * Slack surely did not take it.
 */
export type PostMessage = (client: webApi.WebClient, args: PostArgs) => Promise<string | undefined>;

export interface PostOnceOptions {
  /** Makes the posts: a client without automatic retries (`slackPostClientOptions`). */
  poster: webApi.WebClient;
  log: Logger;
  /** Posts tried at most (default 3), counting only those Slack surely did not take. */
  attempts?: number;
  /** Pause before the second try (default 300 ms), doubled for each one after. */
  backoffMs?: number;
}

/** Whether a failed post surely did not reach Slack, was refused for now, or may have arrived. */
function outcome(error: unknown): "refused" | "rate_limited" | "unknown" | "not_sent" {
  const code = (error as { code?: unknown }).code;
  if (code === webApi.ErrorCode.PlatformError) return "refused";
  if (code === webApi.ErrorCode.RateLimitedError) return "rate_limited";
  if (code === webApi.ErrorCode.RequestError) {
    // Refused connection: no byte of the post left, so sending it again is safe.
    const cause = (error as { original?: { cause?: { code?: unknown } } }).original?.cause;
    if (cause?.code === "ECONNREFUSED") return "not_sent";
  }
  // A timeout, a reset, or a 5xx: Slack may have posted the message before the reply was lost.
  return "unknown";
}

/** The `ts` of the message carrying `postId` in the post's thread (or channel), or undefined. */
async function findPost(
  client: webApi.WebClient,
  args: PostArgs,
  postId: string,
  oldest: string,
): Promise<string | undefined> {
  const page =
    args.thread_ts === undefined
      ? await client.conversations.history({
          channel: args.channel,
          oldest,
          include_all_metadata: true,
          limit: LOOKUP_LIMIT,
        })
      : await client.conversations.replies({
          channel: args.channel,
          ts: args.thread_ts,
          oldest,
          include_all_metadata: true,
          limit: LOOKUP_LIMIT,
        });
  // The SDK types the payload as `{}`: it is whatever the poster put there.
  const found = page.messages?.find(
    (message) =>
      message.metadata?.event_type === POST_MARKER &&
      (message.metadata.event_payload as { post_id?: unknown } | undefined)?.post_id === postId,
  );
  if (found?.ts) return found.ts;
  // Not on the page read: unknown, not absent, so it must not be posted again.
  if (page.has_more) throw new Error("the conversation has more recent messages than one lookup reads");
  return undefined;
}

/**
 * A post that is never sent twice. The client's own retries would re-send a
 * post that timed out although Slack had made it, and the thread would show
 * the answer twice; so the posts go through a client that does not retry, and
 * here a failure is sent again only when Slack surely did not take the post
 * (a 429, a refused connection), or when a lookup of the conversation
 * (`conversations.replies`, `.history`) does not find the post's marker. When
 * that lookup fails too (e.g. no `channels:history` scope), it gives up and
 * logs one warning: a missing answer is better than a doubled one.
 */
export function postOnce(options: PostOnceOptions): PostMessage {
  const attempts = options.attempts ?? 3;
  const backoffMs = options.backoffMs ?? 300;
  return async (client, args) => {
    const postId = randomUUID();
    const oldest = String(Math.floor(Date.now() / 1000) - LOOKBACK_SECONDS);
    const message: PostArgs = {
      ...args,
      // The poster has no token of its own: the one Bolt resolved for this request.
      token: args.token ?? client.token,
      metadata: { event_type: POST_MARKER, event_payload: { post_id: postId } },
    };
    for (let attempt = 1; ; attempt += 1) {
      let failure: unknown;
      try {
        return (await options.poster.chat.postMessage(message)).ts;
      } catch (error) {
        failure = error;
      }
      const kind = outcome(failure);
      if (kind === "refused") throw failure;
      if (kind === "unknown") {
        let found: string | undefined;
        try {
          found = await findPost(client, args, postId, oldest);
        } catch (lookup) {
          options.log.warn(
            {
              code: "E_SLACK_POST_UNKNOWN",
              channel: args.channel,
              err: describeError(failure),
              lookup: describeError(lookup),
            },
            "a Slack post failed and may still have arrived; looking for it failed too, so it is not sent again " +
              "(a missing_scope lookup needs the manifest's channels:history and groups:history)",
          );
          return undefined;
        }
        if (found !== undefined) {
          options.log.debug(
            { channel: args.channel, err: describeError(failure) },
            "a failed Slack post had arrived",
          );
          return found;
        }
      }
      if (attempt >= attempts) throw failure;
      const retryAfter =
        kind === "rate_limited" ? (failure as webApi.WebAPIRateLimitedError).retryAfter : undefined;
      await delay(retryAfter !== undefined ? retryAfter * 1000 : backoffMs * 2 ** (attempt - 1));
    }
  };
}
