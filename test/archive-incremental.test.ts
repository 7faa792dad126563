import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { READERS_VERSION } from "../src/corpus/parse.js";
import { buildIndex } from "../src/retrieval/index/build.js";
import { loadIndex, type Manifest, readManifest } from "../src/retrieval/index/storage.js";
import {
  type CountingEmbedder,
  countingEmbedder,
  fixtureCorpus,
  GARDEN_12,
  GARDEN_13,
  KITCHEN_4,
} from "./archive-fixtures.js";
import { makeTempDir, removeDir, runTs } from "./helpers/index-fixtures.js";

/*
 * One corpus of three episodes (WebVTT, SRT, JSON) and one index, changed step
 * by step in order: each rebuild is checked for what it embedded, through a
 * counting wrapper around the real offline embedder.
 */

vi.setConfig({ testTimeout: 90_000, hookTimeout: 90_000 });

let root: string;
let corpus: string;
let indexDir: string;
let embedder: CountingEmbedder;
let first: Manifest;

function build(options: { force?: boolean; embedder?: CountingEmbedder } = {}) {
  const using = options.embedder ?? embedder;
  using.reset();
  return buildIndex({ corpusDir: corpus, indexDir, embedder: using, force: options.force });
}

function countOf(manifest: Manifest, id: string): number {
  return manifest.catalog.find((c) => c.id === id)?.count ?? -1;
}

function plain(passages: unknown[]): unknown[] {
  return JSON.parse(JSON.stringify(passages));
}

async function passagesOf(id: string) {
  const index = await loadIndex(indexDir, embedder);
  return index.passages.filter((p) => p.episodeId === id);
}

beforeAll(async () => {
  root = await makeTempDir("archive-incremental");
  corpus = await fixtureCorpus(join(root, "corpus"), [GARDEN_12, GARDEN_13, KITCHEN_4]);
  indexDir = join(root, "index");
  embedder = countingEmbedder();
});

afterAll(() => removeDir(root));

