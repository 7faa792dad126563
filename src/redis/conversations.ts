import {
  type ConversationOptions,
  type ConversationStore,
  type ConversationTurn,
  DEFAULT_CONVERSATIONS,
  MemoryConversations,
} from "../answer/conversations.js";
import type { RedisLink } from "./link.js";
import { execAll } from "./transaction.js";

/**
 * Conversations in Redis: one list per conversation of its last `maxTurns`
 * turns (JSON), pushed, trimmed and given `maxAgeMs` to live in one
 * transaction, so a follow-up that lands on another replica still finds the
 * question it follows. Redis, not a count, bounds how many are kept: each
 * expires `maxAgeMs` after its last question.
 */
export class RedisConversations implements ConversationStore {
  private readonly fallback: MemoryConversations;

  constructor(
    private readonly link: RedisLink,
    private readonly options: ConversationOptions = DEFAULT_CONVERSATIONS,
  ) {
    this.fallback = new MemoryConversations(options);
  }

  history(id: string): Promise<ConversationTurn[]> {
    return this.link.run(
      async (redis) => {
        const turns = await redis.lrange(this.key(id), 0, -1);
        return turns.map((turn) => JSON.parse(turn) as ConversationTurn);
      },
      () => this.fallback.history(id),
    );
  }

  add(id: string, turn: ConversationTurn): Promise<void> {
    const key = this.key(id);
    return this.link.run(
      (redis) =>
        execAll(
          redis
            .multi()
            .rpush(key, JSON.stringify(turn))
            .ltrim(key, -this.options.maxTurns, -1)
            .pexpire(key, this.options.maxAgeMs),
        ),
      () => this.fallback.add(id, turn),
    );
  }

  private key(id: string): string {
    return this.link.key(`conversation:${id}`);
  }
}
