import { createHash, randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { CorpusProblem } from "../../corpus/problems.js";
import type { EpisodeMeta } from "../../corpus/types.js";
import { AppError } from "../../errors.js";
import { type LexicalData, type LexicalIndex, lexicalFromJSON } from "./lexical.js";
import type { Passage } from "./passage.js";
import { type HnswParams, VectorIndex } from "./vector-index.js";

/**
 * On-disk layout of an index folder (INDEX_DIR, default `index/`):
 *
 *   index/manifest.json          what is published: points at one data folder, lists its episodes
 *   index/data-<id>/passages.json, lexical.json, vectors.hnsw
 *   index/data-<id>/vectors.f32  every passage's embedding (little-endian float32, passage order),
 *                                kept so a rebuild re-embeds only the episodes that changed
 *
 * A build writes a new data folder, checks it, then replaces manifest.json with
 * one rename: readers see the old index or the new one, never half of one, and
 * a build killed half-way leaves the old index serving.
 */

/** Bump when the files' shape changes: an older index is then refused and rebuilt. */
export const INDEX_FORMAT_VERSION = 7;

const FILES = ["passages.json", "lexical.json", "vectors.hnsw", "vectors.f32"] as const;
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
  /** Every episode, in index order, with where its passages are: what a rebuild may reuse. */
  catalog: CatalogEntry[];
  /** Corpus files left out of this index, with why (absent in indexes built before archives). */
  skipped?: CorpusProblem[];
  files: Record<string, { sha256: string; bytes: number }>;
}

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
  lexical: LexicalData;
  /** Each passage's embedding, in passage order. */
  embeddings: Float32Array[];
}

/** One episode as stored in a published index, ready to be reused by a rebuild. */
export interface StoredEpisode {
  meta: EpisodeMeta;
  hash: string;
  passages: Passage[];
  embeddings: Float32Array[];
}

export interface LoadedIndex {
  manifest: Manifest;
  episodes: EpisodeMeta[];
  passages: Passage[];
  lexical: LexicalIndex;
  vectors: VectorIndex;
}

function sha256(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
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
  return null;
}

function encodeEmbeddings(embeddings: Float32Array[], dimensions: number): Buffer {
  const bytes = Buffer.alloc(embeddings.length * dimensions * 4);
  embeddings.forEach((vector, i) => {
    for (let d = 0; d < dimensions; d++) bytes.writeFloatLE(vector[d] ?? 0, (i * dimensions + d) * 4);
  });
  return bytes;
}

function decodeEmbeddings(bytes: Buffer, count: number, dimensions: number): Float32Array[] {
  const vectors: Float32Array[] = [];
  for (let i = 0; i < count; i++) {
    const vector = new Float32Array(dimensions);
    for (let d = 0; d < dimensions; d++) vector[d] = bytes.readFloatLE((i * dimensions + d) * 4);
    vectors.push(vector);
  }
  return vectors;
}

/** Writes the data folder and publishes it by renaming a new manifest over the old one. */
export async function writeIndex(
  indexDir: string,
  contents: IndexContents,
  vectors: VectorIndex,
  manifest: Omit<Manifest, "files" | "dataDir" | "formatVersion">,
): Promise<Manifest> {
  await mkdir(indexDir, { recursive: true });
  const dataDir = `data-${new Date().toISOString().replace(/[-:.]/g, "").slice(0, 15)}-${randomBytes(3).toString("hex")}`;
  const dataPath = join(indexDir, dataDir);
  await mkdir(dataPath);
  const files: Manifest["files"] = {};
  const writeChecked = async (name: string, bytes: Buffer) => {
    await writeFile(join(dataPath, name), bytes);
    files[name] = { sha256: sha256(bytes), bytes: bytes.length };
  };
  await writeChecked(
    "passages.json",
    Buffer.from(JSON.stringify({ episodes: contents.episodes, passages: contents.passages })),
  );
  await writeChecked("lexical.json", Buffer.from(JSON.stringify(contents.lexical)));
  await writeChecked("vectors.f32", encodeEmbeddings(contents.embeddings, manifest.embedder.dimensions));
  // hnswlib can report success on a failed write: read the file back and checksum what is really there.
  vectors.save(join(dataPath, "vectors.hnsw"));
  const hnswBytes = await readFile(join(dataPath, "vectors.hnsw"));
  if (hnswBytes.length === 0)
    throw new AppError("E_INDEX_WRITE", `${dataPath}/vectors.hnsw: written empty. Check free disk space.`);
  files["vectors.hnsw"] = { sha256: sha256(hnswBytes), bytes: hnswBytes.length };

  const full: Manifest = { formatVersion: INDEX_FORMAT_VERSION, dataDir, ...manifest, files };
  // Test-load what was written before anyone can see it.
  await loadIndex(indexDir, { id: full.embedder.id, dimensions: full.embedder.dimensions }, full);

  const previous = await readManifest(indexDir).catch(() => null);
  const tmp = join(indexDir, `manifest.json.${process.pid}.tmp`);
  await writeFile(tmp, JSON.stringify(full, null, 2));
  await rename(tmp, join(indexDir, "manifest.json"));
  await removeStaleData(indexDir, [dataDir, previous?.dataDir]);
  return full;
}

