import { join } from "node:path";
import hnswlib from "hnswlib-node";
import type { Embedder } from "../../embeddings/types.js";
import { AppError } from "../../errors.js";
import type { HnswParams } from "./hnsw-segment.js";
import { IntList } from "./int-list.js";
import { buildSegmentFiles, type SegmentJob } from "./parallel-build.js";
import type { Passage } from "./passage.js";
import { keepSegmentFile, type StoredEpisode, type StoredIndex, type WrittenSegment } from "./storage.js";

const { HierarchicalNSW } = hnswlib;

const EMBED_BATCH = 64;
/** A full build of at least this many passages splits its vectors in two segments, one per core. */
export const SPLIT_MIN = 20_000;
const SPLIT_INTO = 2;
/** An update that would leave more segments than this, or this share of points removed, rebuilds the graphs. */
const MAX_SEGMENTS = 6;
const MAX_REMOVED_SHARE = 0.25;

/** An episode of the build (see build.ts): its passages, and what it keeps of the previous index. */
interface Part {
  passages: Passage[];
  kept?: StoredEpisode;
}

/** What of the build's options the vectors need. */
interface BuildOptions {
  indexDir: string;
  embedder: Embedder;
  onProgress?: (done: number, total: number) => void;
  splitMin?: number;
}

export interface VectorPlan {
  /** Passages embedded by this build. */
  embedded: number;
  /** The segment files of the new data folder, once written (graphs build in worker threads). */
  segments: Promise<WrittenSegment[]>;
}

/**
 * Decides and starts the vector side of a build. A full build embeds every
 * passage and builds one or two segments; an update embeds only the new and
 * changed episodes, keeps the previous segments (their removed points are
 * mapped to -1 and searched around) and adds one segment for the new passages.
 * Too many segments or removed points: the graphs are rebuilt from the kept
 * vectors (read back from the old graphs, not embedded again).
 */
export async function planVectors(
  parts: Part[],
  stored: StoredIndex | undefined,
  options: BuildOptions,
  dataDir: string,
  hnsw: HnswParams,
): Promise<VectorPlan> {
  const dimensions = options.embedder.dimensions;
  const dataPath = join(options.indexDir, dataDir);
  const fresh = new IntList();
  const texts: string[] = [];
  const oldToNew = new Map<number, number>();
  let at = 0;
  for (const part of parts) {
    part.passages.forEach((passage, i) => {
      if (part.kept) oldToNew.set(part.kept.first + i, at + i);
      else {
        fresh.push(at + i);
        texts.push(passage.text);
      }
    });
    at += part.passages.length;
  }
  const total = at;
  const vectors = await embedAll(texts, options);
  const embedded = texts.length;

  const kept = stored && oldToNew.size > 0 ? keptSegments(stored, oldToNew) : [];
  const points = kept.reduce((sum, s) => sum + s.positions.length, 0) + embedded;
  const removed = kept.reduce((sum, s) => sum + s.positions.filter((p) => p < 0).length, 0);
  if (kept.length === 0 || kept.length + 1 > MAX_SEGMENTS || removed > MAX_REMOVED_SHARE * points) {
    // Every passage in position order: the fresh vectors, plus the kept ones read back from their graphs.
    const all = new Float32Array(total * dimensions);
    for (let i = 0; i < fresh.length; i++)
      all.set(vectors.subarray(i * dimensions, (i + 1) * dimensions), fresh.get(i) * dimensions);
    if (stored)
      for (const segment of kept)
        readBack(join(stored.dataPath, segment.file), segment.positions, all, dimensions);
    const count = total >= (options.splitMin ?? SPLIT_MIN) ? SPLIT_INTO : 1;
    return { embedded, segments: fullSegments(all, total, count, dimensions, hnsw, dataPath) };
  }
  const next = Math.max(...kept.map((s) => Number(/\d+/.exec(s.file)?.[0] ?? 0))) + 1;
  const file = `vectors-${next}.hnsw`;
  const segments = (async () => {
    const written: WrittenSegment[] = [];
    for (const segment of kept) {
      await keepSegmentFile(join(stored?.dataPath ?? "", segment.file), join(dataPath, segment.file));
      written.push(segment);
    }
    if (embedded > 0) {
      await buildSegmentFiles(
        [{ flat: vectors, count: embedded, file: join(dataPath, file) }],
        dimensions,
        hnsw,
      );
      written.push({ file, positions: fresh.toArray() });
    }
    return written;
  })();
  return { embedded, segments };
}

/** The previous segments with their points mapped to the new positions (-1: the passage is gone). */
function keptSegments(stored: StoredIndex, oldToNew: Map<number, number>): WrittenSegment[] {
  return stored.segments.map(({ file, positions, sum }) => ({
    file,
    sum,
    positions: positions.map((old) => (old < 0 ? -1 : (oldToNew.get(old) ?? -1))),
  }));
}

/** Copies a kept segment's live vectors into `all` at their new positions. */
function readBack(file: string, positions: Int32Array, all: Float32Array, dimensions: number): void {
  const index = new HierarchicalNSW("cosine", dimensions);
  index.readIndexSync(file);
  positions.forEach((position, label) => {
    if (position >= 0) all.set(index.getPoint(label), position * dimensions);
  });
}

/** One segment, or one per core for a large index, over contiguous positions; built in worker threads. */
async function fullSegments(
  all: Float32Array,
  total: number,
  count: number,
  dimensions: number,
  hnsw: HnswParams,
  dataPath: string,
): Promise<WrittenSegment[]> {
  const jobs: SegmentJob[] = [];
  const written: WrittenSegment[] = [];
  for (let s = 0; s < count; s++) {
    const from = Math.floor((s * total) / count);
    const to = Math.floor(((s + 1) * total) / count);
    // The last job takes `all` itself; the others a copy of their part (each worker owns its buffer).
    const flat =
      s === count - 1
        ? all.subarray(from * dimensions, to * dimensions)
        : all.slice(from * dimensions, to * dimensions);
    const file = `vectors-${s}.hnsw`;
    jobs.push({ flat, count: to - from, file: join(dataPath, file) });
    written.push({ file, positions: Int32Array.from({ length: to - from }, (_, i) => from + i) });
  }
  await buildSegmentFiles(jobs, dimensions, hnsw);
  return written;
}

/** Embeds the texts in batches into one array of vectors laid end to end. */
async function embedAll(texts: string[], options: BuildOptions): Promise<Float32Array> {
  const { dimensions } = options.embedder;
  const flat = new Float32Array(texts.length * dimensions);
  let done = 0;
  for (let i = 0; i < texts.length; i += EMBED_BATCH) {
    const batch = await options.embedder.embed(texts.slice(i, i + EMBED_BATCH));
    for (const vector of batch) {
      if (vector.length !== dimensions) {
        throw new AppError(
          "E_VECTOR_DIMENSIONS",
          `the embedder ${options.embedder.id} returned a vector of ${vector.length} dimensions, expected ${dimensions}.`,
        );
      }
      if (done < texts.length) flat.set(vector, done * dimensions);
      done += 1;
    }
    options.onProgress?.(Math.min(i + EMBED_BATCH, texts.length), texts.length);
  }
  if (done !== texts.length) {
    throw new AppError(
      "E_EMBEDDER",
      `the embedder ${options.embedder.id} returned ${done} vectors for ${texts.length} passages.`,
    );
  }
  return flat;
}
