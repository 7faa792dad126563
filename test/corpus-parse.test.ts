import { readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCorpus } from "../src/corpus/load.js";
import { parseEpisodeMeta, readEpisodeMeta } from "../src/corpus/meta.js";
import { checkTextTranscript, parseTextTranscript } from "../src/corpus/parse-text.js";
import { describeRepair } from "../src/corpus/problems.js";
import type { EpisodeMeta, Turn } from "../src/corpus/types.js";
import { AppError } from "../src/errors.js";
import { META, makeTempDir, removeDir, TRANSCRIPT } from "./helpers/index-fixtures.js";

const source = readFileSync(TRANSCRIPT, "utf8");
const meta = JSON.parse(readFileSync(META, "utf8")) as EpisodeMeta;
const FILE = "episodes/broken.txt";

/** Runs `fn`, expecting an AppError; returns it so the test can check code and message. */
function appError(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error("expected an AppError, but nothing was thrown");
}

async function appErrorAsync(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error("expected an AppError, but the promise resolved");
}

describe("parseTextTranscript on the bundled episode", () => {
  const turns = parseTextTranscript(source, meta, TRANSCRIPT);
  const spoken = turns.filter((t) => t.speaker.role !== "notes");

  it("finds the 48 speaker turns, alternating between host and guest", () => {
    expect(spoken).toHaveLength(48);
    expect(new Set(spoken.map((t) => t.speaker.name))).toEqual(new Set(["Jeremy Daly", "Holly Mesrobian"]));
    for (const [i, turn] of spoken.entries()) {
      expect(turn.speaker.role).toBe(i % 2 === 0 ? "host" : "guest");
      expect(turn.label).toBe(i % 2 === 0 ? "Jeremy" : "Holly");
    }
    expect(spoken.at(-1)?.text).toBe("Great. Thank you.");
  });

  it("attributes the biography to the episode notes, as a passage of its own before the transcript", () => {
    const notes = turns.filter((t) => t.speaker.role === "notes");
    expect(notes).toHaveLength(1);
    const bio = notes[0] as Turn;
    expect(bio.index).toBe(0);
    expect(bio.label).toBe("notes");
    expect(bio.speaker.name).toBe("Episode notes");
    expect(bio.text).toMatch(/^Holly Mesrobian is a Board Member at Cascade Public/);
    expect(bio.text).toMatch(/startup Cozi\.$/);
    expect(bio.text).not.toContain("About Holly Mesrobian");
    expect(turns).toHaveLength(49);
  });

  it("joins the split first turn: `Jeremy` on one line, `: Hi everyone…` on the next", () => {
    const first = spoken[0] as Turn;
    expect(first.index).toBe(1);
    expect(first.speaker).toEqual({ name: "Jeremy Daly", role: "host" });
    expect(first.text).toMatch(/^Hi everyone\. I'm Jeremy Daly and this is Serverless Chats\./);
    expect(first.text).toMatch(/Thanks for joining me\.$/);
    expect(spoken[1]?.text).toBe("Hi, thank you for inviting me.");
  });

  it("keeps multi-paragraph turns whole until the next label", () => {
    const second = spoken.find((t) => t.text.startsWith("Absolutely. Engineering leaders")) as Turn;
    expect(second.speaker.name).toBe("Holly Mesrobian");
    expect(second.text).toContain("\n\nI have two graduate degrees");
    expect(second.text).toContain("We run game days as well");
  });

  it("gives every turn offsets that point at its text in the source file", () => {
    for (const turn of turns) {
      expect(source.slice(turn.start, turn.end)).toBe(turn.text);
      expect(turn.text).toBe(turn.text.trim());
      expect(turn.timestamp).toBeNull();
    }
    expect(turns.map((t) => t.index)).toEqual(turns.map((_, i) => i));
    for (let i = 1; i < turns.length; i++) {
      expect(turns[i]?.start).toBeGreaterThanOrEqual(turns[i - 1]?.end ?? Number.POSITIVE_INFINITY);
    }
  });

  it("leaves the page furniture out of every turn", () => {
    for (const turn of turns) {
      for (const furniture of ["Forem", "Episode source", "Watch this episode", "Episode #65"]) {
        expect(turn.text).not.toContain(furniture);
      }
      expect(turn.text).not.toMatch(/^Transcript$/m);
      expect(turn.text).not.toMatch(/^Jeremy\s*:|^Holly\s*:/m);
    }
  });

  it("reads the same turns with Windows line endings and a byte-order mark, offsets still exact", () => {
    const windows = `\ufeff${source.replace(/\n/g, "\r\n")}`;
    const parsed = parseTextTranscript(windows, meta, TRANSCRIPT);
    expect(parsed).toHaveLength(49);
    for (const turn of parsed) {
      expect(windows.slice(turn.start, turn.end)).toBe(turn.text);
      expect(turn.text.endsWith("\r")).toBe(false);
    }
    expect(parsed.map((t) => t.text.replace(/\r\n/g, "\n"))).toEqual(turns.map((t) => t.text));
  });

  it("finds a first label on the very first line even behind a byte-order mark", () => {
    const parsed = parseTextTranscript("\ufeffHolly: First.\n\nJeremy: Second.\n", meta, FILE);
    expect(parsed.map((t) => [t.label, t.text, t.start])).toEqual([
      ["Holly", "First.", 8],
      ["Jeremy", "Second.", 24],
    ]);
  });
});

describe("parseTextTranscript on bad input", () => {
  it.each([
    ["an empty file", ""],
    ["whitespace only", "  \n\n\t \r\n"],
  ])("refuses %s, naming the file", (_, text) => {
    const error = appError(() => parseTextTranscript(text, meta, FILE));
    expect(error.code).toBe("E_TRANSCRIPT_EMPTY");
    expect(error.message).toContain(FILE);
  });

  it("refuses NUL bytes, naming the file and the line they are on", () => {
    const text = "Jeremy: Hello.\n\nHolly: Hi.\nbinary\u0000junk\n";
    const error = appError(() => parseTextTranscript(text, meta, FILE));
    expect(error.code).toBe("E_TRANSCRIPT_BINARY");
    expect(error.message).toContain(`${FILE}:4:`);
  });

  it("refuses bytes that are not UTF-8 (decoded as U+FFFD), naming the line", () => {
    const bytes = Buffer.concat([Buffer.from("Jeremy: Hello.\n\nHolly: caf"), Buffer.from([0xe9, 0x0a])]);
    const error = appError(() => parseTextTranscript(bytes.toString("utf8"), meta, FILE));
    expect(error.code).toBe("E_TRANSCRIPT_BINARY");
    expect(error.message).toContain(`${FILE}:3:`);
  });

  it("refuses text without any speaker label", () => {
    const text = "Some notes about serverless.\n\nNothing here is said by anyone in particular.\n";
    const error = appError(() => parseTextTranscript(text, meta, FILE));
    expect(error.code).toBe("E_TRANSCRIPT_NO_SPEAKERS");
    expect(error.message).toContain(`${FILE}:1:`);
    expect(error.message).toContain("Jeremy: …");
  });

  it("refuses a transcript whose labels are all unknown, naming the first one's line", () => {
    const text = "Episode notes\n\nAlice: Hello.\n\nBob: Hi Alice.\n";
    const error = appError(() => parseTextTranscript(text, meta, FILE));
    expect(error.code).toBe("E_TRANSCRIPT_UNKNOWN_SPEAKER");
    expect(error.message).toContain(`${FILE}:3:`);
    expect(error.message).toContain('"Alice:"');
    expect(error.message).toContain("Jeremy, Holly");
  });

  it("refuses an unknown label among known ones instead of giving its words to the previous speaker", () => {
    const text =
      "Jeremy: Hello.\n\nHolly: Hi.\n\nMore from Holly.\n\nSwami Sivasubramanian: Surprise guest.\n";
    const error = appError(() => parseTextTranscript(text, meta, FILE));
    expect(error.code).toBe("E_TRANSCRIPT_UNKNOWN_SPEAKER");
    expect(error.message).toContain(`${FILE}:7:`);
    expect(error.message).toContain('"Swami Sivasubramanian:"');
  });

  it("refuses an unknown label split over two lines like the first turn", () => {
    const text = "Jeremy: Hello.\n\nBob\n: Hi.\n";
    const error = appError(() => parseTextTranscript(text, meta, FILE));
    expect(error.code).toBe("E_TRANSCRIPT_UNKNOWN_SPEAKER");
    expect(error.message).toContain(`${FILE}:3:`);
  });

  it("keeps a colon inside a sentence as text", () => {
    const text = "Jeremy: Hello.\n\nHolly: Two things: latency and cost.\n\nthe rule is: measure.\n";
    const parsed = parseTextTranscript(text, meta, FILE);
    expect(parsed.map((t) => t.text)).toEqual([
      "Hello.",
      "Two things: latency and cost.\n\nthe rule is: measure.",
    ]);
  });
});

describe("stray control characters", () => {
  const words = "Cold starts matter less than people think, most of the time. ".repeat(33); // 2,013 characters

  it("a text may hold 1 per 1,000 characters: each is named by line, column and code", () => {
    const text = `Jeremy: Hello\u001d.\n\nHolly: ${words}\u0008\n`;
    expect(text.length).toBeGreaterThan(2000);
    expect(checkTextTranscript(text, FILE)).toEqual([
      { line: 1, column: 14, code: "U+001D" },
      { line: 3, column: 7 + words.length + 1, code: "U+0008" },
    ]);
    expect(checkTextTranscript(source, FILE)).toEqual([]);
  });

  it("more than that is binary data, and so is any NUL or U+FFFD, however long the text", () => {
    const dense = appError(() =>
      checkTextTranscript(`Jeremy: \u001d\u001d.\n\nHolly: ${words}\u001d\n`, FILE),
    );
    expect(dense.code).toBe("E_TRANSCRIPT_BINARY");
    expect(dense.message).toContain(
      `${FILE}:1: the file holds binary or non-UTF-8 data (U+001D at column 9)`,
    );
    expect(dense.message).toContain("3 control characters in");
    for (const [bad, code] of [
      ["\u0000", "U+0000"],
      ["\ufffd", "U+FFFD"],
    ]) {
      const error = appError(() => checkTextTranscript(`${words}\n\nJeremy: Hi${bad}.\n`, FILE));
      expect(error.code).toBe("E_TRANSCRIPT_BINARY");
      expect(error.message).toContain(
        `${FILE}:3: the file holds binary or non-UTF-8 data (${code} at column 11)`,
      );
    }
  });

  it("a repair is described by path, first line, count, codes and lines", () => {
    const removed = [
      { line: 109, column: 853, code: "U+001D" },
      { line: 111, column: 22, code: "U+001D" },
      { line: 133, column: 393, code: "U+001D" },
      { line: 133, column: 408, code: "U+001D" },
      { line: 140, column: 1, code: "U+0008" },
    ];
    expect(describeRepair({ file: "gotime/go-time-87.md", removed })).toBe(
      "gotime/go-time-87.md:109: removed 5 stray control characters: U+001D ×4 on lines 109, 111, 133; U+0008 on line 140",
    );
  });
});

describe("episode metadata", () => {
  const valid = () => JSON.parse(JSON.stringify(meta)) as Record<string, unknown>;

  it("accepts the bundled sidecar", async () => {
    const read = await readEpisodeMeta(META);
    expect(read).toMatchObject({
      id: "serverless-chats-065",
      show: "Serverless Chats",
      number: 65,
      title: "Serverless Transformation at AWS with Holly Mesrobian",
      url: "https://youtu.be/nBYUh7CVUiQ",
      published: null,
    });
    expect(read.speakers.Jeremy).toMatchObject({ name: "Jeremy Daly", role: "host" });
    expect(read.speakers.Holly).toMatchObject({ name: "Holly Mesrobian", role: "guest" });
  });

  it("names the file and every bad field at once", () => {
    const bad = valid();
    bad.number = "sixty-five";
    bad.url = "not a url";
    bad.published = "last tuesday";
    (bad.speakers as Record<string, { role: string }>).Holly = { role: "star" } as never;
    delete bad.title;
    const error = appError(() => parseEpisodeMeta(bad, "corpus/x.meta.json"));
    expect(error.code).toBe("E_META_INVALID");
    expect(error.message).toContain("corpus/x.meta.json");
    for (const field of [
      "number",
      "url",
      "published",
      "title",
      "speakers.Holly.name",
      "speakers.Holly.role",
    ]) {
      expect(error.message).toContain(`${field}:`);
    }
  });

  it("refuses an id that cannot be used in passage ids, and an empty speaker list", () => {
    const bad = valid();
    bad.id = "../escape me";
    bad.speakers = {};
    const error = appError(() => parseEpisodeMeta(bad, "m.json"));
    expect(error.message).toMatch(/id:/);
    expect(error.message).toMatch(/speakers:/);
  });

  describe("on disk", () => {
    let dir: string;
    beforeAll(async () => {
      dir = await makeTempDir("corpus-meta");
    });
    afterAll(() => removeDir(dir));

    it("refuses a sidecar that is not JSON, naming the file", async () => {
      const file = join(dir, "broken.meta.json");
      await writeFile(file, "{ id: nope");
      const error = await appErrorAsync(readEpisodeMeta(file));
      expect(error.code).toBe("E_META_INVALID");
      expect(error.message).toContain(file);
    });

    it("refuses a missing sidecar file", async () => {
      const error = await appErrorAsync(readEpisodeMeta(join(dir, "absent.meta.json")));
      expect(error.code).toBe("E_META_UNREADABLE");
      expect(error.message).toContain("absent.meta.json");
    });

    it("loadCorpus refuses a transcript without a sidecar, and a folder with no transcripts", async () => {
      const lonely = join(dir, "lonely");
      await mkdir(lonely);
      const empty = await appErrorAsync(loadCorpus(lonely));
      expect(empty.code).toBe("E_CORPUS_EMPTY");
      expect(empty.message).toContain(lonely);
      await writeFile(join(lonely, "ep.txt"), "Jeremy: Hello.\n");
      const missing = await appErrorAsync(loadCorpus(lonely));
      expect(missing.code).toBe("E_META_MISSING");
      expect(missing.message).toContain("ep.meta.json");
      const absent = await appErrorAsync(loadCorpus(join(dir, "no-such-folder")));
      expect(absent.code).toBe("E_CORPUS_MISSING");
    });

    it("loadCorpus reports a broken transcript with its path and line", async () => {
      const folder = join(dir, "binary");
      await mkdir(folder);
      await writeFile(join(folder, "ep.meta.json"), JSON.stringify(meta));
      await writeFile(join(folder, "ep.txt"), Buffer.from([0x4a, 0x65, 0x0a, 0x00, 0xff, 0xfe]));
      const error = await appErrorAsync(loadCorpus(folder));
      expect(error.code).toBe("E_TRANSCRIPT_BINARY");
      expect(error.message).toContain(`${join(folder, "ep.txt")}:2:`);
    });

    it("loadCorpus imports a Markdown and a plain-text transcript without their stray control characters, and lists them", async () => {
      const folder = join(dir, "stray");
      await mkdir(join(folder, "gotime"), { recursive: true });
      const said = "Append grows the slice when it has to, and you keep what it returns. ".repeat(20);
      const md = join(folder, "gotime", "go-time-87.md");
      await writeFile(
        md,
        `**Mat Ryer:** ${said}\n\n**Aaron Schlesinger:** Yeah, \`\u001dfunc append(slice []Type)\`.\n`,
      );
      const txt = join(folder, "ep.txt");
      await writeFile(join(folder, "ep.meta.json"), JSON.stringify(meta));
      await writeFile(txt, `Jeremy: ${said}\n\nHolly: Cold\u0008 starts.\n`);

      const loaded = await loadCorpus(folder, { strict: false });
      expect(loaded.problems).toEqual([]);
      const turns = loaded.episodes.flatMap((e) => e.turns.map((t) => t.text));
      expect(turns).toContain("Yeah, func append(slice []Type).");
      expect(turns).toContain("Cold starts.");
      expect(turns.some((t) => t.includes("\u001d") || t.includes("\u0008"))).toBe(false);
      expect(loaded.repaired).toEqual([
        { file: txt, removed: [{ line: 3, column: 12, code: "U+0008" }] },
        { file: md, removed: [{ line: 3, column: 31, code: "U+001D" }] },
      ]);

      // Strict, a repair is a problem like any other: the first stops the load, named.
      const strict = await appErrorAsync(loadCorpus(folder));
      expect(strict.code).toBe("E_TRANSCRIPT_CONTROL_CHARACTERS");
      expect(strict.message).toContain(
        `${txt}:3: the transcript holds 1 stray control character (U+0008 at line 3, column 12)`,
      );
      expect(strict.message).toContain("without --strict");
    });

    it("loadCorpus hashes the content: one changed byte changes the hash", async () => {
      const folder = join(dir, "hash");
      await mkdir(folder);
      await writeFile(join(folder, "ep.meta.json"), JSON.stringify(meta));
      await writeFile(join(folder, "ep.txt"), "Jeremy: Hello.\n\nHolly: Hi.\n");
      const before = await loadCorpus(folder);
      expect(before.episodes[0]?.turns).toHaveLength(2);
      await writeFile(join(folder, "ep.txt"), "Jeremy: Hello!\n\nHolly: Hi.\n");
      const after = await loadCorpus(folder);
      expect(after.contentHash).not.toBe(before.contentHash);
      expect((await loadCorpus(folder)).contentHash).toBe(after.contentHash);
    });
  });
});
