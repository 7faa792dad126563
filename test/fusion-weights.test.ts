import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { type Engine, openEngine } from "../src/engine.js";
import { isHit } from "../src/eval/score.js";
import { silentLogger } from "../src/logger.js";
import { DEFAULT_RETRIEVAL } from "../src/retrieval/retriever.js";
import { buildTestIndex, CORPUS_DIR, makeTempDir, removeDir } from "./helpers/index-fixtures.js";

// FUSION_WEIGHTS reaches the ranking: another embedder may need other weights, and they cannot be
// measured here without its model, so they are set from the environment, not edited in code.

let dir: string;
const engines: Engine[] = [];

async function engineWith(env: NodeJS.ProcessEnv, settings = DEFAULT_RETRIEVAL): Promise<Engine> {
  const config = loadConfig({ INDEX_DIR: dir, CORPUS_DIR, EMBEDDER: "offline", ...env });
  const engine = await openEngine(config, { log: silentLogger(), settings });
  engines.push(engine);
  return engine;
}

beforeAll(async () => {
  dir = await makeTempDir("fusion-weights");
  await buildTestIndex(dir);
});

afterAll(async () => {
  await Promise.all(engines.map((engine) => engine.close()));
  await removeDir(dir);
});

describe("FUSION_WEIGHTS", () => {
  const question = { text: "cold starts and provisioned concurrency", limit: 10 };

  it("overrides the signals it names and keeps the other defaults", async () => {
    const engine = await engineWith({ FUSION_WEIGHTS: "vector=2,context=0" });
    expect(engine.retriever.settings.weights).toEqual({
      ...DEFAULT_RETRIEVAL.weights,
      vector: 2,
      context: 0,
    });
  });

  it("changes the ranking: with every lexical signal off, the closest passages by vector come first", async () => {
    const usual = await engineWith({});
    const vectorOnly = await engineWith({
      FUSION_WEIGHTS: "text=0,sentence=0,context=0,coverage=0,vector=1",
    });
    const before = (await usual.retriever.retrieve(question)).hits;
    const after = (await vectorOnly.retriever.retrieve(question)).hits;
    // Speaker, answer-type and asking-turn factors still apply, so only the first place is pinned:
    // it is one of the three passages most similar to the question.
    const closest = [...after].sort((a, b) => (b.signals.vector ?? 0) - (a.signals.vector ?? 0)).slice(0, 3);
    expect(closest.map((hit) => hit.position)).toContain(after[0]?.position);
    expect(after.every((hit) => (hit.signals.vector ?? 0) > 0)).toBe(true);
    expect(after.map((hit) => hit.position)).not.toEqual(before.map((hit) => hit.position));
  });
});

describe("the reply to a question", () => {
  it("carries the words of the question it answers: the guest's answer moves up", async () => {
    // Feedback off in both, so only the reply's weight differs.
    const plain = await engineWith({}, { ...DEFAULT_RETRIEVAL, answerContextWeight: 1, feedbackWeight: 0 });
    const usual = await engineWith({}, { ...DEFAULT_RETRIEVAL, feedbackWeight: 0 });
    // The host asks "are we ever going to get to a point where like a hundred percent of our
    // compute is serverless?"; the guest's reply says "only time will tell" and little else asked.
    const question = { text: "is the goal a world where all compute is serverless?", limit: 10 };
    const rank = async (engine: Engine) =>
      (await engine.retriever.retrieve(question)).hits.findIndex((hit) =>
        isHit(hit.passage.text, ["only time will tell"]),
      );
    const [before, after] = [await rank(plain), await rank(usual)];
    expect(after).toBeGreaterThanOrEqual(0);
    expect(after).toBeLessThan(before);
  });
});

describe("pseudo-relevance feedback", () => {
  const question = { text: "will all compute be serverless someday?", limit: 10 };

  it("searches telling words of the two best passages that the question did not ask", async () => {
    const off = await engineWith({}, { ...DEFAULT_RETRIEVAL, feedbackWeight: 0 });
    const on = await engineWith({});
    const first = await off.retriever.retrieve({ ...question, limit: 2 });
    const { feedback, analysis } = await on.retriever.retrieve(question);
    expect(feedback.length).toBe(DEFAULT_RETRIEVAL.feedbackTerms);
    const lent = new Set(first.hits.flatMap((hit) => [...on.retriever.passageTerms(hit.position).own]));
    for (const term of feedback) {
      expect(lent.has(term)).toBe(true);
      expect(analysis.searched.has(term)).toBe(false);
    }
    expect((await off.retriever.retrieve(question)).feedback).toEqual([]);
  });

  it("leaves the quote alone: a passage's best sentence pair is chosen on the question's own words", async () => {
    const off = await engineWith({}, { ...DEFAULT_RETRIEVAL, feedbackWeight: 0 });
    const on = await engineWith({});
    const ask = { text: "what did jeremy say about testing serverless apps locally?", limit: 10 };
    const before = new Map(
      (await off.retriever.retrieve(ask)).hits.map((hit) => [hit.position, hit.sentence]),
    );
    const after = await on.retriever.retrieve(ask);
    expect(after.feedback.length).toBeGreaterThan(0);
    // Most passages are found with and without feedback (9 of 10 when written): each of those is
    // compared, and there must be enough of them for the comparison to mean something.
    const shared = after.hits.filter((hit) => before.has(hit.position));
    expect(shared.length).toBeGreaterThanOrEqual(5);
    expect(shared.map((hit) => hit.sentence)).toEqual(shared.map((hit) => before.get(hit.position)));
  });

  it('lifts the passage that answers in the episode\'s words: "only time will tell"', async () => {
    const off = await engineWith({}, { ...DEFAULT_RETRIEVAL, feedbackWeight: 0 });
    const on = await engineWith({});
    const rank = async (engine: Engine) =>
      (await engine.retriever.retrieve(question)).hits.findIndex((hit) =>
        isHit(hit.passage.text, ["only time will tell"]),
      );
    const [before, after] = [await rank(off), await rank(on)];
    // Without feedback it is in the ten (8th when written), lower than with it.
    expect(before).toBeGreaterThanOrEqual(0);
    expect(after).toBeGreaterThanOrEqual(0);
    expect(after).toBeLessThan(before);
  });
});
