import { basename } from "node:path";
import { type CorpusEntry, readEpisode, scanCorpus } from "../../corpus/load.js";
import { READERS_VERSION } from "../../corpus/parse.js";
import {
  type CorpusProblem,
  type CorpusRepair,
  describeProblem,
  importedRepairs,
  problemOf,
} from "../../corpus/problems.js";
import type { EpisodeMeta } from "../../corpus/types.js";
import type { Embedder } from "../../embeddings/types.js";
import { AppError, describeError } from "../../errors.js";
import { buildInformationTable } from "../analysis/word-frequency.js";
import { buildExpansions } from "../analysis/wordnet.js";
import { type ChunkOptions, chunkEpisode, DEFAULT_CHUNK_OPTIONS } from "./chunk.js";
import { buildLexical } from "./lexical.js";
import { acquireBuildLock } from "./lock.js";
import type { Passage } from "./passage.js";
import {
  type CatalogEntry,
  createDataDir,
  INDEX_FORMAT_VERSION,
  type Manifest,
  readManifest,
  readStoredIndex,
  type StoredEpisode,
  type StoredIndex,
  writeIndex,
} from "./storage.js";
import { DEFAULT_HNSW, type HnswParams } from "./vector-index.js";
import { planVectors } from "./vector-plan.js";

export interface BuildOptions {
  corpusDir: string;
  indexDir: string;
  embedder: Embedder;
  /** Rebuild even when the corpus and settings are unchanged, and embed every episode again. */
  force?: boolean;
  chunk?: ChunkOptions;
  hnsw?: HnswParams;
  /** Called as passages are embedded (only the passages of new and changed episodes are). */
  onProgress?: (done: number, total: number) => void;
  /**
   * Any problem in the corpus stops the build, a transcript with stray control characters included; by
   * default a bad file is left out and listed in `skipped`, and a repaired one listed in `repaired`.
   */
  strict?: boolean;
  /**
   * A full build of at least this many passages splits the vectors into two HNSW segments,
   * built at once in two worker threads (default 20,000; tests set it low to use the workers).
   */
  splitMin?: number;
}

/** What a build did with each episode, by id. */
export interface BuildChanges {
  /** New episodes: parsed, chunked and embedded. */
  added: string[];
  /** Episodes whose transcript or sidecar changed: parsed, chunked and embedded again. */
  changed: string[];
  /** Episodes gone from the corpus: their passages are no longer in the index. */
  removed: string[];
  /** Unchanged episodes: their stored passages and embeddings were reused. */
  kept: string[];
  /**
   * Unchanged episodes embedded again anyway: `force`, another embedder or chunk
   * settings, or a previous index that could not be read (see `reuseSkipped`).
   */
  rebuilt: string[];
}

/** Where a build's time went (wall clock): what to look at when a build is slow. */
export interface BuildTimings {
  /** Scanning the corpus, reading the previous index, parsing and chunking new and changed episodes. */
  readMs: number;
  /** Embedding (and, for a rebuild of the graphs, reading kept vectors back). */
  embedMs: number;
  /** The lexical index, in this thread, while the graphs are built in worker threads. */
  lexicalMs: number;
  /** Waiting for the graphs once the lexical index was done. */
  vectorWaitMs: number;
  /** Writing, checksumming and test-loading the data folder, and publishing it. */
  writeMs: number;
}

export interface BuildResult {
  /** False when the published index was already up to date. */
  built: boolean;
  manifest: Manifest;
  totalBytes: number;
  /** What happened to each episode; when nothing was built every episode is `kept`. */
  changes?: BuildChanges;
  /** Passages embedded by this build. */
  embedded?: number;
  /** Where the time went (absent when nothing was built). */
  timings?: BuildTimings;
  /** Why the previous index's embeddings were not reused, when there was one and they were not. */
  reuseSkipped?: string;
  /** Files of the corpus left out of the index, with why (never when strict). */
  skipped: CorpusProblem[];
  /**
   * Transcripts imported without a few stray control characters, with where each was (never when
   * strict: a problem). Found by the corpus scan, which every build makes, so an up-to-date or
   * incremental build lists the unchanged ones too, and the manifest does not store them.
   */
  repaired: CorpusRepair[];
}

