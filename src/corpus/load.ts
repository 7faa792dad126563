import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { basename, extname, join } from "node:path";
import { AppError } from "../errors.js";
import { readEpisodeMeta } from "./meta.js";
import { parseTextTranscript } from "./parse-text.js";
import type { Episode } from "./types.js";

/** Transcript formats the corpus folder may hold, by file extension. */
const TRANSCRIPT_EXTENSIONS = [".txt"];

export interface CorpusFile {
  transcript: string;
  meta: string;
}

/** Finds every transcript in `dir` together with its `NAME.meta.json` sidecar. */
export async function listCorpus(dir: string): Promise<CorpusFile[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    throw new AppError(
      "E_CORPUS_MISSING",
      `cannot read the corpus folder ${dir} (${(error as Error).message}). Set CORPUS_DIR or pass --corpus.`,
      { cause: error },
    );
  }
  const files = names
    .filter((name) => TRANSCRIPT_EXTENSIONS.includes(extname(name)) && !name.startsWith("."))
    .sort()
    .map((name) => ({
      transcript: join(dir, name),
      meta: join(dir, `${basename(name, extname(name))}.meta.json`),
    }));
  const metaNames = new Set(names.filter((name) => name.endsWith(".meta.json")));
  for (const file of files) {
    if (!metaNames.has(basename(file.meta))) {
      throw new AppError(
        "E_META_MISSING",
        `${file.transcript}: no metadata sidecar ${basename(file.meta)} beside it. Create it (id, show, number, title, url, published, speakers).`,
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

async function readTranscript(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    throw new AppError(
      "E_TRANSCRIPT_UNREADABLE",
      `${file}: cannot read the transcript (${(error as Error).message}).`,
      {
        cause: error,
      },
    );
  }
}

export interface LoadedCorpus {
  episodes: Episode[];
  /** sha256 over every transcript and sidecar, in order: changes when any byte does. */
  contentHash: string;
}

export async function loadCorpus(dir: string): Promise<LoadedCorpus> {
  const files = await listCorpus(dir);
  const hash = createHash("sha256");
  const episodes: Episode[] = [];
  const ids = new Map<string, string>();
  for (const file of files) {
    const meta = await readEpisodeMeta(file.meta);
    const bytes = await readTranscript(file.transcript);
    const metaBytes = await readFile(file.meta);
    hash.update(basename(file.transcript)).update(bytes).update(metaBytes);
    const previous = ids.get(meta.id);
    if (previous) {
      throw new AppError("E_META_INVALID", `${file.meta}: id "${meta.id}" is already used by ${previous}.`);
    }
    ids.set(meta.id, file.meta);
    const turns = parseTextTranscript(bytes.toString("utf8"), meta, file.transcript);
    episodes.push({ meta, file: file.transcript, turns });
  }
  return { episodes, contentHash: hash.digest("hex") };
}
