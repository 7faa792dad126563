import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { cpus, tmpdir, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Command } from "commander";
import hnswlib from "hnswlib-node";
import { loadConfig } from "../src/config.js";
import { createOfflineEmbedder } from "../src/embeddings/offline.js";
import { openEngine } from "../src/engine.js";
import type { QaItem } from "../src/eval/score.js";
import { silentLogger } from "../src/logger.js";
import { buildIndex } from "../src/retrieval/index/build.js";
import { loadIndex } from "../src/retrieval/index/storage.js";
import { DEFAULT_HNSW, type HnswParams, VectorIndex } from "../src/retrieval/index/vector-index.js";
import { makeArchive } from "./make-archive.js";

/**
 * `npm run bench [-- --json]`: build time, question latency, cold start and
 * memory for the bundled episode, for synthetic archives of 100 and 1,000
 * episodes (with HNSW recall and speed-up against exact search), and for
 * samples of the real archive (`--real 100,500,all`): full build, update after
 * one episode changed, serving, cold start. Each heavy
 * measurement runs in a child process of its own, so peak RSS is that task's.
 * Everything stays on this machine; nothing is sent anywhere.
 */

// `npm run bench` runs from the project folder.
const REPO = process.cwd();
const SELF = fileURLToPath(import.meta.url);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const peakRssMb = () => round(process.resourceUsage().maxRSS / 1024, 0);

