import type { LRUCache } from "lru-cache";
import { expiringMap } from "../expiring-map.js";

/** Bounds of the conversation memory. */
export interface ConversationOptions {
  /** Conversations kept; the least recently used is dropped past this. */
  maxConversations: number;
  /** A conversation idle this long starts fresh. */
  maxAgeMs: number;
  /** Questions kept per conversation. */
  maxTurns: number;
  now?: () => number;
}

export const DEFAULT_CONVERSATIONS: ConversationOptions = {
  maxConversations: 5_000,
  maxAgeMs: 30 * 60_000,
  maxTurns: 5,
};

export interface ConversationTurn {
  /** What the person typed. */
  question: string;
  /** The question as understood on its own (a follow-up merged with what it follows). */
  standalone: string;
}

/**
 * Recent questions per conversation (a thread, a DM), never read back from
 * Slack or Discord history: in this process's memory, or in Redis so that a
 * follow-up landing on another replica is still a follow-up. Each
 * conversation keeps its last `maxTurns` questions and is forgotten after
 * `maxAgeMs` without one.
 */
export interface ConversationStore {
  /** The conversation's kept turns, oldest first; empty when it is unknown or expired. */
  history(id: string): Promise<ConversationTurn[]>;
  /** Adds a turn (dropping the oldest past `maxTurns`) and restarts the conversation's idle time. */
  add(id: string, turn: ConversationTurn): Promise<void>;
}

/** `ConversationStore` in this process's memory, bounded in both count and age so memory stays flat. */
export class MemoryConversations implements ConversationStore {
  private readonly entries: LRUCache<string, ConversationTurn[]>;

  constructor(private readonly options: ConversationOptions = DEFAULT_CONVERSATIONS) {
    this.entries = expiringMap({ max: options.maxConversations, ttlMs: options.maxAgeMs, now: options.now });
  }

  async history(id: string): Promise<ConversationTurn[]> {
    return this.entries.get(id) ?? [];
  }

  async add(id: string, turn: ConversationTurn): Promise<void> {
    // Setting again restarts the conversation's idle time.
    this.entries.set(id, [...(this.entries.get(id) ?? []), turn].slice(-this.options.maxTurns));
  }

  get size(): number {
    return this.entries.size;
  }
}
