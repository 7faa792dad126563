import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { AppError } from "../../errors.js";

/**
 * Runs one of this folder's worker scripts (`name` without extension) in a
 * worker thread and resolves with the first message it posts. From the
 * compiled files it runs `name.js`; from the TypeScript sources (tests) a
 * loader that registers tsx first.
 */
export function runWorker<T>(
  name: string,
  workerData: unknown,
  transferList: ArrayBuffer[] = [],
  what = name,
): Promise<T> {
  const compiled = new URL(`./${name}.js`, import.meta.url);
  let script: URL | string = compiled;
  let evaluate = false;
  if (!existsSync(fileURLToPath(compiled))) {
    // The ESM entry of tsx's API (require.resolve would give its CommonJS one).
    const tsx = join(
      dirname(createRequire(import.meta.url).resolve("tsx/package.json")),
      "dist/esm/api/index.mjs",
    );
    const source = new URL(`./${name}.ts`, import.meta.url).href;
    script = `import(${JSON.stringify(pathToFileURL(tsx).href)}).then((api) => { api.register(); return import(${JSON.stringify(source)}); });`;
    evaluate = true;
  }
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { eval: evaluate, workerData, transferList });
    let result: { value: T } | undefined;
    worker.once("message", (value: T) => {
      result = { value };
    });
    worker.once("error", (error) =>
      reject(new AppError("E_WORKER", `${what} failed: ${error.message}`, { cause: error })),
    );
    worker.once("exit", (code) => {
      if (result) resolve(result.value);
      else reject(new AppError("E_WORKER", `${what}: the worker thread stopped (exit ${code}).`));
    });
  });
}
