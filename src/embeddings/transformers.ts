import { resolve } from "node:path";
import { MultiBar, Presets, type SingleBar } from "cli-progress";
import { AppError, describeError } from "../errors.js";
import type { Embedder } from "./types.js";

/** Sentence-embedding model used when none is configured (384 dimensions). */
export const DEFAULT_TRANSFORMERS_MODEL = "Xenova/all-MiniLM-L6-v2";

const BATCH_SIZE = 32;
const PROBE_TEXT = "dimension probe";

/** One model-file progress event, as forwarded to {@link TransformersEmbedderOptions.onProgress}. */
export interface ModelFileProgress {
  /** transformers.js status: "initiate", "download", "progress" or "done". */
  status: string;
  /** File inside the model folder, e.g. "onnx/model_quantized.onnx". */
  file: string;
  /** Bytes read so far; 0 outside "progress" events. */
  loaded: number;
  /** Expected bytes; 0 outside "progress" events. */
  total: number;
}

export interface TransformersEmbedderOptions {
  /** Hub id or folder name under `localModelPath`; default {@link DEFAULT_TRANSFORMERS_MODEL}. */
  model?: string;
  /** Folder holding `<model>/config.json` etc.; default: transformers.js's own `models/` folder. */
  localModelPath?: string;
  /** Where downloaded files are cached; default: transformers.js's own `.cache/` folder. */
  cacheDir?: string;
  /** Download missing files from the Hugging Face hub; default true. */
  allowRemote?: boolean;
  /** Load `onnx/model_quantized.onnx` (int8) instead of `onnx/model.onnx`; default true. */
  quantized?: boolean;
  onProgress?: (progress: ModelFileProgress) => void;
}

type Transformers = typeof import("@xenova/transformers");
type FeatureExtractor = Awaited<ReturnType<typeof loadPipeline>>;

/** The writable subset of transformers.js's `env` that we set (its typings mark some as read-only). */
interface EnvSettings {
  localModelPath: string;
  cacheDir: string;
  allowRemoteModels: boolean;
  allowLocalModels: boolean;
}

let libraryDefaults: Pick<EnvSettings, "localModelPath" | "cacheDir"> | undefined;

/**
 * Loads a sentence-embedding model with transformers.js (mean pooling, unit-length vectors).
 * transformers.js keeps its settings in one global `env`, so the options of the latest call win.
 *
 * @throws AppError `E_MODEL_UNAVAILABLE` when the model cannot be found, downloaded or loaded.
 */
export async function createTransformersEmbedder(opts: TransformersEmbedderOptions = {}): Promise<Embedder> {
  const model = opts.model ?? DEFAULT_TRANSFORMERS_MODEL;
  const quantized = opts.quantized ?? true;
  const transformers = await import("@xenova/transformers");
  const settings = configureEnv(transformers, opts);

  let pipe: FeatureExtractor;
  let dimensions: number;
  try {
    pipe = await loadPipeline(transformers, model, quantized, opts.onProgress);
    const [probe] = await embedBatch(pipe, [PROBE_TEXT]);
    dimensions = probe?.length ?? 0;
  } catch (error) {
    throw unavailableError(model, quantized, settings, error);
  }

  return {
    id: `transformers:${model}:${quantized ? "q8" : "fp32"}`,
    dimensions,
    async embed(texts: string[]): Promise<Float32Array[]> {
      const vectors: Float32Array[] = [];
      for (let start = 0; start < texts.length; start += BATCH_SIZE) {
        vectors.push(...(await embedBatch(pipe, texts.slice(start, start + BATCH_SIZE))));
      }
      return vectors;
    },
  };
}

