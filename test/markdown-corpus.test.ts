import { cp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deepLink } from "../src/answer/deep-link.js";
import { loadCorpus } from "../src/corpus/load.js";
import type { EpisodeVoices } from "../src/corpus/md-blocks.js";
import { episodeNumber, episodeTitle, inferHosts, readShowFile } from "../src/corpus/show.js";
import type { Episode } from "../src/corpus/types.js";
import type { AppError } from "../src/errors.js";
import { loadIndex } from "../src/retrieval/index/storage.js";
import { CHANGELOG_DIR, countingEmbedder } from "./archive-fixtures.js";
import { buildTestIndex, makeTempDir, removeDir } from "./helpers/index-fixtures.js";

/** A folder of Markdown transcripts in show folders is a corpus: metadata from names, show.json and labels. */

let root: string;

beforeAll(async () => {
  root = await makeTempDir("markdown-corpus");
});

afterAll(() => removeDir(root));

/** A copy of the cut Changelog episodes, to change. */
async function changelogCopy(name: string): Promise<string> {
  const dir = join(root, name);
  await cp(CHANGELOG_DIR, dir, { recursive: true });
  return dir;
}

function byId(episodes: Episode[], id: string): Episode {
  const episode = episodes.find((e) => e.meta.id === id);
  if (!episode) throw new Error(`no episode ${id}`);
  return episode;
}

function roles(episode: Episode): Record<string, string> {
  return Object.fromEntries(Object.values(episode.meta.speakers).map((s) => [s.name, s.role]));
}

