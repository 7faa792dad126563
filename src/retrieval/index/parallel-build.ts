import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
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

/** The worker's script: the compiled file, or (run from the TypeScript sources, in tests) a loader of it through tsx. */
function workerScript(): { script: URL | string; eval: boolean } {
  const compiled = new URL("./hnsw-worker.js", import.meta.url);
  if (existsSync(fileURLToPath(compiled))) return { script: compiled, eval: false };
  // The ESM entry of tsx's API (require.resolve would give its CommonJS one).
  const tsx = join(
    dirname(createRequire(import.meta.url).resolve("tsx/package.json")),
    "dist/esm/api/index.mjs",
  );
  const source = new URL("./hnsw-worker.ts", import.meta.url).href;
  return {
    script: `import(${JSON.stringify(pathToFileURL(tsx).href)}).then((api) => { api.register(); return import(${JSON.stringify(source)}); });`,
    eval: true,
  };
}

function inWorker(job: SegmentJob, dimensions: number, params: HnswParams): Promise<void> {
  const { script, eval: evaluate } = workerScript();
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, {
      eval: evaluate,
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
