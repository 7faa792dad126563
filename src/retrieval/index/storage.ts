import { randomBytes } from "node:crypto";
import { copyFile, link, mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { CorpusProblem } from "../../corpus/problems.js";
import type { EpisodeMeta } from "../../corpus/types.js";
import { AppError } from "../../errors.js";
import { chunksSum, type FileSum, fileSum, fileSumAside } from "./checksum.js";
import { holdLease, liveLeases } from "./leases.js";
import { type LexicalIndex, lexicalFromSections, lexicalSections } from "./lexical.js";
import type { Passage } from "./passage.js";
import { passageSections, passagesFromSections } from "./passage-store.js";
import { encodeSections, Sections, type SectionValue } from "./sections.js";
import { type HnswParams, VectorIndex } from "./vector-index.js";

/**
 * On-disk layout of an index folder (INDEX_DIR, default `index/`):
 *
 *   index/manifest.json          what is published: points at one data folder, lists its episodes
 *   index/data-<id>/passages.bin the episodes and passages: typed arrays and one blob of texts
 *   index/data-<id>/lexical.bin  the BM25 postings, sentence statistics and expansions, as typed arrays
 *   index/data-<id>/vectors-N.hnsw  HNSW segments: each vector is stored once, in its graph
 *   index/data-<id>/segments.bin each segment's map from its points to passage positions
 *
 * The .bin files are section files (sections.ts), read as views of their bytes:
 * nothing is parsed whole at start. An update keeps the segments of unchanged
 * episodes (hard-linked into the new folder) and adds one for the new passages.
 *
 * A build writes a new data folder, checks it, then replaces manifest.json with
 * one rename: readers see the old index or the new one, never half of one, and
 * a build killed half-way leaves the old index serving.
 */

/** Bump when the files' shape changes: an older index is then refused and rebuilt. */
export const INDEX_FORMAT_VERSION = 9;

const REBUILD = "Run `npm run build-index -- --force` to rebuild it.";

export interface Manifest {
  formatVersion: number;
  /** Data folder, relative to the index folder. */
  dataDir: string;
  embedder: { id: string; dimensions: number };
  corpusHash: string;
  /** Settings that change the index's content; a rebuild with other settings is not a no-op. */
  settings: Record<string, unknown>;
  episodes: number;
  passageCount: number;
  builtAt: string;
  buildMs: number;
  hnsw: HnswParams;
  /** The HNSW segment files of the data folder, in order. */
  segments: string[];
  /** Every episode, in index order, with where its passages are: what a rebuild may reuse. */
  catalog: CatalogEntry[];
  /** Corpus files left out of this index, with why (absent in indexes built before archives). */
  skipped?: CorpusProblem[];
  files: Record<string, FileSum>;
}

export type { FileSum } from "./checksum.js";

/** One episode of an index. Its passages are contiguous: positions `first` .. `first + count - 1`. */
export interface CatalogEntry {
  id: string;
  /** Transcript file name, without its folder. */
  file: string;
  /** Hash of the transcript and its sidecar (see `scanCorpus`): equal hash, same passages. */
  hash: string;
  first: number;
  count: number;
}

export interface IndexContents {
  episodes: EpisodeMeta[];
  passages: Passage[];
  lexical: LexicalIndex;
}

/** A segment file of the new data folder, already written (or linked) there by the build. */
export interface WrittenSegment {
  file: string;
  /** Label -> passage position, -1 for a passage that left the index. */
  positions: Int32Array;
  /** Known when the file was kept from the previous index (not read again). */
  sum?: FileSum;
}

/** One episode as stored in a published index, ready to be reused by a rebuild. */
export interface StoredEpisode {
  meta: EpisodeMeta;
  hash: string;
  passages: Passage[];
  /** Its first passage's position in that index. */
  first: number;
}

/** What a rebuild can reuse of the published index. */
export interface StoredIndex {
  episodes: Map<string, StoredEpisode>;
  /** The data folder's path and its segments, checked against their checksums. */
  dataPath: string;
  segments: Array<{ file: string; positions: Int32Array; sum: FileSum }>;
}

export interface LoadedIndex {
  manifest: Manifest;
  episodes: EpisodeMeta[];
  passages: Passage[];
  lexical: LexicalIndex;
  vectors: VectorIndex;
}

export async function readManifest(indexDir: string): Promise<Manifest | null> {
  const file = join(indexDir, "manifest.json");
  let raw: string;
  try {
    raw = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new AppError("E_INDEX_UNREADABLE", `${file}: cannot read (${(error as Error).message}).`, {
      cause: error,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new AppError("E_INDEX_CORRUPT", `${file}: not valid JSON. ${REBUILD}`, { cause: error });
  }
  const problem = manifestProblem(json);
  if (problem) throw new AppError("E_INDEX_CORRUPT", `${file}: ${problem}. ${REBUILD}`);
  return json as Manifest;
}

/** What is wrong with a parsed manifest's shape, or null; without this a hand-edited one fails with a TypeError. */
function manifestProblem(json: unknown): string | null {
  if (typeof json !== "object" || json === null || Array.isArray(json)) return "not a manifest object";
  const m = json as Record<string, unknown>;
  // Checked first so an old format gets its own, clearer error from loadIndex.
  if (m.formatVersion !== INDEX_FORMAT_VERSION) return null;
  // dataDir is joined to the index folder: only a plain data-* name may be followed.
  if (typeof m.dataDir !== "string" || !/^data-[\w-]+$/.test(m.dataDir))
    return "dataDir is missing or invalid";
  const embedder = m.embedder as Record<string, unknown> | undefined;
  if (typeof embedder?.id !== "string" || typeof embedder.dimensions !== "number")
    return "embedder is missing or invalid";
  if (typeof m.passageCount !== "number") return "passageCount is missing";
  if (typeof (m.hnsw as Record<string, unknown> | undefined)?.ef !== "number") return "hnsw is missing";
  if (typeof m.files !== "object" || m.files === null) return "files (the checksums) are missing";
  if (!Array.isArray(m.catalog)) return "catalog (the episodes) is missing";
  // Segment names are joined to the data folder too.
  if (!Array.isArray(m.segments) || m.segments.some((f) => typeof f !== "string" || !SEGMENT_NAME.test(f)))
    return "segments are missing or invalid";
  return null;
}

const SEGMENT_NAME = /^vectors-\d+\.hnsw$/;

/** A new, empty data folder for a build to write into; published by `writeIndex`. */
export async function createDataDir(indexDir: string): Promise<{ dataDir: string; dataPath: string }> {
  await mkdir(indexDir, { recursive: true });
  const dataDir = `data-${new Date().toISOString().replace(/[-:.]/g, "").slice(0, 15)}-${randomBytes(3).toString("hex")}`;
  const dataPath = join(indexDir, dataDir);
  await mkdir(dataPath);
  return { dataDir, dataPath };
}

/** Puts a kept segment file into the new data folder: a hard link (no copy, no rewrite), a copy where links fail. */
export async function keepSegmentFile(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
  } catch {
    await copyFile(from, to);
  }
}

async function writeSections(file: string, sections: Record<string, SectionValue>): Promise<FileSum> {
  const chunks = encodeSections(sections);
  const sum = await chunksSum(chunks);
  await writeFile(file, chunks);
  return sum;
}

/**
 * Writes the rest of the data folder (whose segments the build has written),
 * test-loads it, and publishes it by renaming a new manifest over the old one.
 */
export async function writeIndex(
  indexDir: string,
  dataDir: string,
  contents: IndexContents,
  segments: WrittenSegment[],
  manifest: Omit<Manifest, "files" | "dataDir" | "formatVersion" | "segments">,
): Promise<Manifest> {
  const dataPath = join(indexDir, dataDir);
  const files: Manifest["files"] = {};
  files["passages.bin"] = await writeSections(
    join(dataPath, "passages.bin"),
    passageSections(contents.episodes, contents.passages),
  );
  files["lexical.bin"] = await writeSections(
    join(dataPath, "lexical.bin"),
    lexicalSections(contents.lexical),
  );
  files["segments.bin"] = await writeSections(
    join(dataPath, "segments.bin"),
    Object.fromEntries(segments.map((s) => [`positions:${s.file}`, s.positions])),
  );
  for (const segment of segments) {
    // hnswlib can report success on a failed write: checksum what is really there.
    const sum = segment.sum ?? (await fileSum(join(dataPath, segment.file)));
    if (sum.bytes === 0)
      throw new AppError(
        "E_INDEX_WRITE",
        `${dataPath}/${segment.file}: written empty. Check free disk space.`,
      );
    files[segment.file] = sum;
  }

  const full: Manifest = {
    formatVersion: INDEX_FORMAT_VERSION,
    dataDir,
    ...manifest,
    segments: segments.map((s) => s.file),
    files,
  };
  // Test-load what was written before anyone can see it.
  await loadIndex(indexDir, { id: full.embedder.id, dimensions: full.embedder.dimensions }, full);

  const tmp = join(indexDir, `manifest.json.${process.pid}.tmp`);
  await writeFile(tmp, JSON.stringify(full, null, 2));
  await rename(tmp, join(indexDir, "manifest.json"));
  await removeStaleData(indexDir, dataDir);
  return full;
}

/**
 * Removes the data folders other than the published one that no reader is
 * loading (a reader holds a lease while it reads; once loaded it needs no file),
 * so an update leaves one data folder, and leftovers of killed builds go too.
 */
export async function removeStaleData(indexDir: string, published: string): Promise<void> {
  const reading = await liveLeases(indexDir);
  for (const name of await readdir(indexDir)) {
    if (name.startsWith("data-") && name !== published && !reading.has(name))
      await rm(join(indexDir, name), { recursive: true, force: true });
  }
  for (const name of await readdir(indexDir)) {
    if (name.startsWith("manifest.json.") && name.endsWith(".tmp"))
      await rm(join(indexDir, name), { force: true });
  }
}

async function readChecked(dir: string, name: string, expected: FileSum | undefined): Promise<Buffer> {
  const file = join(dir, name);
  if (!expected)
    throw new AppError("E_INDEX_CORRUPT", `the manifest lists no checksum for ${name}. ${REBUILD}`);
  let bytes: Buffer;
  let sum: FileSum;
  try {
    // A large file is hashed in a worker thread while this one reads it: both cores at work.
    [bytes, sum] = await Promise.all([readFile(file), fileSumAside(file, expected.bytes)]);
  } catch (error) {
    throw missing(file, error);
  }
  checkSum(file, sum, expected);
  // The file could change between the two reads: its length at least must be what was hashed.
  if (bytes.length !== sum.bytes) checkSum(file, { xxh64: "", bytes: bytes.length }, expected);
  return bytes;
}

/** Verifies a large file (an HNSW segment) in chunks, without holding it in memory. */
async function verifyFile(dir: string, name: string, expected: FileSum | undefined): Promise<FileSum> {
  const file = join(dir, name);
  if (!expected)
    throw new AppError("E_INDEX_CORRUPT", `the manifest lists no checksum for ${name}. ${REBUILD}`);
  let sum: FileSum;
  try {
    sum = await fileSumAside(file, expected.bytes);
  } catch (error) {
    throw missing(file, error);
  }
  checkSum(file, sum, expected);
  return sum;
}

function missing(file: string, error: unknown): AppError {
  return new AppError(
    "E_INDEX_CORRUPT",
    `${file}: missing or unreadable (${(error as Error).message}). ${REBUILD}`,
    { cause: error },
  );
}

function checkSum(file: string, actual: FileSum, expected: FileSum): void {
  if (actual.bytes !== expected.bytes || actual.xxh64 !== expected.xxh64) {
    throw new AppError(
      "E_INDEX_CORRUPT",
      `${file}: checksum mismatch (the file is corrupted or truncated: ${actual.bytes} bytes, expected ${expected.bytes}). ${REBUILD}`,
    );
  }
}

/** The format, embedder and data folder of a manifest, checked before anything is read. */
async function checkManifest(
  indexDir: string,
  manifest: Manifest | null,
  embedder: { id: string; dimensions: number },
): Promise<Manifest> {
  if (!manifest) {
    throw new AppError(
      "E_INDEX_MISSING",
      `no index in ${indexDir} (manifest.json not found). Run \`npm run build-index\`.`,
    );
  }
  const where = join(indexDir, "manifest.json");
  if (manifest.formatVersion !== INDEX_FORMAT_VERSION) {
    throw new AppError(
      "E_INDEX_VERSION",
      `${where}: index format ${manifest.formatVersion}, this version reads ${INDEX_FORMAT_VERSION}. ${REBUILD}`,
    );
  }
  if (manifest.embedder?.id !== embedder.id || manifest.embedder?.dimensions !== embedder.dimensions) {
    throw new AppError(
      "E_INDEX_EMBEDDER_MISMATCH",
      `${where}: built with embedder ${manifest.embedder?.id} (${manifest.embedder?.dimensions} dimensions), but the bot uses ${embedder.id} (${embedder.dimensions} dimensions). Rebuild with \`npm run build-index -- --force\` or set EMBEDDER to match.`,
    );
  }
  const dataPath = join(indexDir, manifest.dataDir);
  try {
    await stat(dataPath);
  } catch {
    throw new AppError(
      "E_INDEX_CORRUPT",
      `${dataPath}: the data folder named by the manifest is missing. ${REBUILD}`,
    );
  }
  return manifest;
}

/** Each segment's position map, checked against the manifest's segment list. */
function segmentPositions(manifest: Manifest, bytes: Buffer, file: string): Int32Array[] {
  const sections = new Sections(bytes, file);
  return manifest.segments.map((name) => sections.int32(`positions:${name}`));
}

/**
 * Loads and verifies an index: format version, embedder id and dimensions,
 * and every file's checksum before any of it is used or handed to hnswlib.
 * A reader of the published index holds a lease on its data folder while it
 * reads, so a build publishing meanwhile does not remove it.
 */
export async function loadIndex(
  indexDir: string,
  embedder: { id: string; dimensions: number },
  manifestOverride?: Manifest,
): Promise<LoadedIndex> {
  if (manifestOverride) return loadData(indexDir, await checkManifest(indexDir, manifestOverride, embedder));
  for (;;) {
    const seen = await readManifest(indexDir);
    if (!seen) return loadData(indexDir, await checkManifest(indexDir, seen, embedder));
    const release = await holdLease(indexDir, seen.dataDir);
    try {
      // Published again between reading the manifest and taking the lease: read the new one.
      const now = await readManifest(indexDir);
      if (now?.dataDir !== seen.dataDir) continue;
      return await loadData(indexDir, await checkManifest(indexDir, seen, embedder));
    } finally {
      await release();
    }
  }
}

async function loadData(indexDir: string, manifest: Manifest): Promise<LoadedIndex> {
  const dataPath = join(indexDir, manifest.dataDir);
  // Each segment is read by hnswlib as soon as its own checksum is verified, while the others
  // and the .bin files are still being read and hashed: the threads overlap.
  const graphs = Promise.all(
    manifest.segments.map(async (name) => {
      await verifyFile(dataPath, name, manifest.files[name]);
      return VectorIndex.readSegment(join(dataPath, name), manifest.embedder.dimensions);
    }),
  );
  // Settled either way below; without this a failure while the .bin files fail too goes unhandled.
  graphs.catch(() => {});
  const [passagesBytes, lexicalBytes, segmentBytes] = await Promise.all([
    readChecked(dataPath, "passages.bin", manifest.files["passages.bin"]),
    readChecked(dataPath, "lexical.bin", manifest.files["lexical.bin"]),
    readChecked(dataPath, "segments.bin", manifest.files["segments.bin"]),
  ]);
  const { episodes, passages } = passagesFromSections(
    new Sections(passagesBytes, join(dataPath, "passages.bin")),
  );
  if (passages.length !== manifest.passageCount) {
    throw new AppError(
      "E_INDEX_CORRUPT",
      `${dataPath}/passages.bin: ${passages.length} passages, manifest says ${manifest.passageCount}. ${REBUILD}`,
    );
  }
  const lexical = lexicalFromSections(new Sections(lexicalBytes, join(dataPath, "lexical.bin")));
  const positions = segmentPositions(manifest, segmentBytes, join(dataPath, "segments.bin"));
  const read = await graphs;
  const vectors = VectorIndex.fromSegments(
    read.map((graph, i) => ({ graph, positions: positions[i] as Int32Array })),
    passages.length,
    manifest.hnsw.ef,
  );
  return { manifest, episodes, passages, lexical, vectors };
}

/**
 * What a rebuild can keep of the published index: its episodes with their
 * passages, and its HNSW segments with where their points' passages were.
 * Verifies every file's checksum and that the catalog agrees with the passages.
 */
export async function readStoredIndex(indexDir: string, manifest: Manifest): Promise<StoredIndex> {
  const dataPath = join(indexDir, manifest.dataDir);
  const [passagesBytes, segmentBytes] = await Promise.all([
    readChecked(dataPath, "passages.bin", manifest.files["passages.bin"]),
    readChecked(dataPath, "segments.bin", manifest.files["segments.bin"]),
  ]);
  const sums = await Promise.all(
    manifest.segments.map((name) => verifyFile(dataPath, name, manifest.files[name])),
  );
  const { episodes, passages } = passagesFromSections(
    new Sections(passagesBytes, join(dataPath, "passages.bin")),
  );
  const positions = segmentPositions(manifest, segmentBytes, join(dataPath, "segments.bin"));
  const metas = new Map(episodes.map((meta) => [meta.id, meta]));
  const stored = new Map<string, StoredEpisode>();
  for (const entry of manifest.catalog) {
    const meta = metas.get(entry.id);
    const own = passages.slice(entry.first, entry.first + entry.count);
    if (!meta || own.length !== entry.count || own.some((p) => p.episodeId !== entry.id)) {
      throw new AppError(
        "E_INDEX_CORRUPT",
        `${join(indexDir, "manifest.json")}: the catalog entry of ${entry.id} does not match passages.bin. ${REBUILD}`,
      );
    }
    stored.set(entry.id, { meta, hash: entry.hash, passages: own, first: entry.first });
  }
  return {
    episodes: stored,
    dataPath,
    segments: manifest.segments.map((file, i) => ({
      file,
      positions: positions[i] as Int32Array,
      sum: sums[i] as FileSum,
    })),
  };
}
