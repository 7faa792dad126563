import { mkdir, readdir, readlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadCorpus } from "../src/corpus/load.js";
import { makeTempDir, removeDir, runTs } from "./helpers/index-fixtures.js";

/** scripts/archive-sample.ts: the same archive and options make the same sample, a corpus of links. */

vi.setConfig({ testTimeout: 60_000 });

let root: string;
let archive: string;

beforeAll(async () => {
  root = await makeTempDir("archive-sample");
  archive = join(root, "archive");
  const shows: Array<[string, string]> = [
    ["gotime", "go-time"],
    ["news", "changelog-news"],
  ];
  for (const [show, prefix] of shows) {
    await mkdir(join(archive, show), { recursive: true });
    for (let n = 1; n <= 10; n++) {
      await writeFile(
        join(archive, show, `${prefix}-${n}.md`),
        `**Jerod Santo:** Episode ${n} of ${show}.\n`,
      );
    }
  }
  await writeFile(join(archive, "README.md"), "# not an episode\n");
  await writeFile(join(root, "questions.jsonl"), `${JSON.stringify({ id: "q1", episode: "go-time-2" })}\n`);
});

afterAll(() => removeDir(root));

async function sample(out: string) {
  return runTs(
    "scripts/archive-sample.ts",
    ["--archive", archive, "--out", out, "--count", "4", "--qa", join(root, "questions.jsonl"), "--with", ""],
    { cwd: root },
  );
}

async function linked(out: string): Promise<string[]> {
  const files: string[] = [];
  for (const show of (await readdir(out)).filter((name) => !name.startsWith("."))) {
    for (const name of await readdir(join(out, show))) files.push(await readlink(join(out, show, name)));
  }
  return files.sort();
}

describe("npm run archive-sample", () => {
  it("links every k-th episode and those a question set asks about, the same each time, as a corpus", async () => {
    const out = join(root, "sample");
    const first = await sample(out);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain("episodes:  5 (4 spread evenly, 1 asked about");
    const files = await linked(out);
    // 20 files sorted (gotime/go-time-1, -10, -2 … then news/…): every fifth, plus go-time-2.
    expect(files.map((f) => f.slice(archive.length + 1))).toEqual([
      "gotime/go-time-1.md",
      "gotime/go-time-2.md",
      "gotime/go-time-5.md",
      "news/changelog-news-1.md",
      "news/changelog-news-5.md",
    ]);
    const again = await sample(out);
    expect(again.code, again.stderr).toBe(0);
    expect(await linked(out)).toEqual(files);
    expect((await loadCorpus(out)).episodes).toHaveLength(5);
  });

  it("refuses to replace a folder it did not make", async () => {
    const out = join(root, "precious");
    await mkdir(out);
    await writeFile(join(out, "notes.txt"), "mine");
    const result = await sample(out);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("is not a sample made by this script");
    expect(await readdir(out)).toEqual(["notes.txt"]);
  });
});
