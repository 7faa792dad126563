import { randomBytes } from "node:crypto";
import type { LRUCache } from "lru-cache";
import type { Answer } from "../answer/types.js";
import { expiringMap } from "../expiring-map.js";
import type { Vote } from "./feedback.js";

/**
 * An answer posted to a chat, kept so its buttons still work after it was sent:
 * "More quotes" shows passages fetched with the answer (no second search, no
 * second summary, no rate limit), and 👍/👎 log what was shown.
 */
export interface PostedAnswer {
  /** The answer with every passage fetched, best first (and its summary once it is in). */
  answer: Answer;
  /** The question as the asker typed it. */
  question: string;
  conversation?: string;
  /** Whether the message repeats the question (Slack's /ask, whose text the channel never sees). */
  echoQuestion?: boolean;
  /** How many passages the message shows now (Slack adds the next ones to it in place). */
  shown: number;
  /** Each voter's latest vote, so a repeated click is logged once. */
  votes: Map<string, Vote>;
}

export interface QuoteStoreOptions {
  /** Answers kept at most; the least recently used is dropped past this. */
  maxAnswers: number;
  /** An answer older than this no longer reacts to its buttons. */
  ttlMs: number;
  now?: () => number;
}

/** A day covers the life of a thread's discussion; 2,000 answers of six passages is a few megabytes at most. */
export const DEFAULT_QUOTE_STORE: QuoteStoreOptions = { maxAnswers: 2_000, ttlMs: 24 * 60 * 60_000 };

/**
 * Posted answers by a short random key, which their buttons carry (a Discord
 * custom_id holds at most 100 characters, too few for a question). In memory
 * and bounded: a button older than the store, or than the process, says so.
 */
export class QuoteStore {
  private readonly entries: LRUCache<string, PostedAnswer>;

  constructor(options: QuoteStoreOptions = DEFAULT_QUOTE_STORE) {
    this.entries = expiringMap({ max: options.maxAnswers, ttlMs: options.ttlMs, now: options.now });
  }

  /** Stores `posted` (the object itself: later changes to it are seen) and returns its key. */
  put(posted: PostedAnswer): string {
    const key = randomBytes(9).toString("base64url");
    this.entries.set(key, posted);
    return key;
  }

  /** The posted answer, or undefined when the key is unknown or expired. */
  get(key: string): PostedAnswer | undefined {
    return this.entries.get(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
