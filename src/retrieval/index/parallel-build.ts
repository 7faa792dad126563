import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { AppError } from "../../errors.js";
import { buildSegmentFile, type HnswParams } from "./hnsw-segment.js";

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
  await Promise.all(jobs.map((job) => inWorker(job, dimensions, params)));
}

function workerScript(): { url: URL; execArgv: string[] } {
  const compiled = new URL("./hnsw-worker.js", import.meta.url);
  if (existsSync(fileURLToPath(compiled))) return { url: compiled, execArgv: [] };
  // Run from the TypeScript sources (tests): the worker needs tsx to load them too.
  return { url: new URL("./hnsw-worker.ts", import.meta.url), execArgv: ["--import", "tsx"] };
}

function inWorker(job: SegmentJob, dimensions: number, params: HnswParams): Promise<void> {
  const { url, execArgv } = workerScript();
  return new Promise((resolve, reject) => {
    const worker = new Worker(url, {
      execArgv,
      workerData: { flat: job.flat, count: job.count, dimensions, params, file: job.file },
      transferList: [job.flat.buffer as ArrayBuffer],
    });
    let done = false;
    worker.once("message", () => {
      done = true;
    });
    worker.once("error", (error) =>
      reject(
        new AppError("E_INDEX_WRITE", `building ${job.file} failed: ${error.message}`, { cause: error }),
      ),
    );
    worker.once("exit", (code) => {
      if (done) resolve();
      else reject(new AppError("E_INDEX_WRITE", `building ${job.file}: the worker stopped (exit ${code}).`));
    });
  });
}
