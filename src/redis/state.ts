import { createFeedbackLog } from "../bot/feedback.js";
import type { Config } from "../config.js";
import type { Logger } from "../logger.js";
import { RATE_WINDOW, type SharedState } from "../shared-state.js";
import { RedisClaims } from "./claims.js";
import { RedisConversations } from "./conversations.js";
import { createRedisFeedbackLog } from "./feedback.js";
import { RedisLink, type RedisSettings } from "./link.js";
import { RedisQuoteStore } from "./quote-store.js";
import { RedisRateWindows } from "./rate-windows.js";
import { RedisReplyChains } from "./reply-chains.js";

/**
 * Every kind of shared state in Redis over one connection, each falling back
 * to this process's memory (votes: to the FEEDBACK_LOG file) while Redis is
 * away. Waits a few seconds at most for the first connection: a bot whose
 * Redis is down starts and answers anyway, and uses Redis once it is up.
 */
export async function openRedisState(
  settings: RedisSettings,
  config: Config,
  log: Logger,
): Promise<SharedState> {
  const link = new RedisLink(settings, log.child({ component: "redis" }));
  await link.firstConnection();
  return {
    claims: new RedisClaims(link),
    conversations: new RedisConversations(link),
    replyChains: new RedisReplyChains(link),
    quotes: new RedisQuoteStore(link),
    windows: new RedisRateWindows(link, RATE_WINDOW),
    feedbackLog: createRedisFeedbackLog(link, createFeedbackLog(config.feedbackLog)),
    redis: () => link.status(),
    close: () => link.close(),
  };
}
