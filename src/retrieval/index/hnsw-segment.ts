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
 * Builds one HNSW graph over `count` vectors laid end to end in `flat`, labelled
 * 0..count-1, and writes it to `file`. Runs in the build's thread for a small
 * index and in a worker thread (hnsw-worker.ts) for each segment of a large one.
 */
export function buildSegmentFile(
  flat: Float32Array,
  count: number,
  dimensions: number,
  params: HnswParams,
  file: string,
): void {
  if (flat.length !== count * dimensions)
    throw new AppError(
      "E_VECTOR_DIMENSIONS",
      `${count} vectors of ${dimensions} dimensions expected, got ${flat.length} numbers.`,
    );
  const index = new HierarchicalNSW("cosine", dimensions);
  index.initIndex({
    maxElements: Math.max(1, count),
    m: params.m,
    efConstruction: params.efConstruction,
    randomSeed: 42,
  });
  for (let label = 0; label < count; label++) {
    index.addPoint(Array.from(flat.subarray(label * dimensions, (label + 1) * dimensions)), label);
  }
  index.writeIndexSync(file);
}
