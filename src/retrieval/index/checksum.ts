import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { runWorker } from "./workers.js";

export interface FileSum {
  sha256: string;
  bytes: number;
}

/** A file's checksum, read in chunks (a segment can be hundreds of megabytes). */
export async function fileSum(file: string): Promise<FileSum> {
  const hash = createHash("sha256");
  let bytes = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest("hex"), bytes };
}

/** Files at least this large are checksummed in a worker thread, so several are read and hashed at once. */
const WORKER_MIN_BYTES = 32 << 20;

/** The same checksum, computed in a worker thread for a large file (`size` known from a manifest). */
export async function fileSumAside(file: string, size: number): Promise<FileSum> {
  if (size < WORKER_MIN_BYTES) return fileSum(file);
  const result = await runWorker<FileSum | { error: string }>(
    "checksum-worker",
    { file },
    [],
    `checksumming ${file}`,
  );
  if ("error" in result) throw new Error(result.error);
  return result;
}