describe("a folder of Markdown transcripts with show folders", () => {
  it("is a corpus as it is: ids, shows, numbers and titles from the names, no URL guessed, its README no episode", async () => {
    const { episodes, problems } = await loadCorpus(CHANGELOG_DIR);
    expect(problems).toEqual([]);
    expect(episodes.map((e) => [e.meta.id, e.meta.show, e.meta.number, e.meta.title, e.meta.url])).toEqual([
      ["founders-talk-76", "founderstalk", 76, "Founders Talk #76", ""],
      ["go-time-100", "gotime", 100, "Go Time #100", ""],
      ["changelog-news-100", "news", 100, "Changelog News #100", ""],
    ]);
    expect(episodes.every((e) => e.meta.published === null)).toBe(true);
  });

  it("takes a show's name, URL template and hosts from its show.json", async () => {
    const corpus = await changelogCopy("described");
    await writeFile(
      join(corpus, "gotime", "show.json"),
      JSON.stringify({
        name: "Go Time",
        episodeUrl: "https://changelog.com/gotime/{number}",
        hosts: ["Carmen Andoh", "jon calhoun"],
      }),
    );
    const { episodes } = await loadCorpus(corpus);
    const go = byId(episodes, "go-time-100");
    expect([go.meta.show, go.meta.title, go.meta.url]).toEqual([
      "Go Time",
      "Go Time #100",
      "https://changelog.com/gotime/100",
    ]);
    expect(roles(go)).toEqual({
      "Carmen Andoh": "host",
      "Jon Calhoun": "host",
      "Rob Pike": "guest",
      "Robert Griesemer": "guest",
    });
    // Other shows are untouched.
    expect(byId(episodes, "changelog-news-100").meta.url).toBe("");
  });

  it("refuses a show.json with a bad template, an unknown field or broken JSON, naming the file", async () => {
    const dir = join(root, "show-files");
    await mkdir(dir);
    const cases: Array<[string, string]> = [
      [JSON.stringify({ episodeUrl: "https://changelog.com/gotime/{num}" }), "{number} and {id}"],
      [JSON.stringify({ episodeUrl: "changelog.com/gotime/{number}" }), "http(s) URL"],
      [JSON.stringify({ hosts: "Mat Ryer" }), "hosts:"],
      [JSON.stringify({ name: "Go Time", url: "https://changelog.com" }), "url"],
      ['{\n  "name": "Go Time",\n}', ":3: not valid JSON"],
    ];
    for (const [i, [json, words]] of cases.entries()) {
      const file = join(dir, `show-${i}.json`);
      await writeFile(file, json);
      const error = await readShowFile(file).catch((e: AppError) => e);
      expect((error as AppError).code).toBe("E_SHOW_INVALID");
      expect((error as AppError).message).toContain(file);
      expect((error as AppError).message).toContain(words);
    }
  });

  it("spells the title as show.json spells the show", () => {
    expect(episodeTitle("js-party-34", "JS Party")).toBe("JS Party #34");
    expect(episodeTitle("changelog--friends-12", "Changelog & Friends")).toBe("Changelog & Friends #12");
    expect(episodeTitle("go-time-bonus-77", "Go Time")).toBe("Go Time Bonus #77");
    // Without show.json: a pair of letters that is no English word is an initialism.
    expect(episodeTitle("js-party-meet-alex-sexton")).toBe("JS Party Meet Alex Sexton");
    expect(episodeTitle("practical-ai-17")).toBe("Practical AI #17");
    expect(episodeTitle("go-time-100")).toBe("Go Time #100");
    expect(episodeTitle("ship-it-5")).toBe("Ship It #5");
    expect(episodeTitle("big-tent-s1e3")).toBe("Big Tent S1E3");
    expect([
      episodeNumber("the-changelog-482"),
      episodeNumber("big-tent-s1e3"),
      episodeNumber("js-party-meet"),
    ]).toEqual([482, 3, null]);
  });

  it("gives no URL to an episode without a number when the template needs one; {id} needs none", async () => {
    const corpus = join(root, "unnumbered");
    await mkdir(join(corpus, "jsparty"), { recursive: true });
    await writeFile(join(corpus, "jsparty", "js-party-meet-alex.md"), "**Alex Sexton:** Hi.\n");
    await writeFile(join(corpus, "jsparty", "js-party-1.md"), "**Alex Sexton:** Hello.\n");
    await writeFile(
      join(corpus, "jsparty", "show.json"),
      JSON.stringify({ episodeUrl: "https://changelog.com/jsparty/{number}" }),
    );
    await mkdir(join(corpus, "rfc"));
    await writeFile(
      join(corpus, "rfc", "request-for-commits-behind-season-one.md"),
      "**Nadia Eghbal:** Hi.\n",
    );
    await writeFile(
      join(corpus, "rfc", "show.json"),
      JSON.stringify({ episodeUrl: "https://example.org/rfc/{id}" }),
    );
    const { episodes } = await loadCorpus(corpus);
    expect(episodes.map((e) => [e.meta.id, e.meta.number, e.meta.url])).toEqual([
      ["js-party-1", 1, "https://changelog.com/jsparty/1"],
      ["js-party-meet-alex", 0, ""],
      [
        "request-for-commits-behind-season-one",
        0,
        "https://example.org/rfc/request-for-commits-behind-season-one",
      ],
    ]);
  });

  it("lets a sidecar, where there is one, win over what the names and labels say", async () => {
    const corpus = await changelogCopy("sidecar");
    await writeFile(
      join(corpus, "gotime", "go-time-100.meta.json"),
      JSON.stringify({
        title: "Creating the Go programming language",
        url: "https://changelog.com/gotime/100",
        published: "2019-09-03",
        speakers: { "Jon Calhoun": { name: "Jon Calhoun", role: "host", pronouns: "he/him" } },
      }),
    );
    const go = byId((await loadCorpus(corpus)).episodes, "go-time-100");
    expect([go.meta.title, go.meta.url, go.meta.published, go.meta.show]).toEqual([
      "Creating the Go programming language",
      "https://changelog.com/gotime/100",
      "2019-09-03",
      "gotime",
    ]);
    expect(go.meta.speakers["Jon Calhoun"]).toEqual({
      name: "Jon Calhoun",
      role: "host",
      pronouns: "he/him",
    });
    expect(go.turns.find((t) => t.speaker.name === "Jon Calhoun")?.speaker.role).toBe("host");
    expect(roles(go)["Rob Pike"]).toBe("guest");
  });
});

