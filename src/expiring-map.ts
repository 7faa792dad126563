import { LRUCache } from "lru-cache";

export interface ExpiringMapOptions {
  /** Entries kept at most; past this the least recently used is dropped. */
  max: number;
  /** An entry is forgotten this long after it was last set (never, when absent). */
  ttlMs?: number;
  /** Clock in milliseconds (tests); default `performance.now()`. */
  now?: () => number;
}

/**
 * The one in-memory map of the bot's short-lived state (conversations, posted
 * answers, seen event ids, people's recent questions): bounded in count and,
 * optionally, in age, so memory stays flat however long the bot runs. `get`
 * counts as use for the count bound but does not extend the age.
 */
export function expiringMap<K extends {}, V extends {}>(options: ExpiringMapOptions): LRUCache<K, V> {
  const { now } = options;
  return new LRUCache<K, V>({
    max: options.max,
    ttl: options.ttlMs ?? 0,
    // Read the clock on every check: a cached reading would hide a test clock's jumps, and the
    // saving is a timer per millisecond the bot does not need.
    ttlResolution: 0,
    // lru-cache reads a start time of 0 as "no age limit", and a test clock may well start at 0.
    ...(now === undefined ? {} : { perf: { now: () => now() + 1 } }),
  });
}
