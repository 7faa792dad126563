import type { Config } from "../config.js";
import { AppError, describeError } from "../errors.js";
import type { Logger } from "../logger.js";
import { createOfflineEmbedder } from "./offline.js";
import type { Embedder } from "./types.js";

type EmbedderConfig = Config["embedder"];

async function transformers(
  config: EmbedderConfig,
  model: string,
  allowRemote: boolean,
  quantized = true,
): Promise<Embedder> {
  // Loaded only when asked for: the library is heavy, and the offline path never needs it.
  const { createTransformersEmbedder, createDownloadProgressBar } = await import("./transformers.js");
  return createTransformersEmbedder({
    model,
    localModelPath: config.modelsDir,
    cacheDir: config.cacheDir,
    allowRemote,
    quantized,
    onProgress: createDownloadProgressBar(),
  });
}

/**
 * The embedder for building an index. `auto` takes the transformers model when
 * it is cached or can be downloaded, else the offline embedder, and says which.
 */
export async function embedderForBuild(config: EmbedderConfig, log: Logger): Promise<Embedder> {
  if (config.kind === "offline") return createOfflineEmbedder();
  if (config.kind === "transformers") return transformers(config, config.model, config.download);
  try {
    const embedder = await transformers(config, config.model, config.download);
    log.info({ embedder: embedder.id }, `embedder: ${embedder.id} (transformers.js model found)`);
    return embedder;
  } catch (error) {
    const embedder = createOfflineEmbedder();
    log.info(
      { embedder: embedder.id, reason: describeError(error) },
      `embedder: ${embedder.id} (offline default; the model ${config.model} is not available here)`,
    );
    return embedder;
  }
}

/**
 * The embedder that matches an existing index, so questions are embedded the
 * way its passages were. Never downloads: the model was there at build time.
 */
export async function embedderForIndex(id: string, config: EmbedderConfig): Promise<Embedder> {
  const offline = createOfflineEmbedder();
  if (id === offline.id) return offline;
  const match = /^transformers:(.+):(q8|fp32)$/.exec(id);
  if (match?.[1]) return transformers(config, match[1], false, match[2] === "q8");
  throw new AppError(
    "E_INDEX_EMBEDDER_MISMATCH",
    `the index was built with an unknown embedder "${id}". Run \`npm run build-index -- --force\`.`,
  );
}
