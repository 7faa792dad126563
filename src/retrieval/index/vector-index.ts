import hnswlib from "hnswlib-node";
import { AppError } from "../../errors.js";
import { type HnswFileLayout, readLayout, readPoints } from "./hnsw-file.js";
import type { HnswParams } from "./hnsw-segment.js";
import type { PassageScope } from "./passage-scope.js";

const { HierarchicalNSW } = hnswlib;

export type { HnswParams } from "./hnsw-segment.js";

/**
 * Chosen by measurement (BENCHMARKS.md): on a 51,000-passage archive, ef 192 is the narrowest
 * beam that finds 0.99 of the exact 10 nearest held-out passages (16x the speed of exact
 * search); ef 128 finds 0.976. Larger M gained little for a much longer build.
 */
export const DEFAULT_HNSW: HnswParams = { m: 16, efConstruction: 200, ef: 192 };

/**
 * A scope this small is compared point by point, its vectors read from the segment files (a show
 * of 8,000 passages: about 10 ms; hnswlib's filtered search took 250–340 ms on the archive).
 */
const EXACT_SCOPE_MAX = 12_000;
/** A larger scope is read off an unfiltered search this many times as wide as its share asks for… */
const OVERFETCH = 2;
/** …but no wider than this (k 2,000 took 21 ms over 372,555 passages)… */
const WIDER_SEARCH_MAX = 3000;
/** …and its hits in scope are used when they are at least this share of k (else point by point). */
const FEWEST_SHARE = 0.2;

export interface VectorHit {
  /** The passage's position in the index. */
  label: number;
  /** Cosine similarity, -1..1. */
  similarity: number;
}

/** A segment file as hnswlib read it. */
export interface HnswGraph {
  file: string;
  index: InstanceType<typeof HierarchicalNSW>;
  /** Where the file keeps each point's vector (undefined: ask hnswlib point by point). */
  layout?: HnswFileLayout;
}

/** One HNSW graph and where its points' passages are now (-1: the passage left the index). */
interface Segment {
  index: InstanceType<typeof HierarchicalNSW>;
  positions: Int32Array;
  /** Points whose passage left the index: searched around, not returned. */
  removed: number;
  layout?: HnswFileLayout;
  /** Passage position -> its label here (−1: not here); made on the first scoped search. */
  labels?: Int32Array;
}

/**
 * Cosine HNSW search over unit vectors, in one or more segments (graphs): a large
 * build makes one per core, an update adds one for its new passages and keeps
 * the others as they are (see build.ts). Each segment labels its points 0..n-1;
 * `positions` maps a label to the passage's position in the index.
 */
export class VectorIndex {
  private constructor(
    private readonly segments: Segment[],
    readonly dimensions: number,
  ) {}

  /** A single in-memory segment labelled by position (tests and tools). */
  static build(vectors: Float32Array[], dimensions: number, params: HnswParams = DEFAULT_HNSW): VectorIndex {
    const index = new HierarchicalNSW("cosine", dimensions);
    index.initIndex({
      maxElements: Math.max(1, vectors.length),
      m: params.m,
      efConstruction: params.efConstruction,
      randomSeed: 42,
    });
    vectors.forEach((vector, label) => {
      if (vector.length !== dimensions) {
        throw new AppError(
          "E_VECTOR_DIMENSIONS",
          `vector ${label} has ${vector.length} dimensions, expected ${dimensions}.`,
        );
      }
      index.addPoint(Array.from(vector), label);
    });
    index.setEf(params.ef);
    const positions = Int32Array.from(vectors, (_, i) => i);
    return new VectorIndex([{ index, positions, removed: 0 }], dimensions);
  }

  /**
   * Reads one segment file into a fresh object (never into a live one, which hnswlib frees
   * first), on a thread of libuv's pool. The caller must have verified the file's checksum: a
   * corrupted file can load and then crash the process on the first search.
   */
  static async readSegment(file: string, dimensions: number): Promise<HnswGraph> {
    const index = new HierarchicalNSW("cosine", dimensions);
    try {
      await index.readIndex(file);
    } catch (error) {
      throw new AppError(
        "E_INDEX_CORRUPT",
        `${file}: the vector index cannot be read (${(error as Error).message}). Run \`npm run build-index -- --force\`.`,
        { cause: error },
      );
    }
    const layout = await readLayout(file, dimensions, index.getCurrentCount()).catch(() => undefined);
    return { file, index, layout };
  }

  /** The index over segments read by `readSegment`, each with its position map, checked against each other. */
  static fromSegments(
    segments: Array<{ graph: HnswGraph; positions: Int32Array }>,
    expectedCount: number,
    ef: number,
  ): VectorIndex {
    const dimensions = segments[0]?.graph.index.getNumDimensions() ?? 0;
    const loaded: Segment[] = [];
    let live = 0;
    for (const { graph, positions } of segments) {
      const { file, index, layout } = graph;
      const count = index.getCurrentCount();
      if (count !== positions.length) {
        throw new AppError(
          "E_INDEX_CORRUPT",
          `${file}: holds ${count} vectors but its position map has ${positions.length}. Run \`npm run build-index -- --force\`.`,
        );
      }
      let removed = 0;
      for (const position of positions) {
        if (position < 0) removed += 1;
        else if (position >= expectedCount) {
          throw new AppError(
            "E_INDEX_CORRUPT",
            `${file}: points at passage ${position}, past the ${expectedCount} of the index. Run \`npm run build-index -- --force\`.`,
          );
        }
      }
      live += count - removed;
      index.setEf(ef);
      loaded.push({ index, positions, removed, layout });
    }
    if (live !== expectedCount) {
      throw new AppError(
        "E_INDEX_CORRUPT",
        `the vector index holds ${live} vectors but the manifest says ${expectedCount}. Run \`npm run build-index -- --force\`.`,
      );
    }
    return new VectorIndex(loaded, dimensions);
  }

