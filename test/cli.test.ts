import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Answer } from "../src/answer/types.js";
import { INDEX_FORMAT_VERSION, type Manifest, readManifest } from "../src/retrieval/index/storage.js";
import {
  type ChildResult,
  CORPUS_DIR,
  cleanEnv,
  copyCorpus,
  EPISODE_ID,
  makeTempDir,
  REPO,
  removeDir,
  runTs,
  TRANSCRIPT,
  TSX_LOADER,
} from "./helpers/index-fixtures.js";

/*
 * The commands as a user runs them, each in a child process with a clean
 * environment (no chat or LLM settings) and the offline embedder. The first
 * `ask` finds no index and builds it; the later commands reuse that index.
 */

// Child processes and index builds take seconds each, more on a loaded machine.
vi.setConfig({ testTimeout: 90_000, hookTimeout: 90_000 });

const source = readFileSync(TRANSCRIPT, "utf8");
let root: string;
let indexDir: string;

beforeAll(async () => {
  root = await makeTempDir("cli");
  indexDir = join(root, "index");
});

afterAll(() => removeDir(root));

function run(script: string, args: string[], env: Record<string, string> = {}, input?: string) {
  return runTs(script, args, {
    cwd: root,
    input,
    env: { INDEX_DIR: indexDir, CORPUS_DIR, LOG_LEVEL: "info", ...env },
  });
}

function explain(result: ChildResult): string {
  return `exit ${result.code} ${result.signal ?? ""}\nstderr:\n${result.stderr}`;
}

