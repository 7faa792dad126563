import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { AppError } from "../../errors.js";

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Moves a dead build's lock out of the way with a rename (atomic: of two
 * builds doing this at once, one finds nothing to move). If what was moved is
 * not the dead owner's lock after all (another build replaced it meanwhile), it
 * is put back. The caller then retries the exclusive create, which one wins.
 */
export async function takeOverStale(file: string, deadOwner: number): Promise<void> {
  const aside = `${file}.stale.${process.pid}`;
  try {
    await rename(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  const moved = Number.parseInt(await readFile(aside, "utf8").catch(() => ""), 10);
  if (moved > 0 && moved !== deadOwner && alive(moved)) await rename(aside, file);
  else await rm(aside, { force: true });
}

/**
 * Takes the build lock of an index folder, so two builds never run at once.
 * A lock left by a build that was killed (its process is gone) is taken over.
 */
export async function acquireBuildLock(indexDir: string): Promise<() => Promise<void>> {
  await mkdir(indexDir, { recursive: true });
  const file = join(indexDir, ".build.lock");
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFile(file, String(process.pid), { flag: "wx" });
      return () => rm(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number.parseInt(await readFile(file, "utf8").catch(() => ""), 10);
      if (Number.isInteger(owner) && owner > 0 && alive(owner)) {
        throw new AppError(
          "E_BUILD_LOCKED",
          `another build (process ${owner}) is writing ${indexDir}. Wait for it to finish, or delete ${file} if it is not running.`,
        );
      }
      await takeOverStale(file, Number.isInteger(owner) ? owner : Number.NaN);
    }
  }
  throw new AppError("E_BUILD_LOCKED", `could not take the build lock ${file}. Try again.`);
}
