import {
  DEFAULT_REPLY_CHAINS,
  MemoryReplyChains,
  type ReplyChainOptions,
  type ReplyChains,
} from "../bot/reply-chains.js";
import type { RedisLink } from "./link.js";

/**
 * Reply chains in Redis: one string per bot message, its conversation id,
 * that lives `ttlMs`, so a reply to an answer that lands on another shard or
 * replica (or on a process started since) continues the answer's
 * conversation. Redis, not a count, bounds how many are kept. A message
 * remembered while Redis was away stays in this process's memory and is
 * found there.
 */
export class RedisReplyChains implements ReplyChains {
  private readonly fallback: MemoryReplyChains;

  constructor(
    private readonly link: RedisLink,
    private readonly options: ReplyChainOptions = DEFAULT_REPLY_CHAINS,
  ) {
    this.fallback = new MemoryReplyChains(options);
  }

  remember(message: string, conversation: string): Promise<void> {
    return this.link.run(
      async (redis) => {
        await redis.set(this.key(message), conversation, "PX", this.options.ttlMs);
      },
      () => this.fallback.remember(message, conversation),
    );
  }

  conversationOf(message: string): Promise<string | undefined> {
    return this.link.run(
      async (redis) => (await redis.get(this.key(message))) ?? this.fallback.conversationOf(message),
      () => this.fallback.conversationOf(message),
    );
  }

  private key(message: string): string {
    return this.link.key(`reply-chain:${message}`);
  }
}
