import { describe, expect, it } from "vitest";
import { DEFAULT_CONVERSATIONS } from "../src/answer/conversations.js";
import { DiscordConversations } from "../src/bot/discord/conversations.js";
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

describe("DiscordConversations", () => {
  it("puts a question in its thread, its DM, the chain of the answer it replies to, or a new chain", async () => {
    const conversations = new DiscordConversations(new MemoryReplyChains());
    await conversations.remember("200", "discord:chain:100");
    expect(await conversations.isAnswer("200")).toBe(true);
    expect(await conversations.isAnswer("100")).toBe(false);

    // A thread wins over a DM and a reply; a DM over a reply.
    const all = { threadId: "7", dmChannelId: "8", repliedToId: "200", rootId: "300" };
    expect(await conversations.resolve(all)).toBe("discord:thread:7");
    expect(await conversations.resolve({ ...all, threadId: undefined })).toBe("discord:dm:8");
    // A reply to a remembered answer continues its conversation.
    expect(await conversations.resolve({ repliedToId: "200", rootId: "300" })).toBe("discord:chain:100");
    // A reply to any other message starts a chain rooted at that message.
    expect(await conversations.resolve({ repliedToId: "250", rootId: "300" })).toBe("discord:chain:250");
    expect(await conversations.resolve({ rootId: "300" })).toBe("discord:chain:300");
  });

  it("keeps Discord's messages apart from other platforms' in the reply chains", async () => {
    const chains = new MemoryReplyChains();
    await new DiscordConversations(chains).remember("200", "discord:chain:100");
    expect(await chains.conversationOf("discord:200")).toBe("discord:chain:100");
    expect(await chains.conversationOf("200")).toBeUndefined();
  });
});
