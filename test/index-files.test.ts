import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { cp, mkdir, readdir, readFile, rm, stat, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import xxhash from "xxhash-wasm";
import { loadCorpus } from "../src/corpus/load.js";
import { createOfflineEmbedder } from "../src/embeddings/offline.js";
import { AppError } from "../src/errors.js";
import { endsWithQuestion } from "../src/retrieval/analysis/sentences.js";
import { chunkEpisode } from "../src/retrieval/index/chunk.js";
import { holdLease } from "../src/retrieval/index/leases.js";
import { acquireBuildLock, takeOverStale } from "../src/retrieval/index/lock.js";
import {
  INDEX_FORMAT_VERSION,
  loadIndex,
  type Manifest,
  readManifest,
} from "../src/retrieval/index/storage.js";
import { Retriever } from "../src/retrieval/retriever.js";
import {
  buildTestIndex,
  CORPUS_DIR,
  cleanEnv,
  copyCorpus,
  makeTempDir,
  REPO,
  removeDir,
  TSX_LOADER,
} from "./helpers/index-fixtures.js";

/*
 * One index is built in beforeAll and the tests below run in order on it: the
 * later ones (an interrupted build, a rebuild with another embedder) change it,
 * and each build costs seconds, so they share it instead of building their own.
 * Refusal tests work on copies.
 */

// Child processes and index builds take seconds each, more on a loaded machine.
vi.setConfig({ testTimeout: 90_000, hookTimeout: 90_000 });

const embedder = createOfflineEmbedder();
let root: string;
let indexDir: string;
let built: Manifest;

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error("expected an AppError, but the promise resolved");
}

let copies = 0;
/** A copy of the built index to damage. */
async function copyIndex(): Promise<string> {
  copies += 1;
  const dir = join(root, `copy-${copies}`);
  await cp(indexDir, dir, { recursive: true });
  return dir;
}

async function editManifest(dir: string, edit: (m: Record<string, unknown>) => void): Promise<void> {
  const file = join(dir, "manifest.json");
  const manifest = JSON.parse(await readFile(file, "utf8")) as Record<string, unknown>;
  edit(manifest);
  await writeFile(file, JSON.stringify(manifest));
}

async function dataDirs(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((n) => n.startsWith("data-")).sort();
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

/** Polls until `check` holds; the test's own timeout bounds the wait. */
async function waitFor<T>(check: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    await sleep(20);
  }
}

function exited(child: ChildProcess): Promise<NodeJS.Signals | number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.signalCode);
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve(signal ?? code)));
}

beforeAll(async () => {
  root = await makeTempDir("index-files");
  indexDir = join(root, "index");
  const result = await buildTestIndex(indexDir);
  expect(result.built).toBe(true);
  built = result.manifest;
});

afterAll(() => removeDir(root));

