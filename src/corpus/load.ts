import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { basename, extname } from "node:path";
import { AppError } from "../errors.js";
import { type CorpusFile, isMarkdown, listCorpus } from "./list.js";
import { type EpisodeVoices, episodeVoices } from "./md-blocks.js";
import { parseEpisodeMeta, parsePartialEpisodeMeta } from "./meta.js";
import { parseTranscript } from "./parse.js";
import { strayCharacters, withoutStrayCharacters } from "./parse-text.js";
import {
  type CorpusProblem,
  type CorpusRepair,
  describeProblem,
  importedRepairs,
  ProblemLog,
  type RemovedCharacter,
  repairRefused,
} from "./problems.js";
import { inferHosts, markdownMeta, nameKey, readShowFile, type ShowContext } from "./show.js";
import type { Episode, EpisodeMeta } from "./types.js";

export type { CorpusFile } from "./list.js";

async function readOrFail(file: string, code: string, what: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    throw new AppError(code, `${file}: cannot read ${what} (${(error as Error).message}).`, { cause: error });
  }
}

function parseJsonFile(bytes: Buffer, file: string): unknown {
  try {
    return JSON.parse(bytes.toString("utf8"));
  } catch (error) {
    throw new AppError("E_META_INVALID", `${file}: not valid JSON (${(error as Error).message}).`, {
      cause: error,
    });
  }
}

const ID = /^[a-z0-9][a-z0-9._-]*$/i;

/**
 * A Markdown episode's metadata: made from its file name, its labels and its
 * show, then overridden by whatever its sidecar, if any, gives.
 */
function markdownEpisodeMeta(
  file: CorpusFile,
  voices: EpisodeVoices,
  context: ShowContext,
  sidecar: Buffer | null,
): EpisodeMeta {
  const id = basename(file.transcript, extname(file.transcript));
  const derived = markdownMeta(id, voices, context);
  const given =
    sidecar && file.meta ? parsePartialEpisodeMeta(parseJsonFile(sidecar, file.meta), file.meta) : {};
  const meta = { ...derived, ...given, speakers: { ...derived.speakers, ...given.speakers } };
  if (!ID.test(meta.id)) {
    throw new AppError(
      "E_META_INVALID",
      `${file.transcript}: the file name is the episode's id, and "${meta.id}" is not one: use letters, digits, '.', '_' or '-' (or give an "id" in a sidecar ${id}.meta.json).`,
    );
  }
  return meta;
}

interface EpisodeFiles {
  meta: EpisodeMeta;
  transcript: Buffer;
  /** sha256 of what makes the episode: its transcript's name and bytes, its sidecar, and (Markdown) its metadata. */
  hash: string;
}

async function readEpisodeFiles(
  file: CorpusFile,
  context: ShowContext | null,
  known?: { transcript: Buffer; voices: EpisodeVoices },
): Promise<EpisodeFiles> {
  const metaBytes = file.meta ? await readOrFail(file.meta, "E_META_UNREADABLE", "episode metadata") : null;
  const transcript =
    known?.transcript ?? (await readOrFail(file.transcript, "E_TRANSCRIPT_UNREADABLE", "the transcript"));
  const hash = createHash("sha256")
    .update(basename(file.transcript))
    .update("\0")
    .update(transcript)
    .update("\0")
    .update(metaBytes ?? "");
  if (isMarkdown(file.transcript) && context) {
    const voices = known?.voices ?? voicesOf(transcript);
    const meta = markdownEpisodeMeta(file, voices, context, metaBytes);
    // The metadata comes from the show too (its show.json, who else speaks in it): a change there is a change here.
    return { meta, transcript, hash: hash.update("\0").update(JSON.stringify(meta)).digest("hex") };
  }
  if (!file.meta || !metaBytes) {
    throw new AppError("E_META_MISSING", `${file.transcript}: no metadata sidecar beside it.`);
  }
  const meta = parseEpisodeMeta(parseJsonFile(metaBytes, file.meta), file.meta);
  return { meta, transcript, hash: hash.digest("hex") };
}

/** One episode of the corpus, read and hashed but not parsed. */
export interface CorpusEntry extends CorpusFile {
  episode: EpisodeMeta;
  hash: string;
  /** The show a Markdown episode's metadata is made from; null for the other formats. */
  context: ShowContext | null;
  /** The show folder the episode sits in (`gotime`); null for an episode in the corpus folder itself. */
  folder: string | null;
}

export interface CorpusScan {
  entries: CorpusEntry[];
  /** The files left out, and why (none when strict: the first problem is thrown). */
  problems: CorpusProblem[];
  /** The transcripts imported without a few stray control characters (none when strict: a problem). */
  repaired: CorpusRepair[];
  /** Hash over every episode and every problem: equal hashes, same corpus, same problems. */
  hash: string;
}

export interface ScanOptions {
  /** Any problem stops the scan (thrown as it is) instead of leaving its file out. Default false. */
  strict?: boolean;
}

/**
 * Lists, reads and hashes every episode: validates each sidecar and show.json
 * (the error names the file and every bad field), works out a Markdown
 * episode's metadata from its show, and refuses an id used twice. The
 * transcripts are not parsed: an incremental build parses only what changed.
 * A file with a problem is left out and reported, or, strict, stops the scan.
 * A transcript with a few stray control characters is listed as repaired (its
 * parser reads it without them), or, strict, stops the scan.
 */
