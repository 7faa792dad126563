import type { Vote } from "../bot/feedback.js";
import {
  DEFAULT_QUOTE_STORE,
  MemoryQuoteStore,
  newAnswerKey,
  type PostedAnswer,
  type QuoteStore,
  type QuoteStoreOptions,
} from "../bot/quote-store.js";
import type { RedisLink } from "./link.js";

/**
 * Posted answers in Redis, so a "More quotes" or 👍/👎 click that lands on
 * another replica (or on a process started since) still finds its answer: one
 * JSON string per answer that lives `ttlMs`, and one key per vote, swapped
 * with `SET … GET` so two clicks at once see one change. An answer stored
 * while Redis was away stays in this process's memory and is found there.
 */
export class RedisQuoteStore implements QuoteStore {
  private readonly fallback: MemoryQuoteStore;

  constructor(
    private readonly link: RedisLink,
    private readonly options: QuoteStoreOptions = DEFAULT_QUOTE_STORE,
  ) {
    this.fallback = new MemoryQuoteStore(options);
  }

  put(posted: PostedAnswer): Promise<string> {
    const key = newAnswerKey();
    return this.link.run(
      async (redis) => {
        await redis.set(this.answerKey(key), JSON.stringify(posted), "PX", this.options.ttlMs);
        return key;
      },
      () => this.fallback.put(posted),
    );
  }

  get(key: string): Promise<PostedAnswer | undefined> {
    return this.link.run(
      async (redis) => {
        const stored = await redis.get(this.answerKey(key));
        return stored === null ? this.fallback.get(key) : (JSON.parse(stored) as PostedAnswer);
      },
      () => this.fallback.get(key),
    );
  }

  update(key: string, posted: PostedAnswer): Promise<void> {
    return this.link.run(
      async (redis) => {
        // XX: an expired answer is not brought back; KEEPTTL: an update does not extend its life.
        const updated = await redis.set(this.answerKey(key), JSON.stringify(posted), "KEEPTTL", "XX");
        if (updated === null) await this.fallback.update(key, posted);
      },
      () => this.fallback.update(key, posted),
    );
  }

  swapVote(key: string, user: string, vote: Vote | undefined): Promise<Vote | undefined> {
    const voteKey = this.link.key(`vote:${key}:${user}`);
    return this.link.run(
      async (redis) => {
        const previous =
          vote === undefined
            ? await redis.getdel(voteKey)
            : await redis.set(voteKey, vote, "PX", this.options.ttlMs, "GET");
        return previous === "up" || previous === "down" ? previous : undefined;
      },
      () => this.fallback.swapVote(key, user, vote),
    );
  }

  private answerKey(key: string): string {
    return this.link.key(`answer:${key}`);
  }
}
