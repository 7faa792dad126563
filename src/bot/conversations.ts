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
  private readonly entries = new Map<string, { turns: ConversationTurn[]; updated: number }>();
  private readonly now: () => number;

  constructor(private readonly options: ConversationOptions = DEFAULT_CONVERSATIONS) {
    this.now = options.now ?? Date.now;
  }

  history(id: string): ConversationTurn[] {
    const entry = this.entries.get(id);
    if (!entry) return [];
    if (this.now() - entry.updated > this.options.maxAgeMs) {
      this.entries.delete(id);
      return [];
    }
    return entry.turns;
  }

  add(id: string, turn: ConversationTurn): void {
    const turns = [...this.history(id), turn].slice(-this.options.maxTurns);
    // Re-inserting moves the conversation to the end: Map order is recency order.
    this.entries.delete(id);
    this.entries.set(id, { turns, updated: this.now() });
    while (this.entries.size > this.options.maxConversations) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
