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
}

/**
 * Posted answers by a short random key, which their buttons carry (a Discord
 * custom_id holds at most 100 characters, too few for a question). In this
 * process's memory, or in Redis so that a button clicked on another replica
 * works. Bounded in age: a button older than the store says so. What is
 * stored is a copy: a change is seen only once `update` stores it.
 */
export interface QuoteStore {
  /** Stores `posted` under a new key and returns the key. */
  put(posted: PostedAnswer): Promise<string>;
  /** The posted answer, or undefined when the key is unknown or expired. */
  get(key: string): Promise<PostedAnswer | undefined>;
  /** Replaces the answer stored under `key` (its summary came in, more is shown); nothing if it expired. */
  update(key: string, posted: PostedAnswer): Promise<void>;
  /**
   * Sets (or, with undefined, clears) `user`'s vote on the answer and returns the vote it replaced,
   * in one step: of two clicks at once, only one sees the vote as new and logs it.
   */
  swapVote(key: string, user: string, vote: Vote | undefined): Promise<Vote | undefined>;
}

export interface QuoteStoreOptions {
  /** Answers kept at most (memory only: Redis keeps every answer for `ttlMs`). */
  maxAnswers: number;
  /** An answer older than this no longer reacts to its buttons. */
  ttlMs: number;
  now?: () => number;
}

/** A day covers the life of a thread's discussion; 2,000 answers of six passages is a few megabytes at most. */
export const DEFAULT_QUOTE_STORE: QuoteStoreOptions = { maxAnswers: 2_000, ttlMs: 24 * 60 * 60_000 };

/** A new key for a posted answer: 12 URL-safe characters, unguessable. */
export function newAnswerKey(): string {
  return randomBytes(9).toString("base64url");
}

interface Entry {
  posted: PostedAnswer;
  /** Each voter's latest vote, so a repeated click is logged once. */
  votes: Map<string, Vote>;
}

/** `QuoteStore` in this process's memory, bounded in count and age. */
export class MemoryQuoteStore implements QuoteStore {
  private readonly entries: LRUCache<string, Entry>;

  constructor(options: QuoteStoreOptions = DEFAULT_QUOTE_STORE) {
    this.entries = expiringMap({ max: options.maxAnswers, ttlMs: options.ttlMs, now: options.now });
  }

  async put(posted: PostedAnswer): Promise<string> {
    const key = newAnswerKey();
    this.entries.set(key, { posted: structuredClone(posted), votes: new Map() });
    return key;
  }

  async get(key: string): Promise<PostedAnswer | undefined> {
    const entry = this.entries.get(key);
    return entry && structuredClone(entry.posted);
  }

  async update(key: string, posted: PostedAnswer): Promise<void> {
    const entry = this.entries.get(key);
    // In place: an update does not extend the answer's life.
    if (entry) entry.posted = structuredClone(posted);
  }

  async swapVote(key: string, user: string, vote: Vote | undefined): Promise<Vote | undefined> {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    const previous = entry.votes.get(user);
    if (vote === undefined) entry.votes.delete(user);
    else entry.votes.set(user, vote);
    return previous;
  }

  get size(): number {
    return this.entries.size;
  }
}