// The order below is part of the tests (see above): kept even when the run shuffles tests.
describe("the commands, in order", { shuffle: false }, () => {
  describe("npm run ask -- QUESTION --json", () => {
    it("builds the missing index, then prints exactly one JSON Answer on stdout (logs on stderr)", async () => {
      const result = await run("src/cli/ask.ts", ["what did Holly say about cold starts?", "--json"]);
      expect(result.code, explain(result)).toBe(0);
      // Logs went to stderr as JSON lines, not to stdout.
      expect(result.stderr).toContain("building it from");
      const answer = JSON.parse(result.stdout) as Answer;
      expect(result.stdout.trim().startsWith("{")).toBe(true);
      expect(answer.status).toBe("answered");
      expect(answer.question).toBe("what did Holly say about cold starts?");
      expect(answer.passages.length).toBeGreaterThan(0);
      expect(answer.passages.length).toBeLessThanOrEqual(3);
      for (const p of answer.passages) {
        expect(Object.keys(p)).toEqual(
          expect.arrayContaining(["text", "quote", "speaker", "role", "start", "end", "score", "episode"]),
        );
        expect(source.slice(p.start, p.end)).toBe(p.text);
        expect(p.quote.replace(/…/g, "").trim().length).toBeGreaterThan(0);
        expect(["Jeremy Daly", "Holly Mesrobian", "Episode notes"]).toContain(p.speaker);
        expect(["host", "guest", "notes"]).toContain(p.role);
        expect(p.episode).toEqual({
          id: EPISODE_ID,
          title: "Serverless Transformation at AWS with Holly Mesrobian",
          url: "https://youtu.be/nBYUh7CVUiQ",
          show: "Serverless Chats",
          number: 65,
        });
        expect(typeof p.score).toBe("number");
      }
      expect(answer.passages.some((p) => p.speaker === "Holly Mesrobian" && /cold start/i.test(p.text))).toBe(
        true,
      );
      expect((await readManifest(indexDir))?.formatVersion).toBe(INDEX_FORMAT_VERSION);
    });

    it("rebuilds an index an older version wrote, then answers; refuses one a newer version wrote", async () => {
      const manifestFile = join(indexDir, "manifest.json");
      const setFormat = async (version: number) => {
        const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as Manifest;
        await writeFile(manifestFile, JSON.stringify({ ...manifest, formatVersion: version }));
      };
      await setFormat(INDEX_FORMAT_VERSION - 1);
      const older = await run("src/cli/ask.ts", ["cold starts?", "--json"]);
      expect(older.code, explain(older)).toBe(0);
      expect(older.stderr).toContain(`older than this version's ${INDEX_FORMAT_VERSION}: rebuilding it`);
      expect((JSON.parse(older.stdout) as Answer).status).toBe("answered");
      expect((await readManifest(indexDir))?.formatVersion).toBe(INDEX_FORMAT_VERSION);

      await setFormat(INDEX_FORMAT_VERSION + 1);
      const newer = await run("src/cli/ask.ts", ["cold starts?", "--json"]);
      expect(newer.code, explain(newer)).toBe(1);
      expect(newer.stderr).toContain("E_INDEX_VERSION");
      expect(newer.stdout).toBe("");
      await setFormat(INDEX_FORMAT_VERSION);
    });

    it("fails with the error code and what to run, and nothing on stdout, when the index is corrupt", async () => {
      const broken = join(root, "broken-index");
      await mkdir(broken);
      await writeFile(join(broken, "manifest.json"), "{ not json");
      const result = await run("src/cli/ask.ts", ["cold starts?", "--json"], { INDEX_DIR: broken });
      expect(result.code, explain(result)).toBe(1);
      expect(result.stdout).toBe("");
      expect(result.stderr).toContain("E_INDEX_CORRUPT");
      expect(result.stderr).toContain("npm run build-index -- --force");
      expect(result.stderr).not.toContain("    at ");
    });
  });

  describe("npm start with piped input", () => {
    it("answers every line as a terminal chat, then exits 0 at the end of input", async () => {
      const result = await run(
        "src/main.ts",
        [],
        {},
        "what did Holly say about cold starts?\n\nwhy did they build EFS for Lambda?\n",
      );
      expect(result.code, explain(result)).toBe(0);
      expect(result.stdout).toMatch(
        /“[^”]+”\n {4}— (Holly Mesrobian \(guest\)|Jeremy Daly \(host\)), Serverless/,
      );
      expect(result.stdout).toContain("Episode: https://youtu.be/nBYUh7CVUiQ");
      // Both questions answered (each answer names the episode link once).
      expect(result.stdout.match(/Episode: https:\/\/youtu\.be\/nBYUh7CVUiQ/g)?.length).toBe(2);
      expect(result.stdout).not.toContain("something went wrong");
      // No prompt or greeting when the input is not a person at a terminal.
      expect(result.stdout).not.toContain("Ctrl-D");
    });
  });

  describe("npm run eval -- --qa eval/dev.jsonl --json", () => {
    it("prints one JSON object: the summary figures and up to k passages per question", async () => {
      const qa = join(REPO, "eval", "dev.jsonl");
      const questions = readFileSync(qa, "utf8")
        .split("\n")
        .filter((l) => l.trim() !== "").length;
      const result = await run("src/cli/eval.ts", ["--qa", qa, "--json", "--k", "4"]);
      expect(result.code, explain(result)).toBe(0);
      expect(result.stdout.trim().split("\n")).toHaveLength(1);
      const report = JSON.parse(result.stdout) as {
        summary: Record<string, number>;
        results: Array<{
          id: string;
          question: string;
          status: string;
          passages: Array<Record<string, unknown>>;
        }>;
      };
      expect(Object.keys(report).sort()).toEqual(["results", "summary"]);
      expect(Object.keys(report.summary).sort()).toEqual(
        [
          "answered",
          "hitAt1",
          "hitAt3",
          "hitAt5",
          "mrr",
          "nearMissHonest",
          "offtopicRefused",
          "p50Ms",
          "p95Ms",
        ].sort(),
      );
      for (const key of [
        "hitAt1",
        "hitAt3",
        "hitAt5",
        "mrr",
        "answered",
        "offtopicRefused",
        "nearMissHonest",
      ]) {
        expect(report.summary[key]).toBeGreaterThanOrEqual(0);
        expect(report.summary[key]).toBeLessThanOrEqual(1);
      }
      const { hitAt1, hitAt3, hitAt5, p50Ms, p95Ms } = report.summary as Record<string, number>;
      expect(hitAt1).toBeLessThanOrEqual(hitAt3 as number);
      expect(hitAt3).toBeLessThanOrEqual(hitAt5 as number);
      expect(p50Ms).toBeLessThanOrEqual(p95Ms as number);

      expect(report.results).toHaveLength(questions);
      expect(report.results[0]?.id).toBe("d01");
      expect(Math.max(...report.results.map((r) => r.passages.length))).toBe(4);
      for (const r of report.results) {
        expect(["answered", "uncertain", "not_found"]).toContain(r.status);
        expect(r.passages.length).toBeLessThanOrEqual(4);
        for (const p of r.passages) {
          expect(Object.keys(p).sort()).toEqual([
            "end",
            "quote",
            "role",
            "score",
            "speaker",
            "start",
            "text",
          ]);
          expect(source.slice(p.start as number, p.end as number)).toBe(p.text);
        }
        const scores = r.passages.map((p) => p.score as number);
        expect(scores).toEqual([...scores].sort((a, b) => b - a));
      }
    });
  });

  describe("a reader that stops reading", () => {
    it("`npm run eval -- --verbose | head -1` ends quietly when the pipe closes, exit 0", async () => {
      const child = spawn(
        process.execPath,
        [
          "--import",
          TSX_LOADER,
          join(REPO, "src/cli/eval.ts"),
          "--qa",
          join(REPO, "eval", "dev.jsonl"),
          "--verbose",
        ],
        {
          cwd: root,
          env: cleanEnv({ INDEX_DIR: indexDir, CORPUS_DIR, LOG_LEVEL: "error" }),
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      let stderr = "";
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
        stderr += chunk;
      });
      // Like `head -1`: read the first line, then close the pipe.
      await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
      child.stdout.destroy();
      const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
      expect(stderr).not.toMatch(/EPIPE|Unhandled/);
      expect(code).toBe(0);
    });
  });

  describe("npm run eval on bad input", () => {
    it("names the file and line of a question without a question, and refuses a bad --k", async () => {
      const qa = join(root, "bad.jsonl");
      await writeFile(
        qa,
        `${JSON.stringify({ id: "x1", question: "cold starts?", answerable: true, evidence: ["cold"] })}\n\n` +
          `${JSON.stringify({ id: "x2", answerable: true })}\n`,
      );
      const result = await run("src/cli/eval.ts", ["--qa", qa, "--json"]);
      expect(result.code, explain(result)).toBe(1);
      expect(result.stdout).toBe("");
      expect(result.stderr).toContain(`E_EVAL_FILE: ${qa}:3: missing or invalid question, evidence`);

      const badK = await run("src/cli/eval.ts", ["--qa", qa, "--k", "many"]);
      expect(badK.code, explain(badK)).toBe(1);
      expect(badK.stderr).toContain("--k must be a whole number");
    });
  });

  describe("npm run build-index", () => {
    it("prints a summary, and says the index is up to date when run again", async () => {
      const out = join(root, "built");
      const first = await run("scripts/build-index.ts", ["--out", out]);
      expect(first.code, explain(first)).toBe(0);
      const manifest = (await readManifest(out)) as Manifest;
      const lines = first.stdout.trim().split("\n");
      expect(lines[0]).toBe(`built ${out}`);
      expect(first.stdout).toMatch(/^ {2}episodes: +1$/m);
      expect(first.stdout).toMatch(new RegExp(`^ {2}passages: +${manifest.passageCount}$`, "m"));
      expect(first.stdout).toMatch(/^ {2}embedder: +offline-hash-v1 \(512 dimensions\)$/m);
      expect(first.stdout).toMatch(/^ {2}time: +\d+ ms$/m);
      expect(first.stdout).toMatch(/^ {2}size: +\d+\.\d KiB$/m);

      const second = await run("scripts/build-index.ts", ["--out", out]);
      expect(second.code, explain(second)).toBe(0);
      expect(second.stdout).toContain("is up to date");
      expect(await readManifest(out)).toEqual(manifest);
    });

    it("with --strict, exits non-zero naming the file and line of a broken transcript, and publishes nothing", async () => {
      const corpus = await copyCorpus(join(root, "broken-corpus"));
      const transcript = join(corpus, "serverless-chats-065.txt");
      await writeFile(transcript, `Jeremy: Hello.\n\nHolly: Hi.\n${"\u0000".repeat(8)}\n`);
      const out = join(root, "never-built");
      const result = await run("scripts/build-index.ts", ["--corpus", corpus, "--out", out, "--strict"]);
      expect(result.code, explain(result)).toBe(1);
      expect(result.stdout).toBe("");
      expect(result.stderr).toContain(`error E_TRANSCRIPT_BINARY: ${transcript}:4:`);
      expect(result.stderr).not.toContain("    at ");
      expect(await readdir(out).catch(() => [])).toEqual([]);
    });

    it("without --strict, publishes the other episodes and lists each file left out with its path and line", async () => {
      const corpus = await copyCorpus(join(root, "partly-broken-corpus"));
      await mkdir(join(corpus, "gotime"));
      const broken = join(corpus, "gotime", "go-time-1.md");
      await writeFile(broken, "**Mat Ryer:** Hello.\n\n**Jon Calhoun:** Hi\u0001.\n");
      const lonely = join(corpus, "lonely.txt");
      await writeFile(lonely, "Jeremy: Hello.\n");
      // A few stray control characters in a long enough text are removed, and the file imported.
      const repaired = join(corpus, "gotime", "go-time-2.md");
      const said = "Go is a small language, and that is the point of it. ".repeat(45);
      await writeFile(
        repaired,
        `**Mat Ryer:** ${said}\n\n**Jon Calhoun:** Try \u001d\`go vet\`\u001d first.\n`,
      );
      const out = join(root, "partly-built");
      const result = await run("scripts/build-index.ts", ["--corpus", corpus, "--out", out]);
      expect(result.code, explain(result)).toBe(0);
      expect(result.stdout).toMatch(/^ {2}episodes: +2$/m);
      expect(result.stdout).toContain(
        "  repaired:  1 (stray control characters removed; the rest of the file was imported)\n" +
          `    ${repaired}:3: removed 2 stray control characters: U+001D ×2 on line 3\n`,
      );
      expect(result.stdout).toMatch(/^ {2}skipped: +2 \(left out of the index/m);
      expect(result.stdout).toContain(
        `    ${broken}:3: the file holds binary or non-UTF-8 data (U+0001 at column 20)`,
      );
      expect(result.stdout).toContain(`    ${lonely}: no metadata sidecar lonely.meta.json beside it.`);
      expect((await readManifest(out))?.skipped?.map((p) => p.file)).toEqual([lonely, broken]);
    });
  });
});
