import { expiringMap } from "./expiring-map.js";

/** One limit `RateWindows.take` checks: at most `limit` takes of `key` per window. */
export interface RateBucket {
  key: string;
  limit: number;
}

/**
 * Counters of recent takes per key (a person's questions, LLM calls), kept in
 * this process or in Redis so every replica counts against the same limit.
 * Each key's window opens at its first take and lasts the window's length (a
 * fixed window). `take` is all or nothing: it counts one in every bucket only
 * when each has room, so a refused question or call uses up no allowance.
 */
export interface RateWindows {
  take(buckets: RateBucket[]): Promise<boolean>;
}

export interface MemoryRateWindowsOptions {
  windowMs: number;
  /** Keys remembered at most; the least recently used are forgotten past this, so memory stays flat. */
  maxKeys: number;
  /** Clock in milliseconds (tests); default `Date.now`. */
  now?: () => number;
}

interface Window {
  start: number;
  count: number;
}

/** `RateWindows` in this process's memory, bounded in keys. */
export class MemoryRateWindows implements RateWindows {
  private readonly windows;
  private readonly now: () => number;

  constructor(private readonly options: MemoryRateWindowsOptions) {
    this.now = options.now ?? Date.now;
    this.windows = expiringMap<string, Window>({
      max: options.maxKeys,
      ttlMs: options.windowMs,
      now: options.now,
    });
  }

  /** The same as `take`, at once (the Redis store falls back to it). */
  takeNow(buckets: RateBucket[]): boolean {
    const at = this.now();
    const open = (key: string): Window | undefined => {
      const window = this.windows.get(key);
      return window && at - window.start < this.options.windowMs ? window : undefined;
    };
    if (buckets.some(({ key, limit }) => (open(key)?.count ?? 0) >= limit)) return false;
    for (const { key } of buckets) {
      const window = open(key) ?? { start: at, count: 0 };
      window.count += 1;
      this.windows.set(key, window);
    }
    return true;
  }

  take(buckets: RateBucket[]): Promise<boolean> {
    return Promise.resolve(this.takeNow(buckets));
  }

  /** Keys remembered now. */
  get size(): number {
    return this.windows.size;
  }
}
