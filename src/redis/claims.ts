import { type ClaimOptions, type Claims, DEFAULT_CLAIMS, MemoryClaims } from "../bot/claims.js";
import type { RedisLink } from "./link.js";

/**
 * Claims in Redis: one `SET key 1 PX ttl NX` per claim, atomic, so of two
 * replicas handed the same event exactly one gets "OK". While Redis is away,
 * this process's own memory decides (a duplicate on another replica may then
 * be answered twice; one on this process never is).
 */
export class RedisClaims implements Claims {
  private readonly fallback: MemoryClaims;

  constructor(
    private readonly link: RedisLink,
    private readonly options: ClaimOptions = DEFAULT_CLAIMS,
  ) {
    this.fallback = new MemoryClaims(options);
  }

  claim(key: string): Promise<boolean> {
    return this.link.run(
      async (redis) =>
        (await redis.set(this.link.key(`claim:${key}`), "1", "PX", this.options.ttlMs, "NX")) === "OK",
      () => this.fallback.claimNow(key),
    );
  }
}
