import type { LRUCache } from "lru-cache";
import { DEFAULT_CONVERSATIONS } from "../answer/conversations.js";
import { expiringMap } from "../expiring-map.js";

/**
 * Which conversation each of the bot's messages belongs to, so that a reply
 * to one of its answers (Discord's reply feature, outside a thread or DM)
 * continues that answer's conversation. In this process's memory, or in Redis
 * so that a reply that lands on another shard or replica, or on a process
 * started since, is still a follow-up. Bounded in age: a reply to an answer
 * older than that starts a new conversation.
 */
export interface ReplyChains {
  /** Remembers that the bot's message `message` (platform and id, e.g. `discord:123`) is part of `conversation`. */
  remember(message: string, conversation: string): Promise<void>;
  /** The conversation the bot's message `message` is part of, or undefined when unknown or expired. */
  conversationOf(message: string): Promise<string | undefined>;
}

export interface ReplyChainOptions {
  /** Messages remembered at most (memory only: Redis keeps each for `ttlMs`); the oldest are forgotten past this. */
  max: number;
  /** How long a message is remembered after it was posted (or last edited). */
  ttlMs: number;
  now?: () => number;
}

/**
 * As long as a conversation is kept after its last question (30 minutes): a
 * reply to an answer older than that would find the conversation's questions
 * forgotten anyway. 20,000 messages are a few megabytes at most.
 */
export const DEFAULT_REPLY_CHAINS: ReplyChainOptions = { max: 20_000, ttlMs: DEFAULT_CONVERSATIONS.maxAgeMs };

/** `ReplyChains` in this process's memory, bounded in count and age. */
export class MemoryReplyChains implements ReplyChains {
  private readonly byMessage: LRUCache<string, string>;

  constructor(options: ReplyChainOptions = DEFAULT_REPLY_CHAINS) {
    this.byMessage = expiringMap({ max: options.max, ttlMs: options.ttlMs, now: options.now });
  }

  async remember(message: string, conversation: string): Promise<void> {
    this.byMessage.set(message, conversation);
  }

  async conversationOf(message: string): Promise<string | undefined> {
    return this.byMessage.get(message);
  }
}
