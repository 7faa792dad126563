import { randomBytes } from "node:crypto";
import { mkdir, readdir, rm, rmdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { alive } from "./lock.js";

/**
 * Read leases: a process loading a data folder leaves a file
 * `INDEX_DIR/.leases/<data folder>.<pid>.<random>` until it has read it (a
 * loaded index needs no file: hnswlib and the section files are read into
 * memory). A build removes every unpublished data folder without a live lease;
 * a lease whose process is gone does not count.
 */

const FOLDER = ".leases";

/** Takes a lease on `dataDir`; the returned function gives it back. A read-only index folder gets none. */
export async function holdLease(indexDir: string, dataDir: string): Promise<() => Promise<void>> {
  const file = join(indexDir, FOLDER, `${dataDir}.${process.pid}.${randomBytes(4).toString("hex")}`);
  // Twice: a build may remove the empty lease folder between our mkdir and our write.
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await mkdir(join(indexDir, FOLDER), { recursive: true });
      await writeFile(file, String(process.pid));
      return async () => {
        await rm(file, { force: true });
        // The last reader out removes the folder (fails while another lease is in it).
        await rmdir(join(indexDir, FOLDER)).catch(() => {});
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") break;
    }
  }
  // Readers of a folder they cannot write to go without: builds then happen elsewhere.
  return async () => {};
}

/** The data folders some live process is reading now; leases of dead processes are removed. */
export async function liveLeases(indexDir: string): Promise<Set<string>> {
  const folder = join(indexDir, FOLDER);
  const live = new Set<string>();
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return live;
  }
  for (const name of names) {
    const match = /^(data-[\w-]+)\.(\d+)\.[0-9a-f]+$/.exec(name);
    if (match && alive(Number(match[2]))) live.add(match[1] as string);
    else await rm(join(folder, name), { force: true });
  }
  // An empty lease folder goes, so an index folder holds only what it serves (fails while a lease is in it).
  if (live.size === 0) await rmdir(folder).catch(() => {});
  return live;
}