  /** Passages with a vector. */
  get count(): number {
    return this.segments.reduce((sum, s) => sum + s.positions.length - s.removed, 0);
  }

  /** Sets the query-time search breadth (ef): wider finds more of the true neighbours, slower. */
  setEf(ef: number): void {
    for (const { index } of this.segments) index.setEf(ef);
  }

  /** The vector of the point at `label` of segment `segment` (a merge re-reads what it keeps). */
  point(segment: number, label: number): number[] {
    return (this.segments[segment] as Segment).index.getPoint(label);
  }

  /**
   * The k nearest vectors, of the passages in `scope` when one is given. hnswlib's own filter
   * calls back into JavaScript at every point it visits, and on an archive's graph it visited
   * half the points (0.25–0.35 s) to find a show's 50 nearest; so a small scope is compared point
   * by point and a larger one is read off a wider unfiltered search.
   */
  search(query: Float32Array, k: number, scope?: PassageScope): VectorHit[] {
    if (!scope) return this.nearest(query, k);
    if (scope.size <= EXACT_SCOPE_MAX) return this.exact(query, k, scope);
    const wider = Math.ceil((OVERFETCH * k * this.count) / Math.max(1, scope.size));
    const hits = this.nearest(query, Math.min(wider, WIDER_SEARCH_MAX)).filter(
      ({ label }) => scope.mask[label] === 1,
    );
    // A narrow share of the archive gets fewer than k of its nearest: enough of them will do.
    if (hits.length >= Math.ceil(k * FEWEST_SHARE)) return hits.slice(0, k);
    return this.exact(query, k, scope);
  }

  /** hnswlib's search over every segment, best first. */
  private nearest(query: Float32Array, k: number): VectorHit[] {
    const point = Array.from(query);
    const hits: VectorHit[] = [];
    for (const { index, positions, removed } of this.segments) {
      const n = Math.min(k, positions.length - removed);
      if (n <= 0) continue;
      const filter = removed > 0 ? (label: number) => (positions[label] as number) >= 0 : undefined;
      const { neighbors, distances } = index.searchKnn(point, n, filter);
      // hnswlib's cosine "distance" is 1 - similarity.
      neighbors.forEach((label, i) => {
        hits.push({ label: positions[label] as number, similarity: 1 - (distances[i] ?? 1) });
      });
    }
    if (this.segments.length === 1) return hits;
    return hits.sort((a, b) => b.similarity - a.similarity || a.label - b.label).slice(0, k);
  }

  /** The k nearest of the passages in `scope`, each compared (cosine points are unit vectors). */
  private exact(query: Float32Array, k: number, scope: PassageScope): VectorHit[] {
    const { mask } = scope;
    let norm = 0;
    for (const value of query) norm += value * value;
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    const similarity = (point: ArrayLike<number>) => {
      let dot = 0;
      for (let i = 0; i < point.length; i++) dot += (point[i] as number) * (query[i] as number);
      return dot * scale;
    };
    const hits: VectorHit[] = [];
    for (const segment of this.segments) {
      const { index, positions, layout } = segment;
      const wanted = (label: number) => {
        const position = positions[label] as number;
        return position >= 0 && mask[position] === 1;
      };
      // The stretch of labels in scope (a show's passages were added one after another), found
      // from the scope's passages, not by walking an archive's labels.
      const labels = labelsOf(segment, mask.length);
      let from = positions.length;
      let to = 0;
      for (let position = scope.from; position < scope.to; position++) {
        const label = labels[position] as number;
        if (label < 0 || mask[position] !== 1) continue;
        if (label < from) from = label;
        if (label >= to) to = label + 1;
      }
      const found: VectorHit[] = [];
      const visit = (label: number, point: ArrayLike<number>) =>
        found.push({ label: positions[label] as number, similarity: similarity(point) });
      if (!layout || !readPoints(layout, from, to, visit, wanted)) {
        found.length = 0;
        for (let label = from; label < to; label++) if (wanted(label)) visit(label, index.getPoint(label));
      }
      for (const hit of found) hits.push(hit);
    }
    return hits.sort((a, b) => b.similarity - a.similarity || a.label - b.label).slice(0, k);
  }
}

/** The segment's label of each passage position (−1 for a passage it does not hold), made once. */
function labelsOf(segment: Segment, passages: number): Int32Array {
  if (segment.labels && segment.labels.length >= passages) return segment.labels;
  const labels = new Int32Array(passages).fill(-1);
  segment.positions.forEach((position, label) => {
    if (position >= 0 && position < passages) labels[position] = label;
  });
  segment.labels = labels;
  return labels;
}
