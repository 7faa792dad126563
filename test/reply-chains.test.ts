import { describe, expect, it } from "vitest";
import { DEFAULT_CONVERSATIONS } from "../src/answer/conversations.js";
import { DEFAULT_REPLY_CHAINS, MemoryReplyChains } from "../src/bot/reply-chains.js";

describe("MemoryReplyChains", () => {
  it("remembers which conversation each message is part of, bounded in count", async () => {
    const chains = new MemoryReplyChains({ max: 2, ttlMs: 60_000 });
    await chains.remember("discord:1", "discord:chain:10");
    await chains.remember("discord:2", "discord:chain:10");
    expect(await chains.conversationOf("discord:1")).toBe("discord:chain:10");
    expect(await chains.conversationOf("discord:9")).toBeUndefined();
    // Past the bound the least recently used goes: 2 was not read since it was set.
    await chains.remember("discord:3", "discord:chain:30");
    expect(chains.size).toBe(2);
    expect(await chains.conversationOf("discord:2")).toBeUndefined();
    expect(await chains.conversationOf("discord:1")).toBe("discord:chain:10");
  });

  it("forgets a message once its time is up, counted from when it was last remembered", async () => {
    let now = 0;
    const chains = new MemoryReplyChains({ max: 10, ttlMs: 1_000, now: () => now });
    await chains.remember("discord:1", "discord:chain:1");
    await chains.remember("discord:2", "discord:chain:2");
    now = 600;
    // An edited answer is remembered again.
    await chains.remember("discord:2", "discord:chain:2");
    now = 1_100;
    expect(await chains.conversationOf("discord:1")).toBeUndefined();
    expect(await chains.conversationOf("discord:2")).toBe("discord:chain:2");
  });

  it("keeps a message as long as a conversation is kept after its last question", () => {
    expect(DEFAULT_REPLY_CHAINS.ttlMs).toBe(DEFAULT_CONVERSATIONS.maxAgeMs);
    expect(DEFAULT_REPLY_CHAINS.ttlMs).toBe(30 * 60_000);
  });
});
