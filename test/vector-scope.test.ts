import { rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { buildIndex } from "../src/retrieval/index/build.js";
import { readLayout, readPoints } from "../src/retrieval/index/hnsw-file.js";
import { scopeOf } from "../src/retrieval/index/passage-scope.js";
import { type LoadedIndex, loadIndex } from "../src/retrieval/index/storage.js";
import { VectorIndex } from "../src/retrieval/index/vector-index.js";
import { countingEmbedder, fixtureCorpus, GARDEN_12, GARDEN_13, KITCHEN_4 } from "./archive-fixtures.js";
import { makeTempDir, removeDir } from "./helpers/index-fixtures.js";

/*
 * A question limited to some episodes searches their vectors only. A small scope is compared
 * point by point, the vectors read straight from the segment files hnswlib saved; when those are
 * gone (an update removed the data folder), hnswlib hands the points back one by one instead.
 */

vi.setConfig({ testTimeout: 90_000, hookTimeout: 90_000 });

let root: string;
let indexDir: string;
let index: LoadedIndex;
const embedder = countingEmbedder();

beforeAll(async () => {
  root = await makeTempDir("vector-scope");
  const corpus = await fixtureCorpus(join(root, "corpus"), [GARDEN_12, GARDEN_13, KITCHEN_4]);
  indexDir = join(root, "index");
  // Two segments, so a scope spans graphs.
  await buildIndex({ corpusDir: corpus, indexDir, embedder, splitMin: 2 });
  index = await loadIndex(indexDir, embedder);
});

afterAll(() => removeDir(root));

function scopeOfEpisodes(ids: string[]) {
  return scopeOf(Uint8Array.from(index.passages, (p) => (ids.includes(p.episodeId) ? 1 : 0)));
}

/** Every passage in scope compared with the query, best first. */
async function exactNearest(query: Float32Array, mask: Uint8Array, k: number) {
  const all = VectorIndex.build(
    (await embedder.embed(index.passages.map((p) => p.text))) as Float32Array[],
    query.length,
  );
  return all
    .search(query, index.passages.length)
    .filter(({ label }) => mask[label] === 1)
    .slice(0, k);
}

describe("a scoped vector search", { shuffle: false }, () => {
  it("reads each point's vector from the segment file as hnswlib holds it", async () => {
    const file = join(indexDir, index.manifest.dataDir, "vectors-0.hnsw");
    const graph = await VectorIndex.readSegment(file, embedder.dimensions);
    const count = graph.index.getCurrentCount();
    const layout = await readLayout(file, embedder.dimensions, count);
    expect(layout).toBeDefined();
    const seen: number[] = [];
    const read = readPoints(
      layout as NonNullable<typeof layout>,
      0,
      count,
      (label, vector) => {
        seen.push(label);
        expect(Array.from(vector)).toEqual(graph.index.getPoint(label));
      },
      () => true,
    );
    expect(read).toBe(true);
    expect(seen).toEqual(Array.from({ length: count }, (_, i) => i));
  });

  it("finds the nearest passages of the scope, and only those", async () => {
    const scope = scopeOfEpisodes([GARDEN_13]);
    expect(scope.size).toBeGreaterThan(3);
    const [query] = await embedder.embed(["how do you keep slugs off the lettuce?"]);
    const hits = index.vectors.search(query as Float32Array, 5, scope);
    const expected = await exactNearest(query as Float32Array, scope.mask, 5);
    expect(hits.map((h) => h.label)).toEqual(expected.map((h) => h.label));
    for (const [i, hit] of hits.entries())
      expect(hit.similarity).toBeCloseTo(expected[i]?.similarity as number, 5);
  });

  it("still finds them once the data folder it was loaded from is gone", async () => {
    const scope = scopeOfEpisodes([GARDEN_12, KITCHEN_4]);
    const [query] = await embedder.embed(["what do you cook on a cold night?"]);
    const before = index.vectors.search(query as Float32Array, 5, scope);
    await rm(join(indexDir, index.manifest.dataDir), { recursive: true, force: true });
    const after = index.vectors.search(query as Float32Array, 5, scope);
    expect(after).toEqual(before);
    const expected = await exactNearest(query as Float32Array, scope.mask, 5);
    expect(after.map((h) => h.label)).toEqual(expected.map((h) => h.label));
  });
});