export async function scanCorpus(dir: string, options: ScanOptions = {}): Promise<CorpusScan> {
  const log = new ProblemLog(options.strict ?? false);
  const entries: CorpusEntry[] = [];
  const repaired: CorpusRepair[] = [];
  const ids = new Map<string, string>();
  for (const folder of await listCorpus(dir, log)) {
    let show = null;
    if (folder.showFile) {
      try {
        show = await readShowFile(folder.showFile);
      } catch (error) {
        // The show's episodes are still built, from the folder alone; the report says so.
        log.report(error, folder.showFile);
      }
    }
    // Read first: a show's hosts, when it names none, come from who speaks across all its episodes.
    const read: Array<{
      file: CorpusFile;
      transcript: Buffer;
      voices: EpisodeVoices;
      removed: RemovedCharacter[];
    }> = [];
    for (const file of folder.files) {
      try {
        const transcript = await readOrFail(file.transcript, "E_TRANSCRIPT_UNREADABLE", "the transcript");
        const text = transcript.toString("utf8");
        const voices = isMarkdown(file.transcript)
          ? episodeVoices(withoutStrayCharacters(text))
          : { speakers: [], opener: null };
        read.push({ file, transcript, voices, removed: strayCharacters(text, file.transcript) });
      } catch (error) {
        log.report(error, file.transcript);
      }
    }
    const markdown = read.filter((r) => isMarkdown(r.file.transcript)).map((r) => r.voices);
    const showFolder = folder.dir === dir ? null : folder.name;
    const context: ShowContext = {
      folder: folder.name,
      show,
      hosts: show?.hosts ? new Set(show.hosts.map(nameKey)) : inferHosts(markdown),
    };
    for (const { file, transcript, voices, removed } of read) {
      try {
        const { meta, hash } = await readEpisodeFiles(file, context, { transcript, voices });
        const previous = ids.get(meta.id);
        if (previous) {
          throw new AppError(
            "E_META_INVALID",
            `${file.meta ?? file.transcript}: id "${meta.id}" is already used by ${previous}.`,
          );
        }
        // Found here, where every build reads every transcript, rather than when one is parsed: an
        // unchanged episode, whose stored passages a build reuses, is listed (and, strict, refused)
        // at every build, and nothing about it needs storing in the index.
        if (removed.length > 0) {
          const repair = { file: file.transcript, removed };
          if (log.strict) throw repairRefused(repair);
          repaired.push(repair);
        }
        ids.set(meta.id, file.meta ?? file.transcript);
        entries.push({ ...file, episode: inFolder(meta, showFolder), hash, context, folder: showFolder });
      } catch (error) {
        log.report(error, file.transcript);
      }
    }
  }
  const problems = log.problems;
  if (entries.length === 0) {
    throw new AppError(
      "E_CORPUS_EMPTY",
      `${dir}: no episode could be read; every transcript has a problem:\n${problems.map(describeProblem).join("\n")}`,
    );
  }
  const hash = corpusHash([
    // The folder too: an index built before it was recorded is rebuilt once (reusing its embeddings).
    ...entries.map((e) => (e.folder === null ? e.hash : `${e.hash}\0${e.folder}`)),
    ...problems.map((p) => `problem\0${describeProblem(p)}`),
  ]);
  return { entries, problems, repaired, hash };
}

/** What a Markdown transcript's labels say of its speakers, read as its parser reads it. */
function voicesOf(transcript: Buffer): EpisodeVoices {
  return episodeVoices(withoutStrayCharacters(transcript.toString("utf8")));
}

/** Reads (again) and parses one episode; `hash` is of the bytes actually parsed. */
export async function readEpisode(entry: CorpusEntry): Promise<{ episode: Episode; hash: string }> {
  const files = await readEpisodeFiles(entry, entry.context);
  const meta = inFolder(files.meta, entry.folder);
  const turns = parseTranscript(files.transcript.toString("utf8"), meta, entry.transcript);
  return { episode: { meta, file: entry.transcript, turns }, hash: files.hash };
}

/**
 * The metadata with the show folder it was read from, by which a channel or a question can name
 * the show (`show:gotime`) whatever its `show.json` calls it. Added after the episode's hash is
 * taken, so recording it re-embeds nothing.
 */
function inFolder(meta: EpisodeMeta, folder: string | null): EpisodeMeta {
  return folder === null ? meta : { ...meta, folder };
}

/** The hash of a whole corpus, from its episodes' hashes in corpus order. */
export function corpusHash(episodeHashes: string[]): string {
  return createHash("sha256").update(episodeHashes.join("\n")).digest("hex");
}

export interface LoadedCorpus {
  episodes: Episode[];
  /** Hash over every episode's transcript and sidecar, in order: changes when any byte does. */
  contentHash: string;
  /** Files left out (only when not strict). */
  problems: CorpusProblem[];
  /** Transcripts imported without a few stray control characters (only when not strict). */
  repaired: CorpusRepair[];
}

/**
 * Reads and parses every episode of a corpus folder. Strict by default (any
 * problem is thrown); `{ strict: false }` leaves bad files out and lists them.
 */
export async function loadCorpus(
  dir: string,
  options: ScanOptions = { strict: true },
): Promise<LoadedCorpus> {
  const strict = options.strict ?? true;
  const scan = await scanCorpus(dir, { strict });
  const log = new ProblemLog(strict);
  const episodes: Episode[] = [];
  const hashes: string[] = [];
  for (const entry of scan.entries) {
    try {
      const { episode, hash } = await readEpisode(entry);
      episodes.push(episode);
      hashes.push(hash);
    } catch (error) {
      log.report(error, entry.transcript);
    }
  }
  const problems = [...scan.problems, ...log.problems];
  return {
    episodes,
    contentHash: corpusHash(hashes),
    problems,
    repaired: importedRepairs(scan.repaired, problems),
  };
}
