import type { HnswParams } from "./hnsw-segment.js";
import { buildSegmentFile } from "./hnsw-segment.js";
import { runWorker } from "./workers.js";

export interface SegmentJob {
  flat: Float32Array;
  count: number;
  file: string;
}

/**
 * Builds each segment's HNSW file in a worker thread of its own, so a large
 * index's graphs are built on both cores while the build thread works on the
 * lexical index. One job is built in this thread (no worker to start).
 */
export async function buildSegmentFiles(
  jobs: SegmentJob[],
  dimensions: number,
  params: HnswParams,
): Promise<void> {
  if (jobs.length === 1) {
    const [job] = jobs as [SegmentJob];
    buildSegmentFile(job.flat, job.count, dimensions, params, job.file);
    return;
  }
  await Promise.all(
    jobs.map((job) =>
      runWorker(
        "hnsw-worker",
        { flat: job.flat, count: job.count, dimensions, params, file: job.file },
        [job.flat.buffer as ArrayBuffer],
        `building ${job.file}`,
      ),
    ),
  );
}
