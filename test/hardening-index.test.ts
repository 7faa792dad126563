import { cp, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../src/config.js";
import { createOfflineEmbedder } from "../src/embeddings/offline.js";
import type { Embedder } from "../src/embeddings/types.js";
import { type Engine, openEngine } from "../src/engine.js";
import { createLogger } from "../src/logger.js";
import { type Manifest, readManifest } from "../src/retrieval/index/storage.js";
import type { WatchOptions } from "../src/retrieval/index/watcher.js";
import {
  buildTestIndex,
  copyCorpus,
  makeTempDir,
  removeDir,
  runTs,
  TRANSCRIPT,
} from "./helpers/index-fixtures.js";

// Index safety while serving: a newly published index is checked and swapped in; a bad one is
// refused and the old one keeps answering. And at start, a bad index stops the bot with what to run.

vi.setConfig({ testTimeout: 90_000, hookTimeout: 90_000 });

const COLD_STARTS = "what did Holly say about cold starts?";
const ZEBRAFISH = "what did Holly say about her zebrafish aquarium?";
const GREETING = "Holly: Hi, thank you for inviting me.";

let root: string;
let corpusDir: string;
let indexDir: string;
const engines: Engine[] = [];

beforeAll(async () => {
  root = await makeTempDir("hardening-index");
  corpusDir = await copyCorpus(join(root, "corpus"));
  indexDir = join(root, "index");
  await buildTestIndex(indexDir, { corpusDir });
});

afterAll(async () => {
  for (const engine of engines) await engine.close();
  await removeDir(root);
});

async function serving(dir: string, watch: WatchOptions) {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  const config = loadConfig({ INDEX_DIR: dir, CORPUS_DIR: corpusDir, EMBEDDER: "offline" });
  const log = createLogger({ level: "info", format: "json", destination });
  const engine = await openEngine(config, { log, watchIndex: watch });
  engines.push(engine);
  return { engine, lines };
}

/** Polls `check` every 20 ms until it holds, failing after `timeoutMs`. */
async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function expectAnswers(engine: Engine): Promise<void> {
  const answer = await engine.ask({ text: COLD_STARTS });
  expect(answer.status).toBe("answered");
  expect(answer.passages[0]?.speaker).toMatch(/Holly Mesrobian|Jeremy Daly/);
}

/** Publishes a manifest the way a build does: a new file renamed over the old one. */
async function publish(dir: string, content: string): Promise<void> {
  const tmp = join(dir, "manifest.json.test.tmp");
  await writeFile(tmp, content);
  await rename(tmp, join(dir, "manifest.json"));
}

// One engine watching one folder through a series of publications (the counts add up): the tests
// run in the order written, even when the run shuffles tests.
describe("a new index published while the bot serves (fs.watch)", { shuffle: false }, () => {
  let engine: Engine;
  let lines: string[];

  beforeAll(async () => {
    // A poll of a minute: whatever happens within the test's time came through fs.watch.
    ({ engine, lines } = await serving(indexDir, { pollMs: 60_000 }));
  });

  it("is built, noticed, checked and swapped in while questions keep being answered", async () => {
    const before = engine.index.manifest;
    const zebrafishBefore = await engine.ask({ text: ZEBRAFISH });
    expect(JSON.stringify(zebrafishBefore.passages)).not.toContain("zebrafish");

    const transcript = await readFile(TRANSCRIPT, "utf8");
    expect(transcript).toContain(GREETING);
    await writeFile(
      join(corpusDir, "serverless-chats-065.txt"),
      transcript.replace(
        GREETING,
        `${GREETING} Before we start, my zebrafish aquarium runs on a small computer, and the zebrafish never notice a cold start.`,
      ),
    );
    const build = buildTestIndex(indexDir, { corpusDir, force: true });
    let answeredDuringBuild = 0;
    for (let i = 0; i < 500 && engine.index.manifest.dataDir === before.dataDir; i++) {
      await expectAnswers(engine);
      answeredDuringBuild += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const built = await build;
    await until("the swap", () => engine.index.manifest.dataDir === built.manifest.dataDir);

    expect(answeredDuringBuild).toBeGreaterThan(0);
    expect(engine.index.manifest.builtAt).not.toBe(before.builtAt);
    expect(engine.index.reloads).toMatchObject({ swapped: 1, rejected: 0 });
    const zebrafish = await engine.ask({ text: ZEBRAFISH });
    expect(zebrafish.status).not.toBe("not_found");
    expect(zebrafish.passages[0]?.quote).toContain("zebrafish");
    expect(zebrafish.passages[0]?.speaker).toBe("Holly Mesrobian");
    await expectAnswers(engine);
    const swapLine = lines.find((line) => line.includes("new index loaded, checked and serving"));
    expect(swapLine).toContain(built.manifest.dataDir);
  });

  it("refuses a publication with a flipped byte in vectors-0.hnsw, once, and keeps the old index serving", async () => {
    const current = engine.index.manifest;
    const badDir = `${current.dataDir}-flipped`;
    await cp(join(indexDir, current.dataDir), join(indexDir, badDir), { recursive: true });
    const file = join(indexDir, badDir, "vectors-0.hnsw");
    const bytes = await readFile(file);
    const at = Math.floor(bytes.length / 2);
    bytes[at] = (bytes[at] ?? 0) ^ 0xff;
    await writeFile(file, bytes);
    await publish(
      indexDir,
      JSON.stringify({ ...current, dataDir: badDir, builtAt: new Date().toISOString() }),
    );

    await until("the refusal", () => engine.index.reloads.rejected === 1);
    expect(engine.index.manifest.dataDir).toBe(current.dataDir);
    await expectAnswers(engine);
    const refusal = lines.find((line) => line.includes("new index refused"));
    expect(refusal).toContain("E_INDEX_CORRUPT");
    expect(refusal).toContain(join(badDir, "vectors-0.hnsw"));
    expect(refusal).toContain("checksum mismatch");
    // Read again (as the poll does), the same bad publication is neither reloaded nor logged again.
    expect(await engine.reload()).toBe("unchanged");
    expect(engine.index.reloads.rejected).toBe(1);
    expect(lines.filter((line) => line.includes("new index refused"))).toHaveLength(1);
  });

  it("refuses a manifest that is not JSON, and one built with another embedder", async () => {
    const current = engine.index.manifest;
    await publish(indexDir, "{ half a manifest");
    await until("the refusal of the broken manifest", () => engine.index.reloads.rejected === 2);
    expect(engine.index.reloads.lastRejection).toMatch(/E_INDEX_CORRUPT.*manifest\.json: not valid JSON/);
    await expectAnswers(engine);

    const other = await buildTestIndex(indexDir, {
      corpusDir,
      embedder: createOfflineEmbedder(64),
      force: true,
    });
    expect(other.built).toBe(true);
    await until("the refusal of the other embedder", () => engine.index.reloads.rejected === 3);
    expect(engine.index.reloads.lastRejection).toMatch(/E_INDEX_EMBEDDER_MISMATCH.*64 dimensions/);
    expect(engine.index.manifest.dataDir).toBe(current.dataDir);
    await expectAnswers(engine);

    // A good build afterwards is taken again.
    const good = await buildTestIndex(indexDir, { corpusDir, force: true });
    await until("the swap to the good build", () => engine.index.manifest.dataDir === good.manifest.dataDir);
    expect(engine.index.reloads).toMatchObject({ swapped: 2, rejected: 3 });
    expect(engine.index.reloads.lastRejection).toBeUndefined();
    await expectAnswers(engine);
  });

  it("refuses an index whose vectors do not belong to its passages: the test query catches it", async () => {
    const current = engine.index.manifest;
    const rejected = engine.index.reloads.rejected;
    const offline = createOfflineEmbedder();
    // Same id and dimensions, so the manifest and checksums look right; the vectors are of other texts.
    const liar: Embedder = {
      id: offline.id,
      dimensions: offline.dimensions,
      embed: (texts) => offline.embed(texts.map((text) => [...text].reverse().join(""))),
    };
    await buildTestIndex(indexDir, { corpusDir, embedder: liar, force: true });
    await until("the refusal", () => engine.index.reloads.rejected === rejected + 1);
    expect(engine.index.reloads.lastRejection).toMatch(
      /E_INDEX_CORRUPT.*the test query did not find passage/,
    );
    expect(engine.index.manifest.dataDir).toBe(current.dataDir);
    await expectAnswers(engine);
  });
});

describe("the poll", () => {
  it("finds a new index where file-system events never come", async () => {
    const dir = join(root, "polled");
    const first = await buildTestIndex(dir, { corpusDir });
    const { engine } = await serving(dir, { fsWatch: false, pollMs: 100 });
    expect(engine.index.manifest.dataDir).toBe(first.manifest.dataDir);
    const next = await buildTestIndex(dir, { corpusDir, force: true });
    await until("the polled swap", () => engine.index.manifest.dataDir === next.manifest.dataDir);
    await expectAnswers(engine);
  });
});

describe("a bad index at start", () => {
  async function startBot(dir: string) {
    // Health on: a refused start must still end the process, not leave the server holding it open.
    return runTs("src/main.ts", [], {
      cwd: root,
      env: { INDEX_DIR: dir, CORPUS_DIR: corpusDir, HEALTH_PORT: "0", HEALTH_HOST: "127.0.0.1" },
      input: `${COLD_STARTS}\n`,
    });
  }

  async function copyOf(name: string): Promise<{ dir: string; manifest: Manifest }> {
    const dir = join(root, name);
    await cp(indexDir, dir, { recursive: true });
    const manifest = await readManifest(dir);
    if (!manifest) throw new Error("no manifest in the copy");
    return { dir, manifest };
  }

  it("a flipped byte in vectors-0.hnsw: refused before loading, naming the file and what to run; exit 1", async () => {
    const { dir, manifest } = await copyOf("start-flipped");
    const file = join(dir, manifest.dataDir, "vectors-0.hnsw");
    const bytes = await readFile(file);
    bytes[100] = (bytes[100] ?? 0) ^ 0xff;
    await writeFile(file, bytes);
    const result = await startBot(dir);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(`error E_INDEX_CORRUPT: ${file}: checksum mismatch`);
    expect(result.stderr).toContain("npm run build-index");
    expect(result.stderr).not.toContain("    at ");
  });

  it("an index built with another embedder: refused with the reason; exit 1", async () => {
    const dir = join(root, "start-other-embedder");
    await buildTestIndex(dir, { corpusDir, embedder: createOfflineEmbedder(64) });
    const result = await startBot(dir);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain("error E_INDEX_EMBEDDER_MISMATCH");
    expect(result.stderr).toContain(join(dir, "manifest.json"));
    expect(result.stderr).toMatch(/64 dimensions.*npm run build-index/);
  });

  it("no index at all: built on first start, with a log line, then the question is answered", async () => {
    const result = await startBot(join(root, "start-empty"));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain("building it from");
    expect(result.stderr).toContain('"msg":"index built"');
    expect(result.stdout).toContain("Holly Mesrobian");
  });
});
