import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { buildIndex } from "../src/retrieval/index/build.js";
import { type LoadedIndex, loadIndex, type Manifest } from "../src/retrieval/index/storage.js";
import {
  type CountingEmbedder,
  countingEmbedder,
  fixtureCorpus,
  GARDEN_12,
  GARDEN_13,
  KITCHEN_4,
} from "./archive-fixtures.js";
import { makeTempDir, removeDir } from "./helpers/index-fixtures.js";

/*
 * The vectors of an index live in HNSW segments. A full build at or above
 * `splitMin` passages makes two, each built in a worker thread; an update keeps
 * them and adds one for its new passages; removed passages are searched around;
 * too many removed points make the build rebuild the graphs from the kept
 * vectors, read back from the old graphs, without embedding them again.
 */

vi.setConfig({ testTimeout: 90_000, hookTimeout: 90_000 });

let root: string;
let corpus: string;
let indexDir: string;
let embedder: CountingEmbedder;

function build() {
  embedder.reset();
  // Two passages are enough to split: the worker threads are what is tested.
  return buildIndex({ corpusDir: corpus, indexDir, embedder, splitMin: 2 });
}

/** Every passage whose text no other passage shares is the nearest vector to its own text. */
async function expectEachFindsItself(index: LoadedIndex): Promise<void> {
  const texts = index.passages.map((p) => p.text);
  const unique = texts.filter((t, i) => texts.indexOf(t) === i && texts.lastIndexOf(t) === i);
  expect(unique.length).toBeGreaterThan(4);
  const vectors = await countingEmbedder().embed(unique);
  unique.forEach((text, i) => {
    const [hit] = index.vectors.search(vectors[i] as Float32Array, 1);
    expect(hit?.label, text).toBe(texts.indexOf(text));
    expect(hit?.similarity).toBeCloseTo(1, 5);
  });
}

async function dataDirs(): Promise<string[]> {
  return (await readdir(indexDir)).filter((n) => n.startsWith("data-"));
}

beforeAll(async () => {
  root = await makeTempDir("index-segments");
  corpus = await fixtureCorpus(join(root, "corpus"), [GARDEN_12, GARDEN_13]);
  indexDir = join(root, "index");
  embedder = countingEmbedder();
});

afterAll(() => removeDir(root));

describe("vector segments", { shuffle: false }, () => {
  let first: Manifest;

  it("splits a full build's vectors into two segments built in worker threads, each passage found by its own text", async () => {
    const result = await build();
    first = result.manifest;
    expect(first.segments).toEqual(["vectors-0.hnsw", "vectors-1.hnsw"]);
    const index = await loadIndex(indexDir, embedder);
    expect(index.vectors.count).toBe(first.passageCount);
    await expectEachFindsItself(index);
  });

  it("adds one segment for a new episode, keeps the others' files unchanged, and leaves one data folder", async () => {
    await fixtureCorpus(corpus, [KITCHEN_4]);
    const result = await build();
    const kitchen = result.manifest.catalog.find((c) => c.id === KITCHEN_4);
    expect(result.embedded).toBe(kitchen?.count);
    expect(result.manifest.segments).toEqual(["vectors-0.hnsw", "vectors-1.hnsw", "vectors-2.hnsw"]);
    for (const kept of ["vectors-0.hnsw", "vectors-1.hnsw"])
      expect(result.manifest.files[kept]).toEqual(first.files[kept]);
    expect(await dataDirs()).toEqual([result.manifest.dataDir]);
    await expectEachFindsItself(await loadIndex(indexDir, embedder));
  });

  it("rebuilds the graphs from the kept vectors, embedding only what changed, once too many points are removed", async () => {
    // Garden 12 is well over a quarter of the points: removing it crosses the threshold.
    await rm(join(corpus, `${GARDEN_12}.vtt`));
    await rm(join(corpus, `${GARDEN_12}.meta.json`));
    const srt = join(corpus, `${GARDEN_13}.srt`);
    await writeFile(
      srt,
      (await readFile(srt, "utf8")).replace("every morning in summer", "each dawn in June"),
    );
    const result = await build();
    expect(result.changes).toMatchObject({ removed: [GARDEN_12], changed: [GARDEN_13], kept: [KITCHEN_4] });
    expect(result.embedded).toBe(result.manifest.catalog.find((c) => c.id === GARDEN_13)?.count);
    expect(result.manifest.segments).toEqual(["vectors-0.hnsw", "vectors-1.hnsw"]);
    const index = await loadIndex(indexDir, embedder);
    expect(index.vectors.count).toBe(result.manifest.passageCount);
    await expectEachFindsItself(index);
  });
});
