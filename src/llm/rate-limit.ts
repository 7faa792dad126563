import { MemoryRateWindows, type RateBucket, type RateWindows } from "../rate-windows.js";

/**
 * Per-user and global limits on LLM calls per minute (bounding cost, OWASP
 * LLM10). A call is allowed only when both the user's window and the global
 * one have room, and then counts in both. The windows may live in Redis, so
 * every replica counts against the same limits.
 */
export interface RateLimitOptions {
  /** Calls one user may cause per window. */
  perUser: number;
  /** Calls all users together may cause per window. */
  global: number;
  /** Where the calls are counted; default this process's memory, with the settings below. */
  windows?: RateWindows;
  windowMs?: number;
  /** Users tracked at most; the least recently active are forgotten past this. */
  maxUsers?: number;
  now?: () => number;
}

export class RateLimiter {
  private readonly windows: RateWindows;

  constructor(private readonly options: RateLimitOptions) {
    const maxUsers = options.maxUsers ?? 10_000;
    this.windows =
      options.windows ??
      // One more key than users: the global window.
      new MemoryRateWindows({
        windowMs: options.windowMs ?? 60_000,
        maxKeys: maxUsers + 1,
        now: options.now,
      });
  }

  /**
   * Takes one call for `user` (the global limit alone applies when no user is
   * known, e.g. the evaluation); false when either limit is reached.
   */
  tryTake(user?: string): Promise<boolean> {
    const buckets: RateBucket[] = [{ key: "llm:global", limit: this.options.global }];
    if (user !== undefined) buckets.push({ key: `llm:user:${user}`, limit: this.options.perUser });
    return this.windows.take(buckets);
  }
}