// Steps of one story on one index: they run in the order written, even when the run shuffles tests.
describe("incremental builds", { shuffle: false }, () => {
  it("embeds every passage of a new archive once, and catalogs each episode's passages", async () => {
    const result = await build();
    first = result.manifest;
    expect(result.built).toBe(true);
    expect(result.changes).toEqual({
      added: [GARDEN_12, GARDEN_13, KITCHEN_4],
      changed: [],
      removed: [],
      kept: [],
      rebuilt: [],
    });
    expect(result.embedded).toBe(first.passageCount);
    expect(embedder.texts).toHaveLength(first.passageCount);
    expect(first.episodes).toBe(3);
    expect(first.catalog.map((c) => [c.id, c.file])).toEqual([
      [GARDEN_12, `${GARDEN_12}.vtt`],
      [GARDEN_13, `${GARDEN_13}.srt`],
      [KITCHEN_4, `${KITCHEN_4}.json`],
    ]);
    expect(first.catalog.reduce((sum, c) => sum + c.count, 0)).toBe(first.passageCount);
    expect(Object.keys(first.files).sort()).toEqual([
      "lexical.bin",
      "passages.bin",
      "segments.bin",
      "vectors-0.hnsw",
    ]);
    const index = await loadIndex(indexDir, embedder);
    for (const entry of first.catalog) {
      const own = index.passages.slice(entry.first, entry.first + entry.count);
      expect(own.every((p) => p.episodeId === entry.id)).toBe(true);
    }
  });

  it("does nothing, and embeds nothing, when no episode changed", async () => {
    const result = await build();
    expect(result.built).toBe(false);
    expect(result.changes?.kept).toEqual([GARDEN_12, GARDEN_13, KITCHEN_4]);
    expect(embedder.calls).toBe(0);
    expect(result.manifest).toEqual(first);
  });

  it("re-embeds only the episode whose transcript was edited, reusing the others' passages and vectors", async () => {
    const before = await loadIndex(indexDir, embedder);
    const srt = join(corpus, `${GARDEN_13}.srt`);
    await writeFile(
      srt,
      (await readFile(srt, "utf8")).replace("every morning in summer", "every single morning in July"),
    );
    const result = await build();
    expect(result.built).toBe(true);
    expect(result.changes).toEqual({
      added: [],
      changed: [GARDEN_13],
      removed: [],
      kept: [GARDEN_12, KITCHEN_4],
      rebuilt: [],
    });
    // Exactly the edited episode's passages went through the embedder, nothing else.
    expect(result.embedded).toBe(countOf(result.manifest, GARDEN_13));
    expect(embedder.texts).toEqual((await passagesOf(GARDEN_13)).map((p) => p.text));
    expect(embedder.texts.join(" ")).toContain("every single morning in July");

    const after = await loadIndex(indexDir, embedder);
    for (const id of [GARDEN_12, KITCHEN_4]) {
      // Loaded passages read their fields from the index's bytes: compared as the plain objects they stand for.
      expect(plain(after.passages.filter((p) => p.episodeId === id))).toEqual(
        plain(before.passages.filter((p) => p.episodeId === id)),
      );
    }
    // A kept passage's stored vector is its own: searching with a fresh embedding of it finds it first.
    const kept = after.passages.findIndex((p) => p.text.includes("Red wigglers"));
    const [vector] = await countingEmbedder().embed([after.passages[kept]?.text ?? ""]);
    const [hit] = after.vectors.search(vector as Float32Array, 1);
    expect(hit?.label).toBe(kept);
    expect(hit?.similarity).toBeCloseTo(1, 5);
  });

  it("counts a sidecar edit as a change of its episode", async () => {
    const sidecar = join(corpus, `${KITCHEN_4}.meta.json`);
    const meta = JSON.parse(await readFile(sidecar, "utf8")) as Record<string, unknown>;
    meta.title = "Sourdough at Four in the Morning";
    await writeFile(sidecar, JSON.stringify(meta, null, 2));
    const result = await build();
    expect(result.changes).toMatchObject({ changed: [KITCHEN_4], kept: [GARDEN_12, GARDEN_13] });
    expect(result.embedded).toBe(countOf(result.manifest, KITCHEN_4));
    const index = await loadIndex(indexDir, embedder);
    expect(index.episodes.find((e) => e.id === KITCHEN_4)?.title).toBe("Sourdough at Four in the Morning");
  });

  it("drops a deleted episode's passages without embedding anything", async () => {
    await rm(join(corpus, `${KITCHEN_4}.json`));
    await rm(join(corpus, `${KITCHEN_4}.meta.json`));
    const result = await build();
    expect(result.changes).toEqual({
      added: [],
      changed: [],
      removed: [KITCHEN_4],
      kept: [GARDEN_12, GARDEN_13],
      rebuilt: [],
    });
    expect(embedder.calls).toBe(0);
    const index = await loadIndex(indexDir, embedder);
    expect(index.passages.some((p) => p.episodeId === KITCHEN_4)).toBe(false);
    expect(index.episodes.map((e) => e.id)).toEqual([GARDEN_12, GARDEN_13]);
    expect(index.passages.some((p) => p.text.includes("levain"))).toBe(false);
    expect(index.lexical.text.terms()).not.toContain("levain");
    expect(result.manifest.catalog.map((c) => c.id)).toEqual([GARDEN_12, GARDEN_13]);
    expect(index.vectors.count).toBe(index.passages.length);
  });

  it("embeds an episode added back, and nothing else", async () => {
    await fixtureCorpus(corpus, [KITCHEN_4]);
    const result = await build();
    expect(result.changes).toMatchObject({ added: [KITCHEN_4], kept: [GARDEN_12, GARDEN_13] });
    expect(result.embedded).toBe(countOf(result.manifest, KITCHEN_4));
  });

  it("re-embeds everything with --force, or for an embedder with other dimensions", async () => {
    const forced = await build({ force: true });
    expect(forced.changes).toMatchObject({ kept: [], rebuilt: [GARDEN_12, GARDEN_13, KITCHEN_4] });
    expect(forced.embedded).toBe(forced.manifest.passageCount);

    const small = countingEmbedder(64);
    const other = await build({ embedder: small });
    expect(other.changes?.rebuilt).toEqual([GARDEN_12, GARDEN_13, KITCHEN_4]);
    expect(other.reuseSkipped).toContain("512 dimensions");
    expect(small.texts).toHaveLength(other.manifest.passageCount);
    await build({ force: true }); // back to the counting 512-dimension embedder for the next tests
  });

  it("reads every transcript again when an index's were read by other readers (a parser fixed since)", async () => {
    const file = join(indexDir, "manifest.json");
    const manifest = JSON.parse(await readFile(file, "utf8")) as Manifest;
    expect(manifest.settings.readers).toBe(READERS_VERSION);
    await writeFile(file, JSON.stringify({ ...manifest, settings: { ...manifest.settings, readers: "1" } }));
    const result = await build();
    expect(result.built).toBe(true);
    expect(result.changes).toMatchObject({ kept: [], rebuilt: [GARDEN_12, GARDEN_13, KITCHEN_4] });
    expect(result.reuseSkipped).toContain("other readers");
    expect(result.manifest.settings.readers).toBe(READERS_VERSION);
    // Read by these readers, the index is up to date again.
    expect((await build()).built).toBe(false);
  });

  it("re-embeds everything, and says why, when the stored vectors are damaged", async () => {
    const manifest = (await readManifest(indexDir)) as Manifest;
    const file = join(indexDir, manifest.dataDir, manifest.segments[0] as string);
    const bytes = await readFile(file);
    bytes[10] = (bytes[10] ?? 0) ^ 0xff;
    await writeFile(file, bytes);
    const vtt = join(corpus, `${GARDEN_12}.vtt`);
    await writeFile(
      vtt,
      (await readFile(vtt, "utf8")).replace("Thanks for having me", "Thank you for having me"),
    );
    const result = await build();
    expect(result.changes).toMatchObject({ changed: [GARDEN_12], rebuilt: [GARDEN_13, KITCHEN_4], kept: [] });
    expect(result.reuseSkipped).toContain(manifest.segments[0] as string);
    expect(result.embedded).toBe(result.manifest.passageCount);
  });
});

