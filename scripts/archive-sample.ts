import { mkdir, readdir, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { basename, join, relative, resolve } from "node:path";
import { Command } from "commander";
import { run } from "../src/cli/setup.js";
import { AppError } from "../src/errors.js";

/**
 * Makes a reproducible sample of an archive of Markdown transcripts, as a
 * corpus folder of symbolic links (nothing copied): `--count` episodes spread
 * evenly over the archive's files in sorted order (every k-th, so every show
 * is in it in proportion), plus every episode a question set asks about, plus
 * the files of another corpus folder (the bundled episode). The same archive
 * and options give the same sample, on any machine.
 *
 *   npm run archive-sample -- --archive ../shared/archives/changelog \
 *     --qa ../shared/eval/archive-dev.jsonl --out .tmp/archive-sample
 */

const program = new Command()
  .name("archive-sample")
  .description("Make a corpus folder of links to a sample of an archive's episodes.")
  .requiredOption("--archive <dir>", "the archive: show folders of .md transcripts")
  .option(
    "--out <dir>",
    "the sample folder to make (replaced if it is a sample already)",
    ".tmp/archive-sample",
  )
  .option("--count <n>", "episodes spread evenly over the archive", "500")
  .option("--qa <file>", "a question set whose `episode` fields must be in the sample")
  .option("--with <dir>", "a corpus folder whose files are linked in too (empty string for none)", "corpus")
  .parse();

const options = program.opts<{ archive: string; out: string; count: string; qa?: string; with: string }>();

/** Written into the sample folder: what it was made from, and how to tell a sample from any other folder. */
const RECORD = ".archive-sample.json";

async function archiveFiles(archive: string): Promise<string[]> {
  const files: string[] = [];
  let shows: string[];
  try {
    shows = (await readdir(archive, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
  } catch (error) {
    throw new AppError("E_USAGE", `cannot read the archive ${archive} (${(error as Error).message}).`);
  }
  for (const show of shows.filter((name) => !name.startsWith("."))) {
    for (const name of await readdir(join(archive, show))) {
      if (name.endsWith(".md") && !/^readme\.md$/i.test(name)) files.push(`${show}/${name}`);
    }
  }
  // Code-unit order, not a locale's: the sample must not depend on the machine.
  return files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** `count` files at even steps over the list: file floor(i * n / count) for i < count. */
function evenly(files: string[], count: number): string[] {
  if (count >= files.length) return [...files];
  return Array.from({ length: count }, (_, i) => files[Math.floor((i * files.length) / count)] as string);
}

async function askedEpisodes(qa: string): Promise<string[]> {
  const raw = await readFile(qa, "utf8").catch((error: Error) => {
    throw new AppError("E_USAGE", `${qa}: cannot read the question set (${error.message}).`);
  });
  const ids = raw
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => (JSON.parse(line) as { episode?: unknown }).episode)
    .filter((id): id is string => typeof id === "string");
  return [...new Set(ids)];
}

async function prepareOut(out: string): Promise<void> {
  const entries = await readdir(out).catch(() => null);
  if (entries && entries.length > 0) {
    if (!entries.includes(RECORD)) {
      throw new AppError(
        "E_USAGE",
        `${out} exists and is not a sample made by this script; choose another --out.`,
      );
    }
    await rm(out, { recursive: true });
  }
  await mkdir(out, { recursive: true });
}

run(async () => {
  const count = Number(options.count);
  if (!Number.isInteger(count) || count < 1)
    throw new AppError("E_USAGE", "--count must be a whole number of at least 1.");
  const archive = resolve(options.archive);
  const out = resolve(options.out);
  const files = await archiveFiles(archive);
  const chosen = new Set(evenly(files, count));
  const asked = options.qa ? await askedEpisodes(options.qa) : [];
  for (const id of asked) {
    const file = files.find((f) => basename(f, ".md") === id);
    if (!file) throw new AppError("E_USAGE", `${options.qa}: episode "${id}" is not in ${archive}.`);
    chosen.add(file);
  }
  await prepareOut(out);
  for (const file of [...chosen].sort()) {
    await mkdir(join(out, file.split("/")[0] as string), { recursive: true });
    await symlink(join(archive, file), join(out, file));
  }
  const extra = options.with ? resolve(options.with) : null;
  const linked: string[] = [];
  if (extra) {
    for (const name of await readdir(extra)) {
      if (name.startsWith(".") || !(await stat(join(extra, name))).isFile()) continue;
      await symlink(join(extra, name), join(out, name));
      linked.push(name);
    }
  }
  const record = {
    archive,
    archiveFiles: files.length,
    count,
    qa: options.qa ?? null,
    asked: asked.length,
    with: extra,
    episodes: chosen.size,
  };
  await writeFile(join(out, RECORD), `${JSON.stringify(record, null, 2)}\n`);
  process.stdout.write(
    `${[
      `sample ${relative(process.cwd(), out) || "."}`,
      `  archive:   ${archive} (${files.length} episodes)`,
      `  episodes:  ${chosen.size} (${count} spread evenly, ${asked.length} asked about by ${options.qa ?? "no question set"})`,
      `  also:      ${linked.length ? linked.join(", ") : "nothing"}`,
    ].join("\n")}\n`,
  );
});
