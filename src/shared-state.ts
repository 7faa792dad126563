import { type ConversationStore, MemoryConversations } from "./answer/conversations.js";
import { type Claims, MemoryClaims } from "./bot/claims.js";
import { createFeedbackLog, type FeedbackLog } from "./bot/feedback.js";
import { MemoryQuoteStore, type QuoteStore } from "./bot/quote-store.js";
import { MemoryReplyChains, type ReplyChains } from "./bot/reply-chains.js";
import type { Config } from "./config.js";
import type { RedisStatus } from "./health/status.js";
import { MemoryRateWindows, type RateWindows } from "./rate-windows.js";

/**
 * The state that several replicas of the bot must share, one interface per
 * kind: in this process's memory (no REDIS_URL), or in Redis
 * (`src/redis/state.ts`). `src/main.ts` picks one; the adapters and the core
 * never know which.
 */
export interface SharedState {
  /** Events and messages handled, so each is answered once. */
  claims: Claims;
  /** Each thread's or DM's recent questions, for follow-ups. */
  conversations: ConversationStore;
  /** Which conversation each of the bot's Discord messages belongs to, so a reply to an answer is a follow-up. */
  replyChains: ReplyChains;
  /** Answers behind "More quotes" and 👍/👎. */
  quotes: QuoteStore;
  /** Questions per person and LLM calls per minute. */
  windows: RateWindows;
  /** 👍/👎 votes. */
  feedbackLog: FeedbackLog;
  /** Redis's state, for /healthz and /metrics (absent without Redis). */
  redis?: () => RedisStatus;
  close(): Promise<void>;
}

/** Rate windows are a minute long (RATE_LIMIT_PER_MINUTE, LLM_*_PER_MINUTE). */
export const RATE_WINDOW = { windowMs: 60_000, maxKeys: 20_000 };

/** Everything in this process's memory, votes in the FEEDBACK_LOG file: one process, no server needed. */
export function memoryState(config: Config): SharedState {
  return {
    claims: new MemoryClaims(),
    conversations: new MemoryConversations(),
    replyChains: new MemoryReplyChains(),
    quotes: new MemoryQuoteStore(),
    windows: new MemoryRateWindows(RATE_WINDOW),
    feedbackLog: createFeedbackLog(config.feedbackLog),
    close: async () => undefined,
  };
}
