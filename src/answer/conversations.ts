import type { LRUCache } from "lru-cache";
import { expiringMap } from "../expiring-map.js";

/**
 * Recent questions per conversation, in memory (never read back from Slack or
 * Discord history). Bounded in both count and age so a busy bot's memory
 * stays flat.
 */
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

export class ConversationStore {
  private readonly entries: LRUCache<string, ConversationTurn[]>;

  constructor(private readonly options: ConversationOptions = DEFAULT_CONVERSATIONS) {
    this.entries = expiringMap({ max: options.maxConversations, ttlMs: options.maxAgeMs, now: options.now });
  }

  history(id: string): ConversationTurn[] {
    return this.entries.get(id) ?? [];
  }

  add(id: string, turn: ConversationTurn): void {
    // Setting again restarts the conversation's idle time.
    this.entries.set(id, [...this.history(id), turn].slice(-this.options.maxTurns));
  }

  get size(): number {
    return this.entries.size;
  }
}