// The order below is part of the tests (see above): kept even when the run shuffles tests.
describe("one index, built once", { shuffle: false }, () => {
  describe("an index built from the bundled corpus", () => {
    it("loads back with the same episodes and passages it was built from", async () => {
      const corpus = await loadCorpus(CORPUS_DIR);
      const expected = corpus.episodes.flatMap((episode) => chunkEpisode(episode));
      const index = await loadIndex(indexDir, embedder);
      // Loaded passages read their fields from the index's bytes: compared as the plain objects they stand for.
      expect(JSON.parse(JSON.stringify(index.passages))).toEqual(expected);
      expect(index.episodes).toEqual(corpus.episodes.map((e) => e.meta));
      expect(index.vectors.count).toBe(expected.length);
      expect(index.manifest).toEqual(built);
    });

    it("gives each loaded passage whether it ends with a question and its word count, as its text says", async () => {
      const index = await loadIndex(indexDir, embedder);
      const asking = index.passages.filter((p) => p.endsWithQuestion);
      expect(asking.length).toBeGreaterThan(0);
      for (const passage of index.passages) {
        expect(passage.endsWithQuestion).toBe(endsWithQuestion(passage.text));
        expect(passage.wordCount).toBe(passage.text.split(/\s+/).filter(Boolean).length);
      }
    });

    it("writes a manifest with format, embedder, corpus hash, counts, build time and a checksum per file", async () => {
      const corpus = await loadCorpus(CORPUS_DIR);
      const manifest = (await readManifest(indexDir)) as Manifest;
      expect(manifest).toMatchObject({
        formatVersion: INDEX_FORMAT_VERSION,
        embedder: { id: embedder.id, dimensions: embedder.dimensions },
        corpusHash: corpus.contentHash,
        episodes: 1,
      });
      expect(manifest.passageCount).toBeGreaterThan(48);
      expect(Number.isNaN(Date.parse(manifest.builtAt))).toBe(false);
      expect(manifest.buildMs).toBeGreaterThan(0);
      expect(Object.keys(manifest.files).sort()).toEqual([
        "lexical.bin",
        "passages.bin",
        "segments.bin",
        "vectors-0.hnsw",
      ]);
      const { h64Raw } = await xxhash();
      for (const [name, { xxh64, bytes }] of Object.entries(manifest.files)) {
        const content = await readFile(join(indexDir, manifest.dataDir, name));
        expect(content.length).toBe(bytes);
        expect(h64Raw(content).toString(16).padStart(16, "0")).toBe(xxh64);
      }
      expect(await dataDirs(indexDir)).toEqual([manifest.dataDir]);
      expect((await readdir(indexDir)).sort()).toEqual([manifest.dataDir, "manifest.json"]);
    });

    it("answers searches after loading: vector, lexical and the retriever", async () => {
      const index = await loadIndex(indexDir, embedder);
      const target = index.passages.findIndex((p) => p.text.includes("cold start"));
      expect(target).toBeGreaterThanOrEqual(0);
      const [vector] = await embedder.embed([index.passages[target]?.text ?? ""]);
      const hits = index.vectors.search(vector as Float32Array, 5);
      expect(hits).toHaveLength(5);
      expect(hits[0]?.label).toBe(target);
      expect(hits[0]?.similarity).toBeCloseTo(1, 4);
      expect(index.lexical.text.terms().length).toBeGreaterThan(100);

      const retriever = new Retriever(index, embedder);
      const { hits: found } = await retriever.retrieve({
        text: "what did Holly say about cold starts?",
        limit: 5,
      });
      expect(found.length).toBeGreaterThan(0);
      expect(found.some((hit) => /cold start/i.test(hit.passage.text))).toBe(true);
    });

    it("does not rebuild an unchanged corpus", async () => {
      const again = await buildTestIndex(indexDir);
      expect(again.built).toBe(false);
      expect(again.manifest).toEqual(built);
      expect(await dataDirs(indexDir)).toEqual([built.dataDir]);
    });
  });

  describe("loading refuses an index it cannot trust", () => {
    it("refuses an index built by another embedder, saying what to run", async () => {
      const error = await rejection(
        loadIndex(indexDir, { id: "transformers:Xenova/all-MiniLM-L6-v2:q8", dimensions: 384 }),
      );
      expect(error.code).toBe("E_INDEX_EMBEDDER_MISMATCH");
      expect(error.message).toContain(embedder.id);
      expect(error.message).toContain("transformers:Xenova/all-MiniLM-L6-v2:q8");
      expect(error.message).toContain("npm run build-index -- --force");
    });

    it("refuses an index of the same embedder with other dimensions", async () => {
      const error = await rejection(loadIndex(indexDir, { id: embedder.id, dimensions: 256 }));
      expect(error.code).toBe("E_INDEX_EMBEDDER_MISMATCH");
      expect(error.message).toMatch(/512 dimensions.*256 dimensions/);
    });

    it("refuses another format version", async () => {
      const dir = await copyIndex();
      await editManifest(dir, (m) => {
        m.formatVersion = INDEX_FORMAT_VERSION + 1;
      });
      const error = await rejection(loadIndex(dir, embedder));
      expect(error.code).toBe("E_INDEX_VERSION");
      expect(error.message).toContain("npm run build-index -- --force");
    });

    it("refuses a flipped byte in vectors-0.hnsw before hnswlib reads it", async () => {
      const dir = await copyIndex();
      const file = join(dir, built.dataDir, "vectors-0.hnsw");
      const bytes = await readFile(file);
      const at = Math.floor(bytes.length / 2);
      bytes[at] = (bytes[at] ?? 0) ^ 0xff;
      await writeFile(file, bytes);
      const error = await rejection(loadIndex(dir, embedder));
      expect(error.code).toBe("E_INDEX_CORRUPT");
      expect(error.message).toContain("vectors-0.hnsw");
      expect(error.message).toContain("checksum mismatch");
      expect(error.message).toContain("npm run build-index -- --force");
    });

    it("refuses a truncated vectors-0.hnsw and lexical.bin, and the process lives on", async () => {
      for (const name of ["vectors-0.hnsw", "lexical.bin"]) {
        const dir = await copyIndex();
        const file = join(dir, built.dataDir, name);
        await truncate(file, Math.floor((await stat(file)).size / 3));
        const error = await rejection(loadIndex(dir, embedder));
        expect(error.code).toBe("E_INDEX_CORRUPT");
        expect(error.message).toContain(name);
        expect(error.message).toContain("truncated");
      }
      // Still here, and the intact index still loads.
      expect((await loadIndex(indexDir, embedder)).passages.length).toBe(built.passageCount);
    });

    it("refuses a missing data file or data folder", async () => {
      const dir = await copyIndex();
      await rm(join(dir, built.dataDir, "passages.bin"));
      const missingFile = await rejection(loadIndex(dir, embedder));
      expect(missingFile.code).toBe("E_INDEX_CORRUPT");
      expect(missingFile.message).toContain("passages.bin");
      await rm(join(dir, built.dataDir), { recursive: true });
      const missingDir = await rejection(loadIndex(dir, embedder));
      expect(missingDir.code).toBe("E_INDEX_CORRUPT");
      expect(missingDir.message).toContain(built.dataDir);
    });

    it("refuses a manifest that is not JSON, or lacks what it must hold, with an AppError", async () => {
      const dir = await copyIndex();
      await writeFile(join(dir, "manifest.json"), '{"formatVersion": 1, "dataDir": "da');
      expect((await rejection(loadIndex(dir, embedder))).code).toBe("E_INDEX_CORRUPT");
      for (const edit of [
        (m: Record<string, unknown>) => delete m.files,
        (m: Record<string, unknown>) => delete m.hnsw,
        (m: Record<string, unknown>) => {
          m.dataDir = "../../elsewhere";
        },
      ]) {
        await cp(join(indexDir, "manifest.json"), join(dir, "manifest.json"));
        await editManifest(dir, edit);
        const error = await rejection(loadIndex(dir, embedder));
        expect(error.code).toBe("E_INDEX_CORRUPT");
        expect(error.message).toContain(join(dir, "manifest.json"));
      }
    });

    it("refuses a manifest whose passage count disagrees with the files", async () => {
      const dir = await copyIndex();
      await editManifest(dir, (m) => {
        m.passageCount = (m.passageCount as number) + 1;
      });
      const error = await rejection(loadIndex(dir, embedder));
      expect(error.code).toBe("E_INDEX_CORRUPT");
      expect(error.message).toContain("passages");
    });

    it("says what to run when there is no index at all", async () => {
      const error = await rejection(loadIndex(join(root, "nothing-here"), embedder));
      expect(error.code).toBe("E_INDEX_MISSING");
      expect(error.message).toContain("npm run build-index");
    });
  });

  describe("building over a published index", () => {
    it("fails on a broken transcript without touching the published index, and releases the lock", async () => {
      const corpus = await copyCorpus(join(root, "broken-corpus"));
      const transcript = join(corpus, "serverless-chats-065.txt");
      await writeFile(transcript, Buffer.from([0x48, 0x69, 0x0a, 0x00, 0x01]));
      const strict = await rejection(
        buildTestIndex(indexDir, { corpusDir: corpus, force: true, strict: true }),
      );
      expect(strict.code).toBe("E_TRANSCRIPT_BINARY");
      expect(await readManifest(indexDir)).toEqual(built);
      expect(await exists(join(indexDir, ".build.lock"))).toBe(false);
      // Not strict, the bad file is left out; with nothing left, there is nothing to publish, and the error says why.
      const empty = await rejection(buildTestIndex(indexDir, { corpusDir: corpus, force: true }));
      expect(empty.code).toBe("E_CORPUS_EMPTY");
      expect(empty.message).toContain(`${transcript}:2:`);
      expect(empty.message).toContain("E_TRANSCRIPT_BINARY");
      expect(await readManifest(indexDir)).toEqual(built);
      expect(await exists(join(indexDir, ".build.lock"))).toBe(false);
    });

    it("refuses to build while another live process holds the lock", async () => {
      const holder = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
      try {
        await writeFile(join(indexDir, ".build.lock"), String(holder.pid));
        const error = await rejection(buildTestIndex(indexDir, { force: true }));
        expect(error.code).toBe("E_BUILD_LOCKED");
        expect(error.message).toContain(`process ${holder.pid}`);
        expect(error.message).toContain(join(indexDir, ".build.lock"));
        expect(await readManifest(indexDir)).toEqual(built);
      } finally {
        holder.kill("SIGKILL");
        await exited(holder);
        await rm(join(indexDir, ".build.lock"), { force: true });
      }
    });

    it("lets one holder in at a time within a process, and again after release", async () => {
      const dir = join(root, "lock-only");
      const release = await acquireBuildLock(dir);
      expect((await readFile(join(dir, ".build.lock"), "utf8")).trim()).toBe(String(process.pid));
      expect((await rejection(acquireBuildLock(dir))).code).toBe("E_BUILD_LOCKED");
      await release();
      const again = await acquireBuildLock(dir);
      await again();
      expect(await exists(join(dir, ".build.lock"))).toBe(false);
      await writeFile(join(dir, ".build.lock"), "not a pid");
      const takeover = await acquireBuildLock(dir);
      await takeover();
    });

    it("lets exactly one of two builds take over a dead build's lock at the same moment", async () => {
      const dir = join(root, "lock-race");
      await mkdir(dir, { recursive: true });
      // A pid that is certainly gone: a child that has already exited.
      const dead = spawn(process.execPath, ["-e", "0"]);
      await exited(dead);
      await writeFile(join(dir, ".build.lock"), String(dead.pid));
      const results = await Promise.allSettled([acquireBuildLock(dir), acquireBuildLock(dir)]);
      const won = results.filter((r) => r.status === "fulfilled");
      const lost = results.filter((r) => r.status === "rejected");
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(((lost[0] as PromiseRejectedResult).reason as { code: string }).code).toBe("E_BUILD_LOCKED");
      await (won[0] as PromiseFulfilledResult<() => Promise<void>>).value();
      expect(await exists(join(dir, ".build.lock"))).toBe(false);
    });

    it("does not remove a live build's lock that replaced the dead one it meant to take over", async () => {
      // The race made deterministic: this build saw a dead owner, but another build took the lock over
      // first. Moving it aside must notice the live owner and put the lock back.
      const dir = join(root, "lock-replaced");
      await mkdir(dir, { recursive: true });
      const dead = spawn(process.execPath, ["-e", "0"]);
      await exited(dead);
      const file = join(dir, ".build.lock");
      await writeFile(file, String(process.pid));
      await takeOverStale(file, dead.pid ?? -1);
      expect((await readFile(file, "utf8")).trim()).toBe(String(process.pid));
      expect((await readdir(dir)).filter((name) => name.includes(".stale."))).toEqual([]);
    });

    it("keeps the old index serving when a build is killed half-way; the next build takes over and cleans up", async () => {
      // The child blocks reading a transcript that is a named pipe: killed mid-build, holding the lock, always.
      const corpus = join(root, "blocking-corpus");
      await mkdir(corpus);
      await cp(
        join(CORPUS_DIR, "serverless-chats-065.meta.json"),
        join(corpus, "serverless-chats-065.meta.json"),
      );
      execFileSync("mkfifo", [join(corpus, "serverless-chats-065.txt")]);
      const child = spawn(
        process.execPath,
        [
          "--import",
          TSX_LOADER,
          join(REPO, "scripts/build-index.ts"),
          "--corpus",
          corpus,
          "--out",
          indexDir,
          "--force",
        ],
        { cwd: root, env: cleanEnv({ LOG_LEVEL: "error" }), stdio: "ignore" },
      );
      try {
        const lockFile = join(indexDir, ".build.lock");
        const owner = await waitFor(
          async () => (await readFile(lockFile, "utf8").catch(() => "")) || undefined,
        );
        expect(owner).toBe(String(child.pid));
      } finally {
        child.kill("SIGKILL");
      }
      expect(await exited(child)).toBe("SIGKILL");

      // What a build killed later leaves behind: a half-written data folder and an unpublished manifest.
      const stamp = new Date().toISOString().replace(/[-:.]/g, "").slice(0, 15);
      const leftover = `data-${stamp}-dead00`;
      await mkdir(join(indexDir, leftover));
      await writeFile(join(indexDir, leftover, "passages.bin"), '{"episodes": [{"id": "half');
      await writeFile(join(indexDir, "manifest.json.999999.tmp"), "{");

      // The old index still serves, untouched.
      expect(await readManifest(indexDir)).toEqual(built);
      expect((await loadIndex(indexDir, embedder)).passages.length).toBe(built.passageCount);

      // The next build takes over the dead process's lock, publishes, and removes the leftovers
      // and the index it replaced (no reader holds a lease on it: see the next test).
      const next = await buildTestIndex(indexDir, { force: true });
      expect(next.built).toBe(true);
      expect(next.manifest.dataDir).not.toBe(built.dataDir);
      expect(await dataDirs(indexDir)).toEqual([next.manifest.dataDir]);
      expect((await readdir(indexDir)).filter((n) => !n.startsWith("data-")).sort()).toEqual([
        "manifest.json",
      ]);
      expect((await loadIndex(indexDir, embedder)).manifest).toEqual(next.manifest);
    });

    it("rebuilds without --force for an embedder with other dimensions, and then refuses the old one", async () => {
      const before = (await readManifest(indexDir)) as Manifest;
      const small = createOfflineEmbedder(64);
      const result = await buildTestIndex(indexDir, { embedder: small });
      expect(result.built).toBe(true);
      expect(result.manifest.embedder).toEqual({ id: small.id, dimensions: 64 });
      expect((await loadIndex(indexDir, small)).vectors.dimensions).toBe(64);
      expect((await rejection(loadIndex(indexDir, embedder))).code).toBe("E_INDEX_EMBEDDER_MISMATCH");
      // The index it replaced is gone: no reader was loading it.
      expect(await dataDirs(indexDir)).not.toContain(before.dataDir);
      expect(await dataDirs(indexDir)).toEqual([result.manifest.dataDir]);
    });

    it("keeps a replaced data folder while a reader holds a lease on it, and removes it once none does", async () => {
      const before = (await readManifest(indexDir)) as Manifest;
      const small = createOfflineEmbedder(64);
      const release = await holdLease(indexDir, before.dataDir);
      const during = await buildTestIndex(indexDir, { embedder: small, force: true });
      expect(await dataDirs(indexDir)).toEqual([before.dataDir, during.manifest.dataDir].sort());
      await release();
      const after = await buildTestIndex(indexDir, { embedder: small, force: true });
      expect(await dataDirs(indexDir)).toEqual([after.manifest.dataDir]);
      expect((await readdir(indexDir)).filter((n) => !n.startsWith("data-")).sort()).toEqual([
        "manifest.json",
      ]);
    });
  });
});
