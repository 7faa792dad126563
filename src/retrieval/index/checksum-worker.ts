import { parentPort, workerData } from "node:worker_threads";
import { fileSum } from "./checksum.js";

/** A worker thread that checksums one file (see checksum.ts): large files are verified on both cores. */
const { file } = workerData as { file: string };
fileSum(file).then(
  (sum) => parentPort?.postMessage(sum),
  (error: Error) => parentPort?.postMessage({ error: error.message }),
);
