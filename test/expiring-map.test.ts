import { describe, expect, it } from "vitest";
import { expiringMap } from "../src/expiring-map.js";

function clock(start = 0) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe("expiringMap", () => {
  it("forgets an entry once its time since the last set is past the TTL, with a clock that starts at 0", () => {
    const time = clock();
    const map = expiringMap<string, number>({ max: 10, ttlMs: 1_000, now: time.now });
    map.set("a", 1);
    time.advance(600);
    expect(map.get("a")).toBe(1);
    map.set("b", 2);
    time.advance(400);
    // Reading does not extend an entry's life.
    expect(map.get("a")).toBe(1);
    time.advance(1);
    expect(map.get("a")).toBeUndefined();
    expect(map.has("b")).toBe(true);
    map.set("b", 3);
    time.advance(1_000);
    expect(map.get("b")).toBe(3);
  });

  it("stays bounded, dropping the least recently used", () => {
    const map = expiringMap<string, number>({ max: 3 });
    for (const [i, key] of ["a", "b", "c"].entries()) map.set(key, i);
    map.get("a");
    map.set("d", 3);
    expect(map.size).toBe(3);
    expect([...map.keys()].sort()).toEqual(["a", "c", "d"]);
  });
});