/** One episode on its way into the index. */
export interface Part {
  meta: EpisodeMeta;
  file: string;
  hash: string;
  passages: Passage[];
  /** Set when reused from the previous index (its passages and vectors are kept); embedded otherwise. */
  kept?: StoredEpisode;
}

/** Why the previous index's passages and embeddings cannot be reused for this build, or null. */
function incompatibility(
  current: Manifest,
  embedder: Embedder,
  settings: Record<string, unknown>,
): string | null {
  if (current.formatVersion !== INDEX_FORMAT_VERSION)
    return `the index has format ${current.formatVersion}, this version writes ${INDEX_FORMAT_VERSION}`;
  if (current.embedder?.id !== embedder.id || current.embedder?.dimensions !== embedder.dimensions)
    return `the index was built with ${current.embedder?.id} (${current.embedder?.dimensions} dimensions)`;
  if (current.settings?.readers !== settings.readers)
    return `its transcripts were read by other readers (${String(current.settings?.readers ?? "unversioned")}; now ${String(settings.readers)})`;
  if (JSON.stringify(current.settings) !== JSON.stringify(settings)) return "the chunk settings changed";
  return null;
}

/**
 * Builds the index of a corpus folder, incrementally: an episode whose
 * transcript and sidecar hash as before keeps its stored passages and
 * embeddings; new and changed episodes are parsed, chunked and embedded;
 * removed ones drop out. The HNSW segments of the previous index are kept and
 * the new passages go into a segment of their own (vector-plan.ts); the
 * lexical index is rebuilt over all passages in one pass, while the segments'
 * graphs are built in worker threads. Publishes with one rename.
 */
