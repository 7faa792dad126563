import { randomBytes } from "node:crypto";
import type { Answer } from "../../answer/types.js";
import type { Vote } from "../feedback.js";

/** An answer posted to Slack, kept so its buttons still work after it was sent. */
export interface StoredAnswer {
  answer: Answer;
  /** The question as the asker typed it. */
  question: string;
  conversation?: string;
  /** Whether the message repeats the question (slash commands). */
  echoQuestion?: boolean;
  /** How many passages the message shows now. */
  shown: number;
  /** Each voter's latest vote, so a repeated click is logged once. */
  votes: Map<string, Vote>;
}

export interface AnswerStoreOptions {
  /** Answers kept at most; the least recently used is dropped past this. */
  maxAnswers: number;
  /** An answer older than this no longer reacts to its buttons. */
  ttlMs: number;
  now?: () => number;
}

/** A day covers the life of a thread's discussion; 2,000 answers is a few megabytes at most. */
export const DEFAULT_ANSWER_STORE: AnswerStoreOptions = { maxAnswers: 2_000, ttlMs: 24 * 60 * 60_000 };

/**
 * Posted answers by a short random key (the buttons' `value`), in memory and
 * bounded, so "More quotes" and feedback need no second search and no history read.
 */
export class AnswerStore {
  private readonly entries = new Map<string, { stored: StoredAnswer; at: number }>();
  private readonly now: () => number;

  constructor(private readonly options: AnswerStoreOptions = DEFAULT_ANSWER_STORE) {
    this.now = options.now ?? Date.now;
  }

  /** Stores an answer and returns its key. */
  put(stored: Omit<StoredAnswer, "votes">): string {
    const key = randomBytes(9).toString("base64url");
    this.entries.set(key, { stored: { ...stored, votes: new Map() }, at: this.now() });
    while (this.entries.size > this.options.maxAnswers) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return key;
  }

  /** Replaces what a key holds (the summary added to quotes already posted), keeping its votes. */
  replace(key: string, stored: Omit<StoredAnswer, "votes">): void {
    const entry = this.entries.get(key);
    if (entry) entry.stored = { ...stored, votes: entry.stored.votes };
  }

  /** The stored answer, or undefined when the key is unknown or expired. */
  get(key: string): StoredAnswer | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (this.now() - entry.at > this.options.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    // Re-inserting keeps Map order as recency order.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.stored;
  }

  get size(): number {
    return this.entries.size;
  }
}
