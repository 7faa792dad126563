import type { AnyMiddlewareArgs, Middleware } from "@slack/bolt";
import type { Logger } from "../../logger.js";
import type { Claims } from "../claims.js";
import type { InFlight } from "../in-flight.js";

/** Keeps every request's processing in `inFlight` until it is done, so stopping can wait for it. */
export function trackInFlight(inFlight: InFlight): Middleware<AnyMiddlewareArgs> {
  return ({ next }) => inFlight.run(next);
}

/**
 * Drops an event whose `event_id` was claimed before: Slack delivers again
 * when an ack was late or lost, possibly to another replica. The retry headers
 * are not trusted for this, since a retry of an event that was never processed
 * must still be answered.
 */
export function dropDuplicateEvents(log: Logger, claims: Claims): Middleware<AnyMiddlewareArgs> {
  return async ({ body, next }) => {
    const eventId = "event_id" in body && typeof body.event_id === "string" ? body.event_id : undefined;
    if (eventId !== undefined && !(await claims.claim(`slack:event:${eventId}`))) {
      log.debug({ eventId }, "duplicate Slack event dropped");
      return;
    }
    await next();
  };
}

/** Drops events sent by bots (this one included): the bot never answers a bot. */
export function ignoreBots(): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    if ("event" in args && args.event) {
      const event = args.event as { bot_id?: unknown; subtype?: unknown; user?: unknown };
      if (event.bot_id !== undefined || event.subtype === "bot_message") return;
      if (args.context.botUserId !== undefined && event.user === args.context.botUserId) return;
    }
    await args.next();
  };
}
