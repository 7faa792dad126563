import { describe, expect, it } from "vitest";
import { ConversationStore } from "../src/answer/conversations.js";
import { isFollowUp, mergeFollowUp } from "../src/answer/follow-up.js";

describe("ConversationStore", () => {
  it("keeps the last turns of each conversation, bounded in count", () => {
    const store = new ConversationStore({ maxConversations: 10, maxAgeMs: 60_000, maxTurns: 2 });
    for (const q of ["a", "b", "c"]) store.add("x", { question: q, standalone: q });
    expect(store.history("x").map((t) => t.question)).toEqual(["b", "c"]);
    expect(store.history("y")).toEqual([]);
  });

  it("forgets idle conversations and drops the least recently used past the bound", () => {
    let now = 0;
    const store = new ConversationStore({
      maxConversations: 2,
      maxAgeMs: 1_000,
      maxTurns: 5,
      now: () => now,
    });
    store.add("old", { question: "q", standalone: "q" });
    now = 2_000;
    expect(store.history("old")).toEqual([]);
    store.add("a", { question: "q", standalone: "q" });
    store.add("b", { question: "q", standalone: "q" });
    store.history("a");
    store.add("a", { question: "q2", standalone: "q2" });
    store.add("c", { question: "q", standalone: "q" });
    expect(store.size).toBe(2);
    expect(store.history("b")).toEqual([]);
    expect(store.history("a")).toHaveLength(2);
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