export async function buildIndex(options: BuildOptions): Promise<BuildResult> {
  const started = performance.now();
  const chunk = options.chunk ?? DEFAULT_CHUNK_OPTIONS;
  const hnsw = options.hnsw ?? DEFAULT_HNSW;
  // The readers' version is a setting: what an index keeps is what they made of the transcripts.
  const settings = { chunk, readers: READERS_VERSION };
  const release = await acquireBuildLock(options.indexDir);
  try {
    const scan = await scanCorpus(options.corpusDir, { strict: options.strict });
    const entries = scan.entries;
    const current = await readManifest(options.indexDir).catch(() => null);
    const incompatible = current ? incompatibility(current, options.embedder, settings) : null;
    if (
      !options.force &&
      current &&
      !incompatible &&
      current.corpusHash === scan.hash &&
      JSON.stringify(current.hnsw) === JSON.stringify(hnsw)
    ) {
      const kept = entries.map((e) => e.episode.id);
      // The same corpus (its hash covers the bad files too) has the same problems as when it was built.
      const skipped = current.skipped ?? scan.problems;
      return {
        built: false,
        manifest: current,
        totalBytes: sumBytes(current),
        changes: { added: [], changed: [], removed: [], kept, rebuilt: [] },
        embedded: 0,
        skipped,
        repaired: importedRepairs(scan.repaired, skipped),
      };
    }

    let stored: StoredIndex | undefined;
    let reuseSkipped: string | undefined;
    if (current && !options.force) {
      if (incompatible) reuseSkipped = incompatible;
      else {
        try {
          stored = await readStoredIndex(options.indexDir, current);
        } catch (error) {
          reuseSkipped = describeError(error);
        }
      }
    }
    const previous = new Map((Array.isArray(current?.catalog) ? current.catalog : []).map((c) => [c.id, c]));
    const changes: BuildChanges = { added: [], changed: [], removed: [], kept: [], rebuilt: [] };
    const parts: Part[] = [];
    const skipped = [...scan.problems];
    for (const entry of entries) {
      let part: Part;
      try {
        part = await episodePart(entry, stored?.episodes.get(entry.episode.id), chunk);
      } catch (error) {
        if (options.strict) throw error;
        skipped.push(problemOf(error, entry.transcript));
        continue;
      }
      parts.push(part);
      const id = part.meta.id;
      const before = previous.get(id);
      if (!before) changes.added.push(id);
      else if (before.hash !== part.hash) changes.changed.push(id);
      else if (part.kept) changes.kept.push(id);
      else changes.rebuilt.push(id);
    }
    const ids = new Set(parts.map((p) => p.meta.id));
    changes.removed = [...previous.keys()].filter((id) => !ids.has(id));

    const passages = parts.flatMap((p) => p.passages);
    if (passages.length === 0) {
      const why = skipped.length ? `; left out:\n${skipped.map(describeProblem).join("\n")}` : "";
      throw new AppError(
        "E_CORPUS_EMPTY",
        `${options.corpusDir}: the transcripts hold no passages. Check the files${why}`,
      );
    }
    const { dataDir } = await createDataDir(options.indexDir);
    const timings: BuildTimings = { readMs: 0, embedMs: 0, lexicalMs: 0, vectorWaitMs: 0, writeMs: 0 };
    let mark = performance.now();
    const lap = () => {
      const now = performance.now();
      const ms = Math.round(now - mark);
      mark = now;
      return ms;
    };
    timings.readMs = Math.round(mark - started);
    const vectors = await planVectors(parts, stored, options, dataDir, hnsw);
    timings.embedMs = lap();
    // The graphs are being built in worker threads meanwhile (for a large index).
    const lexical = buildLexical(passages, buildExpansions, buildInformationTable());
    timings.lexicalMs = lap();
    const segments = await vectors.segments;
    timings.vectorWaitMs = lap();

    const manifest = await writeIndex(
      options.indexDir,
      dataDir,
      { episodes: parts.map((p) => p.meta), passages, lexical },
      segments,
      {
        embedder: { id: options.embedder.id, dimensions: options.embedder.dimensions },
        corpusHash: scan.hash,
        settings,
        episodes: parts.length,
        passageCount: passages.length,
        builtAt: new Date().toISOString(),
        buildMs: Math.round(performance.now() - started),
        hnsw,
        catalog: catalogOf(parts),
        skipped,
      },
    );
    timings.writeMs = lap();
    const embedded = vectors.embedded;
    return {
      built: true,
      manifest,
      totalBytes: sumBytes(manifest),
      changes,
      embedded,
      timings,
      reuseSkipped,
      skipped,
      repaired: importedRepairs(scan.repaired, skipped),
    };
  } finally {
    await release();
  }
}

/** An unchanged episode from the previous index, or a new or changed one parsed and chunked. */
async function episodePart(
  entry: CorpusEntry,
  stored: StoredEpisode | undefined,
  chunk: ChunkOptions,
): Promise<Part> {
  const file = basename(entry.transcript);
  if (stored && stored.hash === entry.hash) {
    // The scan's metadata, which equals the stored one but for the show folder, not in the hash.
    return { meta: entry.episode, file, hash: stored.hash, passages: stored.passages, kept: stored };
  }
  const { episode, hash } = await readEpisode(entry);
  if (episode.meta.id !== entry.episode.id) {
    throw new AppError(
      "E_CORPUS_CHANGED",
      `${entry.meta ?? entry.transcript}: the episode id changed while the index was being built. Run the build again.`,
    );
  }
  return { meta: episode.meta, file, hash, passages: chunkEpisode(episode, chunk) };
}

function catalogOf(parts: Part[]): CatalogEntry[] {
  let first = 0;
  return parts.map((part) => {
    const entry = { id: part.meta.id, file: part.file, hash: part.hash, first, count: part.passages.length };
    first += part.passages.length;
    return entry;
  });
}

function sumBytes(manifest: Manifest): number {
  return Object.values(manifest.files ?? {}).reduce((sum, f) => sum + f.bytes, 0);
}
