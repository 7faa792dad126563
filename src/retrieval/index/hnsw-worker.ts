import { parentPort, workerData } from "node:worker_threads";
import { buildSegmentFile, type HnswParams } from "./hnsw-segment.js";

/** A worker thread that builds one HNSW segment file (see parallel-build.ts): the build's other core. */
const job = workerData as {
  flat: Float32Array;
  count: number;
  dimensions: number;
  params: HnswParams;
  file: string;
};
buildSegmentFile(job.flat, job.count, job.dimensions, job.params, job.file);
parentPort?.postMessage("done");
