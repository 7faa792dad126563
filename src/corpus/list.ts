import { readdir, stat } from "node:fs/promises";
import { basename, extname, join } from "node:path";
import { AppError } from "../errors.js";
import { TRANSCRIPT_EXTENSIONS } from "./parse.js";
import type { ProblemLog } from "./problems.js";
import { SHOW_FILE } from "./show.js";

/**
 * The files of a corpus folder. Episodes sit in the folder itself and in show
 * subfolders one level down (`CORPUS/gotime/go-time-100.md`, as the Changelog
 * archive is laid out). A transcript in `.txt`, `.vtt`, `.srt` or `.json`
 * needs its `NAME.meta.json` sidecar beside it; a Markdown one (`.md`) carries
 * its speakers in its labels and needs none, though a sidecar still wins.
 */

export interface CorpusFile {
  transcript: string;
  /** The `NAME.meta.json` beside the transcript, or null (only a Markdown episode may lack one). */
  meta: string | null;
}

export interface ShowFolder {
  dir: string;
  /** The folder's name: the show's name unless its `show.json` gives one. */
  name: string;
  /** Its `show.json`, when there is one. */
  showFile: string | null;
  files: CorpusFile[];
}

const META_SUFFIX = ".meta.json";
/** Markdown files that document a folder rather than hold an episode. */
const DOCUMENTATION = /^(?:readme|licen[cs]e|notice|copying|contributing)\.md$/i;

export function isMarkdown(file: string): boolean {
  return extname(file).toLowerCase() === ".md";
}

function isTranscriptName(name: string): boolean {
  return (
    !name.startsWith(".") &&
    !name.endsWith(META_SUFFIX) &&
    name !== SHOW_FILE &&
    !DOCUMENTATION.test(name) &&
    TRANSCRIPT_EXTENSIONS.includes(extname(name).toLowerCase())
  );
}

interface Names {
  files: string[];
  folders: string[];
}

/** The visible files and folders of `dir`, sorted; a symbolic link counts as what it points at. */
async function namesIn(dir: string): Promise<Names> {
  const files: string[] = [];
  const folders: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".")) continue;
    let isFolder = entry.isDirectory();
    if (entry.isSymbolicLink())
      isFolder = await stat(join(dir, entry.name)).then(
        (s) => s.isDirectory(),
        () => false,
      );
    (isFolder ? folders : files).push(entry.name);
  }
  return { files: files.sort(), folders: folders.sort() };
}

/**
 * Pairs the transcripts of one folder with their sidecars. A transcript that
 * needs a sidecar and has none, a sidecar without a transcript, and two
 * transcripts sharing one sidecar are problems: each would leave an episode
 * out of the index, or in it twice, without anyone knowing.
 */
function pairFiles(dir: string, names: string[], log: ProblemLog): CorpusFile[] {
  const metaNames = new Set(names.filter((name) => name.endsWith(META_SUFFIX)));
  const claims = new Map<string, string[]>();
  const files: CorpusFile[] = [];
  for (const name of names.filter(isTranscriptName)) {
    const transcript = join(dir, name);
    const sidecar = `${basename(name, extname(name))}${META_SUFFIX}`;
    if (!metaNames.has(sidecar)) {
      if (isMarkdown(name)) files.push({ transcript, meta: null });
      else
        log.add(
          transcript,
          "E_META_MISSING",
          `no metadata sidecar ${sidecar} beside it. Create it (id, show, number, title, url, published, speakers).`,
        );
      continue;
    }
    claims.set(sidecar, [...(claims.get(sidecar) ?? []), transcript]);
  }
  for (const [sidecar, transcripts] of claims) {
    if (transcripts.length === 1) {
      files.push({ transcript: transcripts[0] as string, meta: join(dir, sidecar) });
      continue;
    }
    for (const transcript of transcripts) {
      const others = transcripts.filter((t) => t !== transcript);
      log.report(
        new AppError(
          "E_CORPUS_DUPLICATE",
          `${transcript} and ${others.join(", ")} share the sidecar ${sidecar}: keep one transcript per episode.`,
        ),
        transcript,
      );
    }
  }
  for (const sidecar of [...metaNames].sort()) {
    if (!claims.has(sidecar)) {
      const name = sidecar.slice(0, -META_SUFFIX.length);
      log.add(
        join(dir, sidecar),
        "E_TRANSCRIPT_MISSING",
        `no transcript beside it (${TRANSCRIPT_EXTENSIONS.map((ext) => name + ext).join(", ")}). Add it, or remove the sidecar to drop the episode.`,
      );
    }
  }
  // Plain code-unit order, as the names were listed: the corpus order (and so its hash) must not depend on a locale.
  return files.sort((a, b) => (a.transcript < b.transcript ? -1 : a.transcript > b.transcript ? 1 : 0));
}

/** A folder inside a show folder is not read: say so when it holds transcripts, rather than skip them unseen. */
async function checkNested(dir: string, folders: string[], log: ProblemLog): Promise<void> {
  for (const folder of folders) {
    const path = join(dir, folder);
    const inside = await namesIn(path).catch(() => ({ files: [], folders: [] }));
    if (inside.files.some(isTranscriptName)) {
      log.add(
        path,
        "E_CORPUS_NESTED",
        `a folder inside a show folder is not read; episodes go in CORPUS/SHOW/EPISODE. Move its transcripts up a level.`,
      );
    }
  }
}

/** Lists a corpus folder and its show subfolders. The folder itself must exist and hold at least one transcript. */
export async function listCorpus(dir: string, log: ProblemLog): Promise<ShowFolder[]> {
  let top: Names;
  try {
    top = await namesIn(dir);
  } catch (error) {
    throw new AppError(
      "E_CORPUS_MISSING",
      `cannot read the corpus folder ${dir} (${(error as Error).message}). Set CORPUS_DIR or pass --corpus.`,
      { cause: error },
    );
  }
  const folders: ShowFolder[] = [];
  const add = (path: string, names: Names) => {
    folders.push({
      dir: path,
      name: basename(path),
      showFile: names.files.includes(SHOW_FILE) ? join(path, SHOW_FILE) : null,
      files: pairFiles(path, names.files, log),
    });
  };
  add(dir, top);
  let transcripts = top.files.filter(isTranscriptName).length;
  for (const folder of top.folders) {
    const path = join(dir, folder);
    let names: Names;
    try {
      names = await namesIn(path);
    } catch (error) {
      log.add(path, "E_CORPUS_UNREADABLE", `cannot read the show folder (${(error as Error).message}).`);
      continue;
    }
    transcripts += names.files.filter(isTranscriptName).length;
    add(path, names);
    await checkNested(path, names.folders, log);
  }
  if (transcripts === 0) {
    throw new AppError(
      "E_CORPUS_EMPTY",
      `the corpus folder ${dir} holds no transcripts (${TRANSCRIPT_EXTENSIONS.join(", ")}), in it or in show folders under it. Add an episode or point CORPUS_DIR at the right folder.`,
    );
  }
  return folders;
}
