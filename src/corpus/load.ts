import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { basename, extname, join } from "node:path";
import { AppError } from "../errors.js";
import { parseEpisodeMeta } from "./meta.js";
import { parseTranscript, TRANSCRIPT_EXTENSIONS } from "./parse.js";
import type { Episode, EpisodeMeta } from "./types.js";

export interface CorpusFile {
  transcript: string;
  meta: string;
}

const META_SUFFIX = ".meta.json";

function isTranscriptName(name: string): boolean {
  return (
    !name.startsWith(".") &&
    !name.endsWith(META_SUFFIX) &&
    TRANSCRIPT_EXTENSIONS.includes(extname(name).toLowerCase())
  );
}

/**
 * Finds every transcript in `dir` (`.txt`, `.vtt`, `.srt`, `.json`) together
 * with its `NAME.meta.json` sidecar. A transcript without a sidecar, a sidecar
 * without a transcript, and two transcripts sharing one sidecar are refused:
 * each would leave an episode silently out of the index or in it twice.
 */
export async function listCorpus(dir: string): Promise<CorpusFile[]> {
  let names: string[];
  try {
    names = (await readdir(dir, { withFileTypes: true }))
      .filter((entry) => !entry.isDirectory())
      .map((entry) => entry.name);
  } catch (error) {
    throw new AppError(
      "E_CORPUS_MISSING",
      `cannot read the corpus folder ${dir} (${(error as Error).message}). Set CORPUS_DIR or pass --corpus.`,
      { cause: error },
    );
  }
  const files = names
    .filter(isTranscriptName)
    .sort()
    .map((name) => ({
      transcript: join(dir, name),
      meta: join(dir, `${basename(name, extname(name))}${META_SUFFIX}`),
    }));
  const metaNames = new Set(names.filter((name) => name.endsWith(META_SUFFIX)));
  const claimed = new Map<string, string>();
  for (const file of files) {
    const sidecar = basename(file.meta);
    if (!metaNames.has(sidecar)) {
      throw new AppError(
        "E_META_MISSING",
        `${file.transcript}: no metadata sidecar ${sidecar} beside it. Create it (id, show, number, title, url, published, speakers).`,
      );
    }
    const other = claimed.get(sidecar);
    if (other) {
      throw new AppError(
        "E_CORPUS_DUPLICATE",
        `${file.transcript} and ${other} share the sidecar ${sidecar}: keep one transcript per episode.`,
      );
    }
    claimed.set(sidecar, file.transcript);
  }
  for (const sidecar of [...metaNames].sort()) {
    if (!claimed.has(sidecar)) {
      const name = sidecar.slice(0, -META_SUFFIX.length);
      throw new AppError(
        "E_TRANSCRIPT_MISSING",
        `${join(dir, sidecar)}: no transcript beside it (${TRANSCRIPT_EXTENSIONS.map((ext) => name + ext).join(", ")}). Add it, or remove the sidecar to drop the episode.`,
      );
    }
  }
  if (files.length === 0) {
    throw new AppError(
      "E_CORPUS_EMPTY",
      `the corpus folder ${dir} holds no transcripts (${TRANSCRIPT_EXTENSIONS.join(", ")}). Add an episode or point CORPUS_DIR at the right folder.`,
    );
  }
  return files;
}

async function readOrFail(file: string, code: string, what: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    throw new AppError(code, `${file}: cannot read ${what} (${(error as Error).message}).`, { cause: error });
  }
}

interface EpisodeFiles {
  meta: EpisodeMeta;
  transcript: Buffer;
  /** sha256 of the transcript's name and bytes and the sidecar's bytes: changes when the episode does. */
  hash: string;
}

async function readEpisodeFiles(file: CorpusFile): Promise<EpisodeFiles> {
  const metaBytes = await readOrFail(file.meta, "E_META_UNREADABLE", "episode metadata");
  let json: unknown;
  try {
    json = JSON.parse(metaBytes.toString("utf8"));
  } catch (error) {
    throw new AppError("E_META_INVALID", `${file.meta}: not valid JSON (${(error as Error).message}).`, {
      cause: error,
    });
  }
  const meta = parseEpisodeMeta(json, file.meta);
  const transcript = await readOrFail(file.transcript, "E_TRANSCRIPT_UNREADABLE", "the transcript");
  const hash = createHash("sha256")
    .update(basename(file.transcript))
    .update("\0")
    .update(transcript)
    .update("\0")
    .update(metaBytes)
    .digest("hex");
  return { meta, transcript, hash };
}

/** One episode of the corpus folder, read and hashed but not parsed. */
export interface CorpusEntry extends CorpusFile {
  episode: EpisodeMeta;
  hash: string;
}

/**
 * Lists, reads and hashes every episode, validating each sidecar (the error
 * names the file and every bad field) and refusing an id used twice. The
 * transcripts are not parsed: an incremental build parses only what changed.
 */
export async function scanCorpus(dir: string): Promise<CorpusEntry[]> {
  const entries: CorpusEntry[] = [];
  const ids = new Map<string, string>();
  for (const file of await listCorpus(dir)) {
    const { meta, hash } = await readEpisodeFiles(file);
    const previous = ids.get(meta.id);
    if (previous) {
      throw new AppError("E_META_INVALID", `${file.meta}: id "${meta.id}" is already used by ${previous}.`);
    }
    ids.set(meta.id, file.meta);
    entries.push({ ...file, episode: meta, hash });
  }
  return entries;
}

/** Reads (again) and parses one episode; `hash` is of the bytes actually parsed. */
export async function readEpisode(file: CorpusFile): Promise<{ episode: Episode; hash: string }> {
  const { meta, transcript, hash } = await readEpisodeFiles(file);
  const turns = parseTranscript(transcript.toString("utf8"), meta, file.transcript);
  return { episode: { meta, file: file.transcript, turns }, hash };
}

/** The hash of a whole corpus, from its episodes' hashes in corpus order. */
export function corpusHash(episodeHashes: string[]): string {
  return createHash("sha256").update(episodeHashes.join("\n")).digest("hex");
}

export interface LoadedCorpus {
  episodes: Episode[];
  /** Hash over every episode's transcript and sidecar, in order: changes when any byte does. */
  contentHash: string;
}

/** Reads and parses every episode of a corpus folder. */
export async function loadCorpus(dir: string): Promise<LoadedCorpus> {
  const entries = await scanCorpus(dir);
  const episodes: Episode[] = [];
  const hashes: string[] = [];
  for (const entry of entries) {
    const { episode, hash } = await readEpisode(entry);
    episodes.push(episode);
    hashes.push(hash);
  }
  return { episodes, contentHash: corpusHash(hashes) };
}