describe("npm run build-index on an archive", () => {
  it("prints what it added, changed, removed and kept", async () => {
    const dir = await fixtureCorpus(join(root, "cli-corpus"), [GARDEN_12, GARDEN_13, KITCHEN_4]);
    const out = join(root, "cli-index");
    const args = ["--corpus", dir, "--out", out];
    const firstRun = await runTs("scripts/build-index.ts", args, { cwd: root });
    expect(firstRun.code, firstRun.stderr).toBe(0);
    expect(firstRun.stdout).toMatch(
      /^ {2}added: +3 \(garden-hour-012, garden-hour-013, night-kitchen-004\)$/m,
    );

    await rm(join(dir, `${KITCHEN_4}.json`));
    await rm(join(dir, `${KITCHEN_4}.meta.json`));
    const srt = join(dir, `${GARDEN_13}.srt`);
    await writeFile(srt, (await readFile(srt, "utf8")).replace("Lime trees", "Linden trees"));
    const second = await runTs("scripts/build-index.ts", args, { cwd: root });
    expect(second.code, second.stderr).toBe(0);
    const manifest = (await readManifest(out)) as Manifest;
    expect(second.stdout).toMatch(/^ {2}added: +0$/m);
    expect(second.stdout).toMatch(/^ {2}changed: +1 \(garden-hour-013\)$/m);
    expect(second.stdout).toMatch(/^ {2}removed: +1 \(night-kitchen-004\)$/m);
    expect(second.stdout).toMatch(/^ {2}kept: +1 /m);
    expect(second.stdout).toMatch(
      new RegExp(`^ {2}embedded: +${countOf(manifest, GARDEN_13)} passages$`, "m"),
    );
  });
});
