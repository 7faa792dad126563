import { describe, expect, it } from "vitest";
import { CircuitBreaker } from "../src/llm/breaker.js";
import { RateLimiter } from "../src/llm/rate-limit.js";

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe("CircuitBreaker", () => {
  it("opens after the threshold of failures in a row and refuses calls for the cool-down", () => {
    const time = clock();
    const breaker = new CircuitBreaker({ threshold: 3, coolDownMs: 10_000, now: time.now });
    expect(breaker.failure()).toBe(false);
    expect(breaker.failure()).toBe(false);
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.failure()).toBe(true);
    expect(breaker.state).toBe("open");
    expect(breaker.tryAcquire()).toBe(false);
    time.advance(9_999);
    expect(breaker.tryAcquire()).toBe(false);
  });

  it("lets one trial through after the cool-down; its success closes, its failure reopens", () => {
    const time = clock();
    const breaker = new CircuitBreaker({ threshold: 1, coolDownMs: 1_000, now: time.now });
    breaker.failure();
    time.advance(1_000);
    expect(breaker.state).toBe("half_open");
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false);
    expect(breaker.failure()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false);
    time.advance(1_000);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.success();
    expect(breaker.state).toBe("closed");
    expect(breaker.tryAcquire()).toBe(true);
  });

  it("a success resets the count of failures in a row", () => {
    const breaker = new CircuitBreaker({ threshold: 2, coolDownMs: 1_000 });
    breaker.failure();
    breaker.success();
    expect(breaker.failure()).toBe(false);
    expect(breaker.state).toBe("closed");
  });
});

describe("RateLimiter", () => {
  it("limits each user per window, without starving other users", async () => {
    const time = clock();
    const limiter = new RateLimiter({ perUser: 2, global: 100, windowMs: 60_000, now: time.now });
    expect([
      await limiter.tryTake("ann"),
      await limiter.tryTake("ann"),
      await limiter.tryTake("ann"),
    ]).toEqual([true, true, false]);
    expect(await limiter.tryTake("bob")).toBe(true);
    time.advance(60_000);
    expect(await limiter.tryTake("ann")).toBe(true);
  });

  it("limits everyone together, and a refused call does not count", async () => {
    const time = clock();
    const limiter = new RateLimiter({ perUser: 5, global: 3, windowMs: 60_000, now: time.now });
    const taken = [];
    for (const user of ["a", "b", "c", "d"]) taken.push(await limiter.tryTake(user));
    expect(taken).toEqual([true, true, true, false]);
    expect(await limiter.tryTake()).toBe(false);
    time.advance(30_000);
    expect(await limiter.tryTake("d")).toBe(false);
    time.advance(30_000);
    expect(await limiter.tryTake("d")).toBe(true);
  });

  it("forgets the least recently active users past its bound", async () => {
    const limiter = new RateLimiter({ perUser: 1, global: 1_000, maxUsers: 2 });
    expect(await limiter.tryTake("ann")).toBe(true);
    expect(await limiter.tryTake("bob")).toBe(true);
    expect(await limiter.tryTake("cat")).toBe(true);
    // ann was forgotten, so her window starts afresh; bob is still remembered.
    expect(await limiter.tryTake("ann")).toBe(true);
    expect(await limiter.tryTake("cat")).toBe(false);
  });
});
