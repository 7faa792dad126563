/**
 * Per-user and global limits on LLM calls per minute (bounding cost, OWASP
 * LLM10). A sliding window of call times per key; a call is allowed only when
 * both the user's window and the global one have room, and then counts in both.
 */
export interface RateLimitOptions {
  /** Calls one user may cause per window. */
  perUser: number;
  /** Calls all users together may cause per window. */
  global: number;
  windowMs?: number;
  /** Users tracked at most; the least recently active are forgotten past this. */
  maxUsers?: number;
  now?: () => number;
}

const GLOBAL = "\u0000global";

export class RateLimiter {
  private readonly windows = new Map<string, number[]>();
  private readonly windowMs: number;
  private readonly maxUsers: number;
  private readonly now: () => number;

  constructor(private readonly options: RateLimitOptions) {
    this.windowMs = options.windowMs ?? 60_000;
    this.maxUsers = options.maxUsers ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  private recent(key: string, now: number): number[] {
    const times = (this.windows.get(key) ?? []).filter((t) => now - t < this.windowMs);
    this.windows.delete(key);
    if (times.length > 0) this.windows.set(key, times);
    return times;
  }

  /**
   * Takes one call for `user` (the global limit alone applies when no user is
   * known, e.g. the evaluation); false when either limit is reached.
   */
  tryTake(user?: string): boolean {
    const now = this.now();
    const global = this.recent(GLOBAL, now);
    if (global.length >= this.options.global) return false;
    const own = user === undefined ? null : this.recent(user, now);
    if (own && own.length >= this.options.perUser) return false;
    global.push(now);
    this.windows.set(GLOBAL, global);
    if (own && user !== undefined) {
      own.push(now);
      this.windows.set(user, own);
    }
    // Map order is recency order (entries are re-inserted on use): drop the stalest users.
    while (this.windows.size > this.maxUsers + 1) {
      const oldest = [...this.windows.keys()].find((k) => k !== GLOBAL);
      if (oldest === undefined) break;
      this.windows.delete(oldest);
    }
    return true;
  }
}