function configureEnv(transformers: Transformers, opts: TransformersEmbedderOptions): EnvSettings {
  const env = transformers.env as unknown as EnvSettings;
  libraryDefaults ??= { localModelPath: env.localModelPath, cacheDir: env.cacheDir };
  env.localModelPath = opts.localModelPath ? resolve(opts.localModelPath) : libraryDefaults.localModelPath;
  env.cacheDir = opts.cacheDir ? resolve(opts.cacheDir) : libraryDefaults.cacheDir;
  env.allowRemoteModels = opts.allowRemote ?? true;
  env.allowLocalModels = true;
  return { ...env };
}

function loadPipeline(
  transformers: Transformers,
  model: string,
  quantized: boolean,
  onProgress: TransformersEmbedderOptions["onProgress"],
) {
  const progress_callback =
    onProgress && ((event: Record<string, unknown>) => forwardProgress(event, onProgress));
  return transformers.pipeline("feature-extraction", model, { quantized, progress_callback });
}

function forwardProgress(
  event: Record<string, unknown>,
  onProgress: (progress: ModelFileProgress) => void,
): void {
  // "ready" and other pipeline-level events carry no file; they are not about downloads.
  if (typeof event.file !== "string") return;
  onProgress({
    status: String(event.status),
    file: event.file,
    loaded: typeof event.loaded === "number" ? event.loaded : 0,
    total: typeof event.total === "number" ? event.total : 0,
  });
}

async function embedBatch(pipe: FeatureExtractor, texts: string[]): Promise<Float32Array[]> {
  const output = await pipe(texts, { pooling: "mean", normalize: true });
  const width = output.dims.at(-1) ?? 0;
  const data = output.data as Float32Array;
  // slice, not subarray: each vector must outlive the batch tensor independently.
  return texts.map((_, row) => data.slice(row * width, (row + 1) * width));
}

function unavailableError(
  model: string,
  quantized: boolean,
  settings: EnvSettings,
  cause: unknown,
): AppError {
  const weights = `onnx/model${quantized ? "_quantized" : ""}.onnx`;
  const localFolder = `${settings.localModelPath.replace(/\/+$/, "")}/${model}`;
  const cacheFolder = `${settings.cacheDir.replace(/\/+$/, "")}/${model}`;
  const [downloads, lastResort] = settings.allowRemoteModels
    ? ["downloading it failed", "check that huggingface.co is reachable"]
    : ["downloads are disabled", "allow model downloads"];
  const reason = describeError(cause).replace(/\.$/, "");
  return new AppError(
    "E_MODEL_UNAVAILABLE",
    `Embedding model "${model}" could not be loaded (${reason}). ` +
      `Looked in the local model folder ${localFolder} and the download cache ${cacheFolder}; ${downloads}. ` +
      `Fix: set EMBEDDER=offline, or put config.json, tokenizer.json, tokenizer_config.json and ${weights} ` +
      `into ${localFolder}, or ${lastResort}.`,
    { cause },
  );
}

/**
 * Returns an `onProgress` callback that draws one `cli-progress` bar per file while it downloads.
 * Files read from disk or cache arrive in a single chunk and draw nothing; on a non-TTY stream the
 * callback does nothing at all, so logs stay clean.
 */
export function createDownloadProgressBar(
  stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr,
): (progress: ModelFileProgress) => void {
  if (!stream.isTTY) return () => {};
  let multiBar: MultiBar | undefined;
  const bars = new Map<string, SingleBar>();

  return (progress) => {
    if (progress.status !== "progress") return;
    let bar = bars.get(progress.file);
    if (!bar) {
      if (progress.loaded >= progress.total) return;
      multiBar ??= new MultiBar(
        { stream, format: "{file} [{bar}] {percentage}% | {value}/{total} bytes", hideCursor: true },
        Presets.shades_classic,
      );
      bar = multiBar.create(progress.total, 0, { file: progress.file });
      bars.set(progress.file, bar);
    }
    bar.setTotal(progress.total);
    bar.update(progress.loaded);
    if (progress.loaded < progress.total) return;
    bars.delete(progress.file);
    if (bars.size === 0) {
      multiBar?.stop();
      multiBar = undefined;
    }
  };
}
