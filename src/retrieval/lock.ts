import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { AppError } from "../errors.js";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Takes the build lock of an index folder, so two builds never run at once.
 * A lock left by a build that was killed (its process is gone) is taken over.
 */
export async function acquireBuildLock(indexDir: string): Promise<() => Promise<void>> {
  await mkdir(indexDir, { recursive: true });
  const file = join(indexDir, ".build.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
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
      await rm(file, { force: true });
    }
  }
  throw new AppError("E_BUILD_LOCKED", `could not take the build lock ${file}. Try again.`);
}