describe("hosts, when a show names none", () => {
  const voices = (speakers: string[]): EpisodeVoices => ({ speakers, opener: speakers[0] ?? null });

  it("are those who come back across the show: in many of its episodes, or opening several", () => {
    const episodes = [
      voices(["Johnny Boursiquot", "Mat Ryer", "Guest One"]),
      voices(["Johnny Boursiquot", "Kris Brandow", "Guest Two"]),
      voices(["Mat Ryer", "Johnny Boursiquot", "Guest Three"]),
      voices(["Natalie Pistunovich", "Guest Four", "Guest One"]),
      voices(["Natalie Pistunovich", "Mat Ryer", "Guest Five", "Guest One"]),
      voices(["Mat Ryer", "Natalie Pistunovich", "Kris Brandow", "Guest Six"]),
      ...Array.from({ length: 24 }, (_, i) => voices(["MAT RYER", `Someone ${i}`])),
    ];
    // Mat Ryer (in any case) is in most of the 30 episodes. Johnny and Natalie are in three each
    // (10%) and open two: hosts. Guest One is in three too, but opens none: a guest who came back,
    // as is Kris Brandow, in two.
    expect([...inferHosts(episodes)].sort()).toEqual([
      "johnny boursiquot",
      "mat ryer",
      "natalie pistunovich",
    ]);
  });

  it("are the openers of a show with too few episodes to count", () => {
    expect([...inferHosts([voices(["Adam Stacoviak", "Mitch Wainer"])])]).toEqual(["adam stacoviak"]);
  });

  it("are worked out over the show folder's episodes, and a news show's one voice is its host", async () => {
    const { episodes } = await loadCorpus(CHANGELOG_DIR);
    expect(roles(byId(episodes, "founders-talk-76"))).toEqual({
      "Adam Stacoviak": "host",
      "Mitch Wainer": "guest",
    });
    expect(roles(byId(episodes, "changelog-news-100"))).toEqual({ "Jerod Santo": "host" });
  });
});

describe("problems in a corpus of Markdown shows", () => {
  it("leave the bad files out and list each with its path, line and reason; strict, the first one is thrown", async () => {
    const corpus = await changelogCopy("problems");
    const binary = join(corpus, "gotime", "go-time-87.md");
    await writeFile(binary, "**Mat Ryer:** Hello.\n\n**Aaron Schlesinger:** You pass in \u001d`.Query()`.\n");
    const noLabels = join(corpus, "news", "changelog-news-1.md");
    await writeFile(noLabels, "Hello, friends. This is Changelog News.\n");
    const badShow = join(corpus, "founderstalk", "show.json");
    await writeFile(badShow, JSON.stringify({ name: "Founders Talk", host: ["Adam Stacoviak"] }));
    await mkdir(join(corpus, "gotime", "season-2"));
    await writeFile(join(corpus, "gotime", "season-2", "go-time-200.md"), "**Mat Ryer:** Hi.\n");

    const { episodes, problems } = await loadCorpus(corpus, { strict: false });
    expect(episodes.map((e) => e.meta.id)).toEqual(["founders-talk-76", "go-time-100", "changelog-news-100"]);
    expect(problems.map((p) => [p.file, p.line, p.code])).toEqual([
      [join(corpus, "gotime", "season-2"), null, "E_CORPUS_NESTED"],
      [badShow, null, "E_SHOW_INVALID"],
      [binary, 3, "E_TRANSCRIPT_BINARY"],
      [noLabels, 1, "E_TRANSCRIPT_NO_SPEAKERS"],
    ]);
    expect(problems[1]?.reason).toContain("host");
    // The show whose show.json is bad is still built, from its folder.
    expect(byId(episodes, "founders-talk-76").meta.show).toBe("founderstalk");

    let error: unknown;
    try {
      await loadCorpus(corpus);
    } catch (caught) {
      error = caught;
    }
    expect((error as AppError).code).toBe("E_CORPUS_NESTED");
    await rm(join(corpus, "gotime", "season-2"), { recursive: true });
    const strict = await loadCorpus(corpus).catch((caught: AppError) => caught);
    expect((strict as AppError).code).toBe("E_SHOW_INVALID");
    expect((strict as AppError).message).toContain(badShow);
  });

  it("refuses an id used twice, keeping the first episode", async () => {
    const corpus = await changelogCopy("twice");
    await cp(join(CHANGELOG_DIR, "gotime", "go-time-100.md"), join(corpus, "news", "go-time-100.md"));
    const { episodes, problems } = await loadCorpus(corpus, { strict: false });
    expect(episodes.filter((e) => e.meta.id === "go-time-100").map((e) => e.file)).toEqual([
      join(corpus, "gotime", "go-time-100.md"),
    ]);
    expect(problems.map((p) => [p.file, p.code])).toEqual([
      [join(corpus, "news", "go-time-100.md"), "E_META_INVALID"],
    ]);
    expect(problems[0]?.reason).toContain(`already used by ${join(corpus, "gotime", "go-time-100.md")}`);
  });
});

