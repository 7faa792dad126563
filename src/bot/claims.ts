import type { LRUCache } from "lru-cache";
import { expiringMap } from "../expiring-map.js";

/**
 * Claims on events and messages, so that each is handled once: Slack delivers
 * an event again when an ack was late or lost, and the same message can come
 * under another event id; with several replicas the second delivery may land
 * on another process. In this process's memory, or in Redis, where one
 * set-if-absent decides between replicas.
 */
export interface Claims {
  /** True for the first claim of `key` within the claims' lifetime, false for every later one. */
  claim(key: string): Promise<boolean>;
}

export interface ClaimOptions {
  /** Claims remembered at most; the oldest are forgotten past this. */
  max: number;
  /** How long a claim holds. */
  ttlMs: number;
}

/**
 * Slack retries an unacknowledged event after about a minute and again after
 * five: claims held for 15 minutes cover every retry, and 10,000 of them cover
 * a busy workspace's quarter hour.
 */
export const DEFAULT_CLAIMS: ClaimOptions = { max: 10_000, ttlMs: 15 * 60_000 };

/** `Claims` in this process's memory, bounded in count and age. */
export class MemoryClaims implements Claims {
  private readonly seen: LRUCache<string, true>;

  constructor(options: ClaimOptions = DEFAULT_CLAIMS) {
    this.seen = expiringMap({ max: options.max, ttlMs: options.ttlMs });
  }

  /** The same as `claim`, at once (the Redis claims fall back to it). */
  claimNow(key: string): boolean {
    if (this.seen.has(key)) return false;
    // Held from the first claim, not extended by the later ones.
    this.seen.set(key, true);
    return true;
  }

  claim(key: string): Promise<boolean> {
    return Promise.resolve(this.claimNow(key));
  }
}
