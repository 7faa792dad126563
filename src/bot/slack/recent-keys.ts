/** Bounds of a {@link RecentKeys} set. */
export interface RecentKeysOptions {
  /** Keys kept at most; the oldest is forgotten past this. */
  maxKeys: number;
  /** A key is forgotten this long after it was first seen. */
  ttlMs: number;
  now?: () => number;
}

/**
 * Slack retries an unacknowledged event after about a minute and again after
 * five: remembering ids for 15 minutes covers every retry, and 10,000 keys
 * covers a busy workspace's quarter hour.
 */
export const DEFAULT_RECENT_KEYS: RecentKeysOptions = { maxKeys: 10_000, ttlMs: 15 * 60_000 };

/** A set of recently seen keys, bounded in count and age, so memory stays flat. */
export class RecentKeys {
  private readonly seenAt = new Map<string, number>();
  private readonly now: () => number;

  constructor(private readonly options: RecentKeysOptions = DEFAULT_RECENT_KEYS) {
    this.now = options.now ?? Date.now;
  }

  /**
   * Records every key and says whether any of them had been seen (and not
   * yet forgotten) before.
   */
  checkAndAdd(keys: readonly string[]): boolean {
    const now = this.now();
    this.forgetExpired(now);
    let seen = false;
    for (const key of keys) {
      if (this.seenAt.has(key)) seen = true;
      else this.seenAt.set(key, now);
    }
    while (this.seenAt.size > this.options.maxKeys) {
      const oldest = this.seenAt.keys().next().value;
      if (oldest === undefined) break;
      this.seenAt.delete(oldest);
    }
    return seen;
  }

  get size(): number {
    return this.seenAt.size;
  }

  private forgetExpired(now: number): void {
    // Insertion order is age order, so expired keys are all at the front.
    for (const [key, at] of this.seenAt) {
      if (now - at < this.options.ttlMs) break;
      this.seenAt.delete(key);
    }
  }
}
