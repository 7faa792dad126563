import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTinyModel, TINY_HIDDEN_SIZE } from "../scripts/make-tiny-model.js";
import {
  createDownloadProgressBar,
  createTransformersEmbedder,
  type ModelFileProgress,
} from "../src/embeddings/transformers.js";
import type { Embedder } from "../src/embeddings/types.js";
import { AppError } from "../src/errors.js";

const FIXTURES = fileURLToPath(new URL("./fixtures", import.meta.url));
const TINY_MODEL = "tiny-model";

let tempDir: string;

beforeAll(async () => {
  tempDir = await mkdtemp(join(tmpdir(), "tiny-model-test-"));
});

afterAll(async () => {
  await rm(tempDir, { recursive: true, force: true });
});

function norm(vector: Float32Array): number {
  return Math.sqrt(vector.reduce((sum, v) => sum + v * v, 0));
}

function maxDifference(a: Float32Array, b: Float32Array): number {
  return a.reduce((max, v, i) => Math.max(max, Math.abs(v - (b[i] ?? Number.NaN))), 0);
}

describe("make-tiny-model script", () => {
  it("reproduces the committed fixture byte for byte", async () => {
    const outDir = join(tempDir, "regenerated");
    const written = await makeTinyModel(outDir);
    expect(written).toHaveLength(5);
    for (const path of written) {
      const name = relative(outDir, path);
      const committed = await readFile(join(FIXTURES, TINY_MODEL, name));
      expect(Buffer.compare(await readFile(path), committed), name).toBe(0);
      expect((await stat(path)).size).toBeLessThan(200_000);
    }
  });
});

describe("createTransformersEmbedder on the tiny model", () => {
  let embedder: Embedder;
  const progress: ModelFileProgress[] = [];

  beforeAll(async () => {
    embedder = await createTransformersEmbedder({
      model: TINY_MODEL,
      localModelPath: FIXTURES,
      cacheDir: join(tempDir, "cache"),
      allowRemote: false,
      onProgress: (p) => progress.push(p),
    });
  });

  it("reports the model's hidden size and a stable id", () => {
    expect(embedder.dimensions).toBe(TINY_HIDDEN_SIZE);
    expect(embedder.id).toBe("transformers:tiny-model:q8");
  });

  it("forwards per-file progress events while loading", () => {
    const done = progress.filter((p) => p.status === "done").map((p) => p.file);
    expect(done).toEqual(expect.arrayContaining(["tokenizer.json", "onnx/model_quantized.onnx"]));
  });

  it("returns unit-length vectors of the right size", async () => {
    const vectors = await embedder.embed(["lambda cold start", "What is Firecracker?", ""]);
    expect(vectors).toHaveLength(3);
    for (const vector of vectors) {
      expect(vector).toBeInstanceOf(Float32Array);
      expect(vector).toHaveLength(TINY_HIDDEN_SIZE);
      expect(norm(vector)).toBeCloseTo(1, 5);
    }
  });

  it("gives different texts different vectors and the same text the same vector", async () => {
    const [a, b, again] = await embedder.embed([
      "lambda cold start",
      "dynamodb streams",
      "lambda cold start",
    ]);
    const [later] = await embedder.embed(["lambda cold start"]);
    if (!a || !b || !again || !later) throw new Error("missing vectors");
    expect(maxDifference(a, b)).toBeGreaterThan(0.01);
    expect(maxDifference(a, again)).toBeLessThan(1e-6);
    expect(maxDifference(a, later)).toBeLessThan(1e-6);
  });

  it("embeds more than one batch in input order", async () => {
    const words = ["lambda", "cold", "start", "queue", "latency", "customer", "team", "server"];
    const texts = Array.from({ length: 70 }, (_, i) => `${words[i % words.length]} number ${i}`);
    const vectors = await embedder.embed(texts);
    expect(vectors).toHaveLength(70);
    for (const i of [0, 31, 32, 33, 64, 69]) {
      const [single] = await embedder.embed([texts[i] ?? ""]);
      const batched = vectors[i];
      if (!single || !batched) throw new Error("missing vectors");
      expect(maxDifference(batched, single), `text ${i}`).toBeLessThan(1e-5);
    }
  });

  it("returns nothing for no texts", async () => {
    expect(await embedder.embed([])).toEqual([]);
  });

  it("loads the fp32 weights when quantized is false", async () => {
    const fp32 = await createTransformersEmbedder({
      model: TINY_MODEL,
      localModelPath: FIXTURES,
      allowRemote: false,
      quantized: false,
    });
    expect(fp32.id).toBe("transformers:tiny-model:fp32");
    expect(fp32.dimensions).toBe(TINY_HIDDEN_SIZE);
  });
});

describe("createTransformersEmbedder without the model", () => {
  it("throws E_MODEL_UNAVAILABLE naming the model and where it looked", async () => {
    const missing = createTransformersEmbedder({
      model: "nobody/missing-model",
      localModelPath: FIXTURES,
      cacheDir: join(tempDir, "empty-cache"),
      allowRemote: false,
    });
    const error = await missing.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("E_MODEL_UNAVAILABLE");
    expect((error as AppError).message).toContain("nobody/missing-model");
    expect((error as AppError).message).toContain(FIXTURES);
    expect((error as AppError).message).toContain("EMBEDDER=offline");
  });
});

describe("createDownloadProgressBar", () => {
  function fakeStream(isTTY: boolean) {
    const stream = Object.assign(new PassThrough(), { isTTY, columns: 100 });
    let output = "";
    stream.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    return { stream, output: () => output };
  }

  const event = (loaded: number, total: number): ModelFileProgress => ({
    status: "progress",
    file: "onnx/model_quantized.onnx",
    loaded,
    total,
  });

  it("draws a bar while a file downloads in chunks", () => {
    const { stream, output } = fakeStream(true);
    const onProgress = createDownloadProgressBar(stream);
    onProgress(event(10, 100));
    onProgress(event(100, 100));
    expect(output()).toContain("onnx/model_quantized.onnx");
    expect(output()).toContain("100%");
  });

  it("draws nothing for files read in one go", () => {
    const { stream, output } = fakeStream(true);
    createDownloadProgressBar(stream)(event(100, 100));
    expect(output()).toBe("");
  });

  it("is a no-op when the stream is not a terminal", () => {
    const { stream, output } = fakeStream(false);
    const onProgress = createDownloadProgressBar(stream);
    onProgress(event(10, 100));
    onProgress(event(100, 100));
    expect(output()).toBe("");
  });
});
