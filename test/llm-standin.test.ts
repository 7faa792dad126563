import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type StandIn, startStandIn } from "../scripts/llm-standin.js";
import { loadConfig } from "../src/config.js";
import { openEngine } from "../src/engine.js";
import { silentLogger } from "../src/logger.js";
import { buildTestIndex, CORPUS_DIR, makeTempDir, REPO, removeDir, runTs } from "./helpers/index-fixtures.js";

const QUESTION = "what did Holly say about cold starts?";
const FOLLOW_UP = "and why does that matter?";

let tempDir: string;
let indexDir: string;
let standIn: StandIn;

beforeAll(async () => {
  tempDir = await makeTempDir("llm-standin");
  indexDir = join(tempDir, "index");
  await buildTestIndex(indexDir);
  standIn = await startStandIn(0);
});

afterAll(async () => {
  await standIn?.close();
  await removeDir(tempDir);
});

describe("the LLM stand-in (scripts/llm-standin.ts)", () => {
  it("writes summaries that pass the checks and rewrites follow-ups, so both LLM paths run", async () => {
    const config = loadConfig({
      INDEX_DIR: indexDir,
      CORPUS_DIR,
      EMBEDDER: "offline",
      OPENAI_BASE_URL: standIn.baseURL,
    });
    const engine = await openEngine(config, { log: silentLogger() });
    // The stand-in is shared with the other test, which may run first: count this test's calls only.
    const before = { ...standIn.stats };
    const first = await engine.ask({ text: QUESTION, conversation: "c", user: "U1" });
    const follow = await engine.ask({ text: FOLLOW_UP, conversation: "c", user: "U1" });

    const speaker = first.passages[0]?.speaker ?? "";
    expect(first.summary).toMatch(new RegExp(`^${speaker} said ".+" \\[1\\]\\.$`));
    expect(follow.question).toBe(`${QUESTION} ${FOLLOW_UP}`);
    expect(follow.summary).toBeDefined();
    expect(standIn.stats.rewrites - before.rewrites).toBe(1);
    expect(standIn.stats.summaries - before.summaries).toBe(2);
    expect(engine.llm?.summaries.kept).toBe(2);
    expect(engine.llm?.rewrites.used).toBe(1);
  });

  it("`npm run eval` through it gives the offline figures and answers, with summaries asked for", async () => {
    const qa = join(REPO, "eval", "dev.jsonl");
    const env = { INDEX_DIR: indexDir, CORPUS_DIR, LOG_LEVEL: "warn" };
    const before = standIn.stats.summaries;
    const offline = await runTs("src/cli/eval.ts", ["--qa", qa, "--json"], { cwd: tempDir, env });
    const withLlm = await runTs("src/cli/eval.ts", ["--qa", qa, "--json"], {
      cwd: tempDir,
      env: { ...env, OPENAI_BASE_URL: standIn.baseURL },
    });
    expect(offline.code).toBe(0);
    expect(withLlm.code).toBe(0);
    const figures = (stdout: string) => {
      const { summary, results } = JSON.parse(stdout) as {
        summary: Record<string, number>;
        results: Array<{ status: string; latencyMs?: number }>;
      };
      // Timings differ from run to run; everything else must not.
      const { p50Ms: _p50, p95Ms: _p95, ...rest } = summary;
      return { rest, results: results.map(({ latencyMs: _latency, ...result }) => result) };
    };
    const a = figures(offline.stdout);
    const b = figures(withLlm.stdout);
    expect(b.rest).toEqual(a.rest);
    expect(b.results).toEqual(a.results);
    const summarised = b.results.filter((r) => r.status !== "not_found").length;
    expect(summarised).toBeGreaterThan(0);
    // Every answer with quotes was summarised (the warm-up question too, when it found any).
    expect(standIn.stats.summaries - before).toBeGreaterThanOrEqual(summarised);
    expect(withLlm.stderr).not.toMatch(/LLM (summary|rewrite) call failed|summary dropped/);
  });
});
