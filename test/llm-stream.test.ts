import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { type Engine, openEngine } from "../src/engine.js";
import { showablePartial } from "../src/llm/summarizer.js";
import { silentLogger } from "../src/logger.js";
import { sentenceOf } from "./helpers/fake-openai.js";
import { CORPUS_DIR } from "./helpers/index-fixtures.js";
import { useLlmFixture } from "./helpers/llm-fixture.js";

const QUESTION = "what did Holly say about cold starts?";
const UNSAFE = /https?|:\/\/|evil|@|<|>|\*|`/i;

const fixture = useLlmFixture("llm-stream");
// For a model that stalls for ever: the deadline is all that ends the call, so it can be far from the
// work it races (retrieval, the request, and the first words reaching the bot), even on a busy machine.
const STALL_DEADLINE_MS = 3_000;

function engineWith(env: Record<string, string> = {}): Promise<Engine> {
  const config = loadConfig({
    INDEX_DIR: fixture.indexDir,
    CORPUS_DIR,
    EMBEDDER: "offline",
    OPENAI_BASE_URL: fixture.fake.baseURL,
    ...env,
  });
  return openEngine(config, { log: silentLogger(), llm: { retryDelayMs: 1 } });
}

async function askStreaming(engine: Engine) {
  const partials: string[] = [];
  const answer = await engine.ask({
    text: QUESTION,
    user: "U1",
    onSummaryText: (text) => partials.push(text),
  });
  return { answer, partials };
}

describe("a streamed summary", () => {
  it("is shown word by word as it is written, and the checked final text is the answer's summary", async () => {
    let expected = "";
    fixture.fake.respond((request) => {
      expected = `Holly Mesrobian said "${sentenceOf(request)}" [1]. Jeremy raised it too [3].`;
      return { content: expected };
    });
    const { answer, partials } = await askStreaming(await engineWith());

    expect(fixture.fake.chatRequests()[0]?.body.stream).toBe(true);
    expect(answer.summary).toBe(expected);
    expect(partials.length).toBeGreaterThan(3);
    for (const partial of partials) expect(expected.startsWith(partial)).toBe(true);
    // Growing, never repeating.
    for (let i = 1; i < partials.length; i++) {
      expect(partials[i]?.length).toBeGreaterThan(partials[i - 1]?.length ?? 0);
    }
  });

  it("never shows a link, a mention or markup, not even half-written", async () => {
    fixture.fake.respond(() => ({
      content:
        "Holly says **cold starts** keep improving [1]. Visit https://evil.example/win and <!channel> <@U123> @everyone now [1].",
    }));
    const { answer, partials } = await askStreaming(await engineWith());
    expect(partials.length).toBeGreaterThan(0);
    for (const partial of partials) expect(partial).not.toMatch(UNSAFE);
    // What is left of the second sentence ("Visit and now") still speaks to the reader: dropped.
    expect(answer.summary).toBeUndefined();
  });

  it("that fails a check is gone from the final answer, which has quotes alone", async () => {
    fixture.fake.respond(() => ({ content: 'Holly said "cold starts are completely solved now" [1].' }));
    const engine = await engineWith();
    const { answer, partials } = await askStreaming(engine);
    expect(partials.length).toBeGreaterThan(0);
    expect(answer.summary).toBeUndefined();
    expect(answer.passages.length).toBeGreaterThan(0);
    expect(engine.llm?.summaries.bad_quote).toBe(1);
  });

  it("that says NOT_ANSWERED shows nothing and makes the answer uncertain", async () => {
    fixture.fake.respond(() => ({ content: "NOT_ANSWERED" }));
    const { answer, partials } = await askStreaming(await engineWith());
    expect(partials).toEqual([]);
    expect(answer.status).toBe("uncertain");
  });

  it("that stalls mid-way ends at the deadline with quotes alone, and is not retried", async () => {
    fixture.fake.respond(() => ({ stall: true, partial: "Holly said that cold starts " }));
    const engine = await engineWith({ LLM_TIMEOUT_MS: String(STALL_DEADLINE_MS) });
    const { answer, partials } = await askStreaming(engine);
    expect(partials).toEqual(["Holly said that cold starts"]);
    expect(answer.summary).toBeUndefined();
    expect(answer.passages.length).toBeGreaterThan(0);
    expect(fixture.fake.chatRequests()).toHaveLength(1);
    expect(engine.llm?.failures.timeout).toBe(1);
  });

  it("is retried once on a 503 that came before any text", async () => {
    fixture.fake.respond((request, index) =>
      index === 0 ? { status: 503 } : { content: `Holly said "${sentenceOf(request)}" [1].` },
    );
    const engine = await engineWith();
    const { answer } = await askStreaming(engine);
    expect(fixture.fake.chatRequests()).toHaveLength(2);
    expect(answer.summary).toMatch(/^Holly said ".+" \[1\]\.$/);
  });
});

describe("showablePartial", () => {
  it("holds back the word being written and anything that may become NOT_ANSWERED", () => {
    expect(showablePartial("Holly said cold")).toBe("Holly said");
    expect(showablePartial("Holly")).toBeUndefined();
    expect(showablePartial("NOT_ANS")).toBeUndefined();
    expect(showablePartial("NOT_ANSWERED ")).toBeUndefined();
    expect(showablePartial("see https://evil.exa")).toBe("see");
    expect(showablePartial("ping <!chan")).toBe("ping");
  });
});