describe("building an index of an archive with a bad file", () => {
  it("publishes the rest, lists what it left out, and reports the same when the corpus has not changed", async () => {
    const corpus = await changelogCopy("build");
    const broken = join(corpus, "gotime", "go-time-87.md");
    await writeFile(broken, "**Mat Ryer:** Hello.\n\n**Aaron Schlesinger:** You pass in \u001d`.Query()`.\n");
    const indexDir = join(root, "build-index");
    const embedder = countingEmbedder();
    const built = await buildTestIndex(indexDir, { corpusDir: corpus, embedder });
    expect(built.manifest.episodes).toBe(3);
    expect(built.skipped.map((p) => [p.file, p.line, p.code])).toEqual([[broken, 3, "E_TRANSCRIPT_BINARY"]]);
    expect(built.manifest.skipped).toEqual(built.skipped);

    embedder.reset();
    const again = await buildTestIndex(indexDir, { corpusDir: corpus, embedder });
    expect([again.built, embedder.calls]).toEqual([false, 0]);
    expect(again.skipped).toEqual(built.skipped);

    // Fixed, it is added; nothing else is embedded again.
    await writeFile(broken, "**Mat Ryer:** Hello.\n\n**Aaron Schlesinger:** You pass in `.Query()`.\n");
    const fixed = await buildTestIndex(indexDir, { corpusDir: corpus, embedder });
    expect([fixed.built, fixed.skipped, fixed.changes?.added]).toEqual([true, [], ["go-time-87"]]);
    expect(embedder.texts.every((text) => text.includes("Hello") || text.includes("Query"))).toBe(true);
  });

  it("imports a transcript with a stray control character without it, lists it as repaired at every build, and strict, stops", async () => {
    const corpus = await changelogCopy("repaired");
    const file = join(corpus, "gotime", "go-time-87.md");
    const said = "You take the host string and build the query from it, one call after another. ".repeat(15);
    await writeFile(
      file,
      `**Mat Ryer:** ${said}\n\n**Aaron Schlesinger:** You call \u001d\`db.Query()\` then.\n`,
    );
    const indexDir = join(root, "repaired-index");
    const embedder = countingEmbedder();
    const built = await buildTestIndex(indexDir, { corpusDir: corpus, embedder });
    expect([built.manifest.episodes, built.skipped, built.changes?.added]).toEqual([
      4,
      [],
      ["founders-talk-76", "go-time-100", "go-time-87", "changelog-news-100"],
    ]);
    const repaired = [{ file, removed: [{ line: 3, column: 33, code: "U+001D" }] }];
    expect(built.repaired).toEqual(repaired);
    const index = await loadIndex(indexDir, embedder);
    const passages = index.passages.filter((p) => p.episodeId === "go-time-87");
    expect(passages.map((p) => [p.speaker.name, p.text])).toContainEqual([
      "Aaron Schlesinger",
      "You call db.Query() then.",
    ]);
    expect(index.passages.some((p) => p.text.includes("\u001d"))).toBe(false);
    expect(embedder.texts.some((text) => text.includes("\u001d"))).toBe(false);

    // Unchanged, or kept by an incremental build, it is listed again: the scan finds it, not the parse.
    const again = await buildTestIndex(indexDir, { corpusDir: corpus, embedder });
    expect([again.built, again.repaired]).toEqual([false, repaired]);
    await mkdir(join(corpus, "extra"));
    await writeFile(join(corpus, "extra", "extra-1.md"), "**Ada Lovelace:** Hello, engines.\n");
    const grown = await buildTestIndex(indexDir, { corpusDir: corpus, embedder });
    expect([
      grown.built,
      grown.changes?.added,
      grown.changes?.kept.includes("go-time-87"),
      grown.repaired,
    ]).toEqual([true, ["extra-1"], true, repaired]);

    // Strict, it is a problem like any other: the build stops naming it, and nothing is published.
    const error = await buildTestIndex(indexDir, { corpusDir: corpus, strict: true }).catch(
      (e: AppError) => e,
    );
    expect((error as AppError).code).toBe("E_TRANSCRIPT_CONTROL_CHARACTERS");
    expect((error as AppError).message).toContain(
      `${file}:3: the transcript holds 1 stray control character (U+001D`,
    );
    expect((await buildTestIndex(indexDir, { corpusDir: corpus, embedder })).built).toBe(false);
  });

  it("strict, stops at the bad file and leaves the published index as it was", async () => {
    const corpus = await changelogCopy("strict-build");
    const indexDir = join(root, "strict-index");
    const built = await buildTestIndex(indexDir, { corpusDir: corpus });
    await writeFile(join(corpus, "news", "changelog-news-1.md"), "No labels at all.\n");
    const error = await buildTestIndex(indexDir, { corpusDir: corpus, strict: true }).catch(
      (e: AppError) => e,
    );
    expect((error as AppError).code).toBe("E_TRANSCRIPT_NO_SPEAKERS");
    expect((error as AppError).message).toContain(join(corpus, "news", "changelog-news-1.md"));
    const after = await buildTestIndex(indexDir, { corpusDir: corpus, force: false });
    expect(after.skipped.map((p) => p.code)).toEqual(["E_TRANSCRIPT_NO_SPEAKERS"]);
    expect(after.manifest.episodes).toBe(built.manifest.episodes);
  });

  it("times the passages of a timed Markdown episode, and links them to their moment through show.json", async () => {
    const corpus = await changelogCopy("linked");
    await writeFile(
      join(corpus, "gotime", "show.json"),
      JSON.stringify({ name: "Go Time", episodeUrl: "https://changelog.com/gotime/{number}" }),
    );
    const indexDir = join(root, "linked-index");
    await buildTestIndex(indexDir, { corpusDir: corpus });
    const index = await loadIndex(indexDir, countingEmbedder());
    const episode = index.episodes.find((e) => e.id === "go-time-100");
    const passage = index.passages.find((p) => p.text.startsWith("So after this big break"));
    expect([passage?.episodeId, passage?.speaker.name, passage?.timestamp]).toEqual([
      "go-time-100",
      "Carmen Andoh",
      1467,
    ]);
    expect(deepLink(episode?.url ?? "", passage?.timestamp ?? null)).toBe(
      "https://changelog.com/gotime/100#t=1467",
    );
    const source = await readFile(join(corpus, "gotime", "go-time-100.md"), "utf8");
    expect(source.slice(passage?.start, passage?.end)).toMatch(/^So after this big break.*\?$/s);
    const news = index.passages.filter((p) => p.episodeId === "changelog-news-100");
    expect(news.every((p) => p.timestamp === null && p.speaker.name === "Jerod Santo")).toBe(true);
  });
});
