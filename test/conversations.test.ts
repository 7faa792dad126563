import { describe, expect, it } from "vitest";
import { MemoryConversations } from "../src/answer/conversations.js";
import { isFollowUp, mergeFollowUp } from "../src/answer/follow-up.js";

describe("MemoryConversations", () => {
  it("keeps the last turns of each conversation, bounded in count", async () => {
    const store = new MemoryConversations({ maxConversations: 10, maxAgeMs: 60_000, maxTurns: 2 });
    for (const q of ["a", "b", "c"]) await store.add("x", { question: q, standalone: q });
    expect((await store.history("x")).map((t) => t.question)).toEqual(["b", "c"]);
    expect(await store.history("y")).toEqual([]);
  });

  it("forgets idle conversations and drops the least recently used past the bound", async () => {
    let now = 0;
    const store = new MemoryConversations({
      maxConversations: 2,
      maxAgeMs: 1_000,
      maxTurns: 5,
      now: () => now,
    });
    await store.add("old", { question: "q", standalone: "q" });
    now = 2_000;
    expect(await store.history("old")).toEqual([]);
    await store.add("a", { question: "q", standalone: "q" });
    await store.add("b", { question: "q", standalone: "q" });
    await store.history("a");
    await store.add("a", { question: "q2", standalone: "q2" });
    await store.add("c", { question: "q", standalone: "q" });
    expect(store.size).toBe(2);
    expect(await store.history("b")).toEqual([]);
    expect(await store.history("a")).toHaveLength(2);
  });
});

describe("follow-ups", () => {
  it.each(["why?", "and GPUs?", "what did she mean by that", "what about the 15 minute limit?", "really?"])(
    "%j leans on the previous question",
    (q) => expect(isFollowUp(q)).toBe(true),
  );

  it.each([
    "why does Jeremy like Lambda being stateless?",
    "what did Holly say about cold starts?",
    "how do separate accounts help with concurrency limits?",
  ])("%j stands on its own", (q) => expect(isFollowUp(q)).toBe(false));

  it("merges a follow-up with what it follows, bounded in length", () => {
    expect(mergeFollowUp("and GPUs?", "what new workloads can Lambda handle")).toBe(
      "and GPUs? what new workloads can Lambda handle",
    );
    expect(mergeFollowUp("why?", "word ".repeat(100)).split(" ")).toHaveLength(40);
  });
});