/** Runs this script as a worker in a fresh process and returns the JSON it prints. */
function worker(args: string[]): Record<string, number> {
  const result = spawnSync(process.execPath, [SELF, "--worker", ...args], {
    cwd: REPO,
    encoding: "utf8",
    maxBuffer: 1 << 24,
  });
  if (result.status !== 0) throw new Error(`worker ${args.join(" ")} failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split("\n").at(-1) ?? "{}") as Record<string, number>;
}

async function workerBuild(
  corpusDir: string,
  indexDir: string,
  force = true,
): Promise<Record<string, number>> {
  const started = performance.now();
  const result = await buildIndex({ corpusDir, indexDir, embedder: createOfflineEmbedder(), force });
  const ms = performance.now() - started;
  return {
    buildMs: round(ms, 0),
    passages: result.manifest.passageCount,
    embedded: result.embedded ?? 0,
    segments: result.manifest.segments.length,
    passagesPerSecond: round(result.manifest.passageCount / (ms / 1000), 0),
    indexMb: round(result.totalBytes / 1024 / 1024, 1),
    dataFolders: (await readdir(indexDir)).filter((n) => n.startsWith("data-")).length,
    ...result.timings,
    peakRssMb: peakRssMb(),
  };
}

async function workerServe(
  indexDir: string,
  questions: string[],
  passes: number,
): Promise<Record<string, number>> {
  const config = loadConfig({ INDEX_DIR: indexDir, EMBEDDER: "offline", LOG_LEVEL: "silent" });
  const engine = await openEngine(config, { log: silentLogger() });
  // Warm up the JIT and the word caches with other questions than the measured ones (the
  // held-out set), as a bot that has been answering for a while would be.
  const warmUp = (await readFile(join(REPO, "eval/holdout.jsonl"), "utf8")).trim().split("\n");
  for (const line of warmUp) await engine.ask({ text: (JSON.parse(line) as QaItem).question, limit: 10 });
  const latencies: number[] = [];
  const started = performance.now();
  for (let pass = 0; pass < passes; pass++) {
    for (const text of questions) {
      const t = performance.now();
      await engine.ask({ text, limit: 10 });
      latencies.push(performance.now() - t);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  // The first pass alone: each question new to the process, as a bot mostly sees them (later
  // passes find the passages' words and the scopes they need already worked out).
  const firstPass = latencies.slice(0, questions.length);
  return {
    questions: latencies.length,
    p50Ms: round(percentile(latencies, 50)),
    p95Ms: round(percentile(latencies, 95)),
    p99Ms: round(percentile(latencies, 99)),
    firstPassP50Ms: round(percentile(firstPass, 50)),
    firstPassP95Ms: round(percentile(firstPass, 95)),
    answersPerSecond: round(latencies.length / seconds, 0),
    peakRssMb: peakRssMb(),
  };
}

/** The bot's kind of query: the questions of the evaluation sets. */
async function evalQuestions(): Promise<string[]> {
  const files = ["eval/dev.jsonl", "eval/holdout.jsonl"];
  const lines = (await Promise.all(files.map((f) => readFile(join(REPO, f), "utf8")))).join("\n");
  return lines
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => (JSON.parse(line) as QaItem).question);
}

/**
 * HNSW against exact search over the same vectors: recall@10 and speed-up for the given M and
 * efConstruction, at the configured ef and a range around it. The exact search is hnswlib's own brute force
 * (the same C++ distance code), so the speed-up is HNSW's, not C++'s over JavaScript. Two kinds
 * of query: held-out passages (left out of both searches; what ANN benchmarks use) and the
 * evaluation questions (short texts, far from every passage: the hard case for a graph search).
 */
async function workerRecall(indexDir: string, params: HnswParams, heldOutCount: number): Promise<unknown> {
  const embedder = createOfflineEmbedder();
  const index = await loadIndex(indexDir, embedder);
  const all = await embedder.embed(index.passages.map((p) => p.text));
  const step = Math.max(1, Math.floor(all.length / heldOutCount));
  const heldOutPositions = new Set(
    Array.from({ length: heldOutCount }, (_, i) => i * step + Math.floor(step / 2)).filter(
      (i) => i < all.length,
    ),
  );
  const vectors = all.filter((_, i) => !heldOutPositions.has(i));
  const querySets = {
    heldOutPassages: [...heldOutPositions].map((i) => all[i] as Float32Array),
    questions: await embedder.embed(await evalQuestions()),
  };
  const hnswStarted = performance.now();
  const hnsw = VectorIndex.build(vectors, embedder.dimensions, params);
  const buildMs = performance.now() - hnswStarted;
  const exact = new hnswlib.BruteforceSearch("cosine", embedder.dimensions);
  exact.initIndex(vectors.length);
  vectors.forEach((vector, label) => {
    exact.addPoint(Array.from(vector), label);
  });

  const results: Record<string, unknown> = {
    m: params.m,
    efConstruction: params.efConstruction,
    vectors: vectors.length,
    hnswBuildMs: round(buildMs, 0),
  };
  for (const [name, queries] of Object.entries(querySets)) {
    const arrays = queries.map((q) => Array.from(q));
    let t = performance.now();
    // hnswlib's cosine "distance" is 1 - similarity; the 10th exact similarity sets the bar.
    const tenth = arrays.map((q) => 1 - (exact.searchKnn(q, 10).distances.at(-1) ?? 1));
    const exactMs = (performance.now() - t) / queries.length;
    const rows = [];
    for (const ef of [...new Set([64, 128, 256, 512, params.ef])].sort((a, b) => a - b)) {
      hnsw.setEf(ef);
      t = performance.now();
      const found = queries.map((q) => hnsw.search(q, 10));
      const hnswMs = (performance.now() - t) / queries.length;
      // Ties: a result as similar as the exact 10th is a correct 10th (short turns such as
      // "Right." recur, so some vectors are equal and "the" 10 nearest are not unique).
      const correct = found.reduce(
        (sum, hits, i) => sum + hits.filter((hit) => hit.similarity >= (tenth[i] as number) - 1e-5).length,
        0,
      );
      rows.push({
        ef,
        recallAt10: round(correct / (queries.length * 10), 3),
        hnswMsPerQuery: round(hnswMs, 3),
        speedUp: round(exactMs / hnswMs, 1),
      });
    }
    results[name] = { queries: queries.length, exactMsPerQuery: round(exactMs, 3), byEf: rows };
  }
  return results;
}

/**
 * Process start to printed answer, `runs` times. `via: "npm"` runs `npm run ask` as a user
 * would (the measure); `via: "node"` runs the compiled file directly, which leaves out
 * npm's own start-up (about 0.3 s on the development machine) to show the project's share.
 */
function coldStart(
  runs: number,
  indexDir: string,
  via: "node" | "npm",
  question = "what did Holly say about cold starts?",
  expected = "Holly Mesrobian",
): Record<string, number> {
  const times: number[] = [];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    INDEX_DIR: indexDir,
    EMBEDDER: "offline",
    LOG_LEVEL: "warn",
  };
  for (const key of Object.keys(env)) if (/^(SLACK_|DISCORD_|OPENAI_|LLM_)/.test(key)) delete env[key];
  const [command, args] =
    via === "npm"
      ? ["npm", ["run", "--silent", "ask", "--", question]]
      : [process.execPath, [join(REPO, "dist/src/cli/ask.js"), question]];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const result = spawnSync(command, args, { env, encoding: "utf8", cwd: REPO });
    if (result.status !== 0 || !result.stdout.includes(expected))
      throw new Error(`ask (${via}) failed: ${result.stderr}`);
    times.push(performance.now() - started);
  }
  return { medianMs: round(percentile(times, 50), 0), minMs: round(Math.min(...times), 0), runs };
}

async function main(): Promise<void> {
  const program = new Command()
    .name("bench")
    .option("--json", "print one JSON object", false)
    .option("--sizes <list>", "archive sizes in episodes (empty for none)", "100,1000")
    .option(
      "--real <list>",
      "samples of the real archive, in episodes spread evenly (plus the question set's), or all (empty for none)",
      "100",
    )
    .option("--archive <dir>", "the real archive", "../shared/archives/changelog")
    .option("--archive-qa <file>", "its question set", "../shared/eval/archive-dev.jsonl")
    .option("--worker <task...>", "internal: run one measurement in this process")
    .parse();
  const opts = program.opts<{
    json: boolean;
    sizes: string;
    real: string;
    archive: string;
    archiveQa: string;
    worker?: string[];
  }>();
  if (opts.worker) {
    const [task, a = "", b = "", c = "", d = ""] = opts.worker;
    const result =
      task === "build" || task === "update"
        ? await workerBuild(a, b, task === "build")
        : task === "serve"
          ? await workerServe(a, JSON.parse(await readFile(b, "utf8")) as string[], Number(c))
          : await workerRecall(a, JSON.parse(b) as HnswParams, Number(c || d || 200));
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }

  const say = (line: string) => opts.json || process.stderr.write(`${line}\n`);
  const work = await mkdtemp(join(tmpdir(), "bench-"));
  try {
    const devQuestions = (await readFile(join(REPO, "eval/dev.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((line) => (JSON.parse(line) as QaItem).question);
    const questionsFile = join(work, "questions.json");
    await writeFile(questionsFile, JSON.stringify(devQuestions));

    say("bundled episode: build (3 runs)…");
    const bundledIndex = join(work, "bundled-index");
    const builds = [0, 1, 2].map(() => worker(["build", join(REPO, "corpus"), bundledIndex]));
    const bundledBuild = {
      ...builds[0],
      buildMs: percentile(
        builds.map((b) => b.buildMs ?? 0),
        50,
      ),
    };
    say("bundled episode: questions…");
    const bundledServe = worker(["serve", bundledIndex, questionsFile, "10"]);
    say("bundled episode: cold start of the ask command (7 runs through npm, 7 direct)…");
    const cold = { npmRunAsk: coldStart(7, bundledIndex, "npm"), node: coldStart(7, bundledIndex, "node") };

    const archives: Record<string, unknown> = {};
    for (const size of opts.sizes.split(",").filter(Boolean).map(Number)) {
      say(`archive of ${size} episodes: generating…`);
      const corpus = join(work, `archive-${size}`);
      const indexDir = join(work, `archive-${size}-index`);
      await makeArchive({ outDir: corpus, episodes: size });
      say(`archive of ${size} episodes: building…`);
      const build = worker(["build", corpus, indexDir]);
      say(`archive of ${size} episodes: questions…`);
      const serve = worker(["serve", indexDir, questionsFile, "3"]);
      say(`archive of ${size} episodes: HNSW recall against exact search…`);
      const recall = worker(["recall", indexDir, JSON.stringify(DEFAULT_HNSW), "200"]);
      archives[String(size)] = { build, serve, recall };
    }
    const real = await realArchive(opts, work, say);
    const result = {
      machine: {
        cores: cpus().length,
        cpu: cpus()[0]?.model ?? "",
        memoryGb: round(totalmem() / 1024 ** 3, 0),
        node: process.version,
      },
      bundled: { build: bundledBuild, serve: bundledServe, coldStart: cold },
      archives,
      real,
    };
    process.stdout.write(opts.json ? `${JSON.stringify(result)}\n` : `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * The real archive, at each sample size: a full build, an update after one episode changed, the
 * archive question set served in one process, and the `ask` command's cold start.
 */
async function realArchive(
  opts: { real: string; archive: string; archiveQa: string },
  work: string,
  say: (line: string) => unknown,
): Promise<Record<string, unknown>> {
  const sizes = opts.real.split(",").filter(Boolean);
  if (sizes.length === 0) return {};
  const archive = resolve(REPO, opts.archive);
  if (!existsSync(archive)) {
    say(`real archive: ${archive} not found, skipped (--archive names it)`);
    return { skipped: `${archive} not found` };
  }
  const qa = resolve(REPO, opts.archiveQa);
  const items = (await readFile(qa, "utf8"))
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as QaItem);
  const questionsFile = join(work, "archive-questions.json");
  await writeFile(questionsFile, JSON.stringify(items.map((item) => item.question)));
  const results: Record<string, unknown> = {};
  for (const size of sizes) {
    const count = size === "all" ? "1000000" : size;
    const corpus = join(work, `real-${size}`);
    const indexDir = join(work, `real-${size}-index`);
    say(`real archive, ${size} episodes: sampling…`);
    const sample = spawnSync(
      process.execPath,
      [
        join(REPO, "dist/scripts/archive-sample.js"),
        "--archive",
        archive,
        "--qa",
        qa,
        "--count",
        count,
        "--out",
        corpus,
      ],
      { cwd: REPO, encoding: "utf8" },
    );
    if (sample.status !== 0) throw new Error(`archive-sample failed: ${sample.stderr}`);
    const episodes = Number(/episodes:\s+(\d+)/.exec(sample.stdout)?.[1] ?? 0) + 1;
    say(`real archive, ${size} episodes: full build…`);
    const build = worker(["build", corpus, indexDir]);
    say(`real archive, ${size} episodes: update after one episode changed…`);
    const edited = await editOneEpisode(corpus);
    const update = { ...worker(["update", corpus, indexDir]), edited };
    say(`real archive, ${size} episodes: the question set, in one process…`);
    const serve = worker(["serve", indexDir, questionsFile, "3"]);
    say(`real archive, ${size} episodes: cold start of the ask command (5 runs through npm, 5 direct)…`);
    const question = "what is a monorepo?";
    const cold = {
      npmRunAsk: coldStart(5, indexDir, "npm", question, "monorepo"),
      node: coldStart(5, indexDir, "node", question, "monorepo"),
    };
    results[size] = { episodes, build, update, serve, coldStart: cold };
  }
  return results;
}

/** Replaces one episode's link in a sample by an edited copy (a turn added at the end); returns its name. */
async function editOneEpisode(corpus: string): Promise<string> {
  const show = (await readdir(corpus, { withFileTypes: true })).find((e) => e.isDirectory());
  if (!show) throw new Error(`${corpus}: no show folder`);
  const name = (await readdir(join(corpus, show.name))).find((n) => n.endsWith(".md")) as string;
  const file = join(corpus, show.name, name);
  const text = await readFile(file, "utf8");
  await rm(file);
  await writeFile(file, `${text}\n\n**Bench Editor:** This turn was added to measure an update.\n`);
  return `${show.name}/${name}`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().catch((error: unknown) => {
    process.stderr.write(`bench failed: ${(error as Error).message}\n`);
    process.exitCode = 1;
  });
}
