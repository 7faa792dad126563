import { describe, expect, it } from "vitest";
import { askingPart } from "../src/answer/asking-part.js";

describe("the part of a message that asks", () => {
  it("is the sentences ending in a question mark, when others give context", () => {
    expect(askingPart("We run Java on ECS today. What did Holly say about cold starts?")).toBe(
      "What did Holly say about cold starts?",
    );
    expect(askingPart("What about GPUs? Asking for my ML team. And bigger memory?")).toBe(
      "What about GPUs? And bigger memory?",
    );
  });

  it("is the whole message when every sentence asks, or none does", () => {
    expect(askingPart("what did holly say about cold starts?")).toBeUndefined();
    expect(askingPart("Why? And GPUs?")).toBeUndefined();
    expect(askingPart("tell me about provisioned concurrency. thanks")).toBeUndefined();
  });
});
