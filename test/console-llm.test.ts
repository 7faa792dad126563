import { PassThrough, Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { runConsole } from "../src/bot/console.js";
import { openEngine } from "../src/engine.js";
import { silentLogger } from "../src/logger.js";
import { holdReplies } from "./helpers/fake-openai.js";
import { llmConfig, useLlmFixture } from "./helpers/llm-fixture.js";

// The terminal chat with the real engine and a fake OpenAI-compatible server on 127.0.0.1.

const fixture = useLlmFixture("console-llm");

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("the terminal chat with an LLM summary", () => {
  it("prints the quotes at once and the checked summary after them", async () => {
    const release = holdReplies(fixture.fake, (sentence) => `Holly Mesrobian said "${sentence}" [1].`);
    const engine = await openEngine(llmConfig(fixture), { log: silentLogger() });
    const input = new PassThrough();
    let printed = "";
    const output = new Writable({
      write(chunk, _encoding, done) {
        printed += String(chunk);
        done();
      },
    });
    const finished = runConsole({ ask: engine.ask, log: silentLogger(), input, output, interactive: false });
    input.write("what did Holly say about cold starts?\n");

    // The model has the question and has not answered: the quotes are already on screen.
    await until(() => printed.includes("— Holly Mesrobian (guest)"), "the quotes");
    await fixture.fake.waitForChatRequests(1, "the LLM request");
    expect(printed).not.toContain("Summary:");

    release();
    await until(() => printed.includes("Summary: Holly Mesrobian said"), "the summary");
    expect(printed.indexOf("— Holly Mesrobian (guest)")).toBeLessThan(printed.indexOf("Summary:"));
    // The quotes are printed once.
    expect(printed.split("Episode: ").length - 1).toBe(1);
    input.end();
    await finished;
  });
});