/**
 * Removes data folders other than the published one and the one it replaced
 * (a bot that read the old manifest a moment ago may still be loading it), so
 * leftovers of builds that were killed go too. The one to keep is known from
 * the old manifest, not guessed from names: a killed build's folder is newer.
 */
async function removeStaleData(indexDir: string, keep: Array<string | undefined>): Promise<void> {
  for (const name of await readdir(indexDir)) {
    if (name.startsWith("data-") && !keep.includes(name))
      await rm(join(indexDir, name), { recursive: true, force: true });
  }
  for (const name of await readdir(indexDir)) {
    if (name.startsWith("manifest.json.") && name.endsWith(".tmp"))
      await rm(join(indexDir, name), { force: true });
  }
}

async function readChecked(
  dir: string,
  name: string,
  expected: Manifest["files"][string] | undefined,
): Promise<Buffer> {
  const file = join(dir, name);
  if (!expected)
    throw new AppError("E_INDEX_CORRUPT", `the manifest lists no checksum for ${name}. ${REBUILD}`);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new AppError(
      "E_INDEX_CORRUPT",
      `${file}: missing or unreadable (${(error as Error).message}). ${REBUILD}`,
      {
        cause: error,
      },
    );
  }
  if (bytes.length !== expected.bytes || sha256(bytes) !== expected.sha256) {
    throw new AppError(
      "E_INDEX_CORRUPT",
      `${file}: checksum mismatch (the file is corrupted or truncated: ${bytes.length} bytes, expected ${expected.bytes}). ${REBUILD}`,
    );
  }
  return bytes;
}

/**
 * Loads and verifies an index: format version, embedder id and dimensions,
 * and every file's checksum before any of it is parsed or handed to hnswlib.
 */
export async function loadIndex(
  indexDir: string,
  embedder: { id: string; dimensions: number },
  manifestOverride?: Manifest,
): Promise<LoadedIndex> {
  const manifest = manifestOverride ?? (await readManifest(indexDir));
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
  // vectors.f32 is only read by a rebuild (readStoredEpisodes), which verifies it then.
  const [passagesBytes, lexicalBytes] = await Promise.all([
    readChecked(dataPath, "passages.json", manifest.files["passages.json"]),
    readChecked(dataPath, "lexical.json", manifest.files["lexical.json"]),
    readChecked(dataPath, "vectors.hnsw", manifest.files["vectors.hnsw"]),
  ]);
  const { episodes, passages } = JSON.parse(passagesBytes.toString("utf8")) as Pick<
    IndexContents,
    "episodes" | "passages"
  >;
  if (passages.length !== manifest.passageCount) {
    throw new AppError(
      "E_INDEX_CORRUPT",
      `${dataPath}/passages.json: ${passages.length} passages, manifest says ${manifest.passageCount}. ${REBUILD}`,
    );
  }
  const lexical = lexicalFromJSON(JSON.parse(lexicalBytes.toString("utf8")) as LexicalData);
  const vectors = VectorIndex.load(
    join(dataPath, "vectors.hnsw"),
    manifest.embedder.dimensions,
    passages.length,
    manifest.hnsw.ef,
  );
  return { manifest, episodes, passages, lexical, vectors };
}

/**
 * The episodes of a published index with their passages and embeddings, so a
 * rebuild can keep the unchanged ones without parsing or embedding them again.
 * Verifies both files' checksums and that the catalog agrees with them.
 */
export async function readStoredEpisodes(
  indexDir: string,
  manifest: Manifest,
): Promise<Map<string, StoredEpisode>> {
  const dataPath = join(indexDir, manifest.dataDir);
  const [passagesBytes, vectorBytes] = await Promise.all([
    readChecked(dataPath, "passages.json", manifest.files["passages.json"]),
    readChecked(dataPath, "vectors.f32", manifest.files["vectors.f32"]),
  ]);
  const { episodes, passages } = JSON.parse(passagesBytes.toString("utf8")) as Pick<
    IndexContents,
    "episodes" | "passages"
  >;
  const { dimensions } = manifest.embedder;
  if (vectorBytes.length !== passages.length * dimensions * 4) {
    throw new AppError(
      "E_INDEX_CORRUPT",
      `${dataPath}/vectors.f32: ${vectorBytes.length} bytes, not ${passages.length} passages of ${dimensions} dimensions. ${REBUILD}`,
    );
  }
  const embeddings = decodeEmbeddings(vectorBytes, passages.length, dimensions);
  const metas = new Map(episodes.map((meta) => [meta.id, meta]));
  const stored = new Map<string, StoredEpisode>();
  for (const entry of manifest.catalog) {
    const meta = metas.get(entry.id);
    const own = passages.slice(entry.first, entry.first + entry.count);
    if (!meta || own.length !== entry.count || own.some((p) => p.episodeId !== entry.id)) {
      throw new AppError(
        "E_INDEX_CORRUPT",
        `${join(indexDir, "manifest.json")}: the catalog entry of ${entry.id} does not match passages.json. ${REBUILD}`,
      );
    }
    stored.set(entry.id, {
      meta,
      hash: entry.hash,
      passages: own,
      embeddings: embeddings.slice(entry.first, entry.first + entry.count),
    });
  }
  return stored;
}

export { FILES as INDEX_FILES };
