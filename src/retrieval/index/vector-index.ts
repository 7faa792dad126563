import hnswlib from "hnswlib-node";
import { AppError } from "../../errors.js";

const { HierarchicalNSW } = hnswlib;

/**
 * HNSW parameters. M: links per node (memory, recall); efConstruction: build-time
 * search breadth (build time, recall); ef: query-time search breadth (latency, recall).
 */
export interface HnswParams {
  m: number;
  efConstruction: number;
  ef: number;
}

/**
 * Chosen by measurement (BENCHMARKS.md): on a 51,000-passage archive, ef 192 is the narrowest
 * beam that finds 0.99 of the exact 10 nearest held-out passages (16x the speed of exact
 * search); ef 128 finds 0.976. Larger M gained little for a much longer build.
 */
export const DEFAULT_HNSW: HnswParams = { m: 16, efConstruction: 200, ef: 192 };

export interface VectorHit {
  /** The label given at insertion: the passage's position in the index. */
  label: number;
  /** Cosine similarity, -1..1. */
  similarity: number;
}

/** Cosine HNSW index over unit vectors, labelled by passage position. */
export class VectorIndex {
  private constructor(
    private readonly index: InstanceType<typeof HierarchicalNSW>,
    readonly dimensions: number,
    readonly count: number,
  ) {}

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
    return new VectorIndex(index, dimensions, vectors.length);
  }

  /**
   * Loads into a fresh object (never into a live one, which hnswlib frees first).
   * The caller must have verified the file's checksum: a corrupted file can load
   * and then crash the process on the first search.
   */
  static load(file: string, dimensions: number, expectedCount: number, ef: number): VectorIndex {
    const index = new HierarchicalNSW("cosine", dimensions);
    try {
      index.readIndexSync(file);
    } catch (error) {
      throw new AppError(
        "E_INDEX_CORRUPT",
        `${file}: the vector index cannot be read (${(error as Error).message}). Run \`npm run build-index -- --force\`.`,
        {
          cause: error,
        },
      );
    }
    const count = index.getCurrentCount();
    if (count !== expectedCount) {
      throw new AppError(
        "E_INDEX_CORRUPT",
        `${file}: holds ${count} vectors but the manifest says ${expectedCount}. Run \`npm run build-index -- --force\`.`,
      );
    }
    index.setEf(ef);
    return new VectorIndex(index, dimensions, count);
  }

  /** Sets the query-time search breadth (ef): wider finds more of the true neighbours, slower. */
  setEf(ef: number): void {
    this.index.setEf(ef);
  }

  save(file: string): void {
    this.index.writeIndexSync(file);
  }

  /** The k nearest vectors; `accept` limits the search to some labels (an episode scope) inside hnswlib. */
  search(query: Float32Array, k: number, accept?: (label: number) => boolean): VectorHit[] {
    const n = Math.min(k, this.count);
    if (n === 0) return [];
    const { neighbors, distances } = this.index.searchKnn(Array.from(query), n, accept);
    // hnswlib's cosine "distance" is 1 - similarity.
    return neighbors.map((label, i) => ({ label, similarity: 1 - (distances[i] ?? 1) }));
  }
}
