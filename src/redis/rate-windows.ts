import { MemoryRateWindows, type RateBucket, type RateWindows } from "../rate-windows.js";
import type { RedisLink } from "./link.js";

/**
 * All or nothing, in one script so no other replica's take comes between the check and the
 * count: refused when any bucket is full, else one more in each, the window opening (with its
 * expiry) at a key's first take. KEYS: the buckets' keys; ARGV[1]: the window in ms; ARGV[1 + i]:
 * the limit of KEYS[i].
 */
const TAKE = `
for i, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or '0') >= tonumber(ARGV[i + 1]) then return 0 end
end
for _, key in ipairs(KEYS) do
  if redis.call('INCR', key) == 1 then redis.call('PEXPIRE', key, ARGV[1]) end
end
return 1
`;

/**
 * Rate windows in Redis, shared by every replica: a fixed window per key (a
 * counter that expires `windowMs` after its first take), counted with atomic
 * increments inside one Lua script. While Redis is away, this process counts
 * on its own (each replica then allows the limit by itself).
 */
export class RedisRateWindows implements RateWindows {
  private readonly fallback: MemoryRateWindows;

  constructor(
    private readonly link: RedisLink,
    private readonly options: { windowMs: number; maxKeys: number },
  ) {
    this.fallback = new MemoryRateWindows(options);
  }

  take(buckets: RateBucket[]): Promise<boolean> {
    if (buckets.length === 0) return Promise.resolve(true);
    return this.link.run(
      async (redis) => {
        const keys = buckets.map((bucket) => this.link.key(`rate:${bucket.key}`));
        const limits = buckets.map((bucket) => String(bucket.limit));
        const taken = await redis.eval(TAKE, keys.length, ...keys, String(this.options.windowMs), ...limits);
        return taken === 1;
      },
      () => this.fallback.takeNow(buckets),
    );
  }
}
