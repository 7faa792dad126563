import { loadCorpus } from "../corpus/load.js";
import type { Embedder } from "../embeddings/types.js";
import { AppError } from "../errors.js";
import { type ChunkOptions, chunkEpisode, DEFAULT_CHUNK_OPTIONS } from "./chunk.js";
import { buildInformationTable } from "./english.js";
import { INDEX_FORMAT_VERSION, type Manifest, readManifest, writeIndex } from "./index-files.js";
import { buildLexical, corpusVocabulary, lexicalToJSON } from "./lexical.js";
import { acquireBuildLock } from "./lock.js";
import { DEFAULT_HNSW, type HnswParams, VectorIndex } from "./vector-index.js";
import { buildExpansions } from "./wordnet.js";

export interface BuildOptions {
  corpusDir: string;
  indexDir: string;
  embedder: Embedder;
  /** Rebuild even when the corpus and settings are unchanged. */
  force?: boolean;
  chunk?: ChunkOptions;
  hnsw?: HnswParams;
  /** Called as passages are embedded. */
  onProgress?: (done: number, total: number) => void;
}

export interface BuildResult {
  /** False when the published index was already up to date. */
  built: boolean;
  manifest: Manifest;
  totalBytes: number;
}

const EMBED_BATCH = 64;

export async function buildIndex(options: BuildOptions): Promise<BuildResult> {
  const started = performance.now();
  const chunk = options.chunk ?? DEFAULT_CHUNK_OPTIONS;
  const hnsw = options.hnsw ?? DEFAULT_HNSW;
  const settings = { chunk };
  const release = await acquireBuildLock(options.indexDir);
  try {
    const corpus = await loadCorpus(options.corpusDir);
    const current = await readManifest(options.indexDir).catch(() => null);
    if (
      !options.force &&
      current &&
      current.formatVersion === INDEX_FORMAT_VERSION &&
      current.corpusHash === corpus.contentHash &&
      current.embedder?.id === options.embedder.id &&
      current.embedder?.dimensions === options.embedder.dimensions &&
      JSON.stringify(current.settings) === JSON.stringify(settings) &&
      JSON.stringify(current.hnsw) === JSON.stringify(hnsw)
    ) {
      return { built: false, manifest: current, totalBytes: sumBytes(current) };
    }

    const passages = corpus.episodes.flatMap((episode) => chunkEpisode(episode, chunk));
    if (passages.length === 0) {
      throw new AppError(
        "E_CORPUS_EMPTY",
        `${options.corpusDir}: the transcripts hold no passages. Check the files.`,
      );
    }
    const lexical = buildLexical(
      passages,
      buildExpansions(corpusVocabulary(passages)),
      buildInformationTable(),
    );

    const vectors: Float32Array[] = [];
    for (let i = 0; i < passages.length; i += EMBED_BATCH) {
      const batch = passages.slice(i, i + EMBED_BATCH).map((p) => p.text);
      vectors.push(...(await options.embedder.embed(batch)));
      options.onProgress?.(Math.min(i + EMBED_BATCH, passages.length), passages.length);
    }
    const vectorIndex = VectorIndex.build(vectors, options.embedder.dimensions, hnsw);

    const manifest = await writeIndex(
      options.indexDir,
      { episodes: corpus.episodes.map((e) => e.meta), passages, lexical: lexicalToJSON(lexical) },
      vectorIndex,
      {
        embedder: { id: options.embedder.id, dimensions: options.embedder.dimensions },
        corpusHash: corpus.contentHash,
        settings,
        episodes: corpus.episodes.length,
        passageCount: passages.length,
        builtAt: new Date().toISOString(),
        buildMs: Math.round(performance.now() - started),
        hnsw,
      },
    );
    return { built: true, manifest, totalBytes: sumBytes(manifest) };
  } finally {
    await release();
  }
}

function sumBytes(manifest: Manifest): number {
  return Object.values(manifest.files ?? {}).reduce((sum, f) => sum + f.bytes, 0);
}
