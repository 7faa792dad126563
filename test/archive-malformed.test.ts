import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCorpus } from "../src/corpus/load.js";
import { parseTranscript } from "../src/corpus/parse.js";
import type { EpisodeMeta } from "../src/corpus/types.js";
import { AppError } from "../src/errors.js";
import { readManifest } from "../src/retrieval/index/storage.js";
import { EPISODES_DIR, fixtureCorpus, GARDEN_12, GARDEN_13, KITCHEN_4, metaOf } from "./archive-fixtures.js";
import { buildTestIndex, makeTempDir, removeDir } from "./helpers/index-fixtures.js";

let meta: EpisodeMeta;
let root: string;

beforeAll(async () => {
  meta = await metaOf(GARDEN_13); // speakers Maya and Priya
  root = await makeTempDir("archive-malformed");
});

afterAll(() => removeDir(root));

function refusal(source: string, file: string): AppError {
  try {
    parseTranscript(source, meta, file);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error(`expected ${file} to be refused`);
}

const VTT_OK_CUE = "00:00:01.000 --> 00:00:02.000\n<v Maya>Hello.\n";

describe("malformed transcripts are refused with the file and line named", () => {
  it.each([
    // [case, file, source, code, line, words the message must hold]
    [
      "a WebVTT minute of 61",
      "ep.vtt",
      "WEBVTT\n\n00:61:00.000 --> 00:62:00.000\n<v Maya>Hi.\n",
      "E_TRANSCRIPT_TIMESTAMP",
      3,
      '"00:61:00.000"',
    ],
    [
      "a WebVTT time without milliseconds",
      "ep.vtt",
      `WEBVTT\n\n${VTT_OK_CUE}\n00:00:03 --> 00:00:04.000\nMore.\n`,
      "E_TRANSCRIPT_TIMESTAMP",
      6,
      '"00:00:03"',
    ],
    [
      "an SRT time with a dot for minutes",
      "ep.srt",
      "1\n00:00:01,000 --> 00.00.02,000\nMaya: Hi.\n",
      "E_TRANSCRIPT_TIMESTAMP",
      2,
      "00:01:23,456",
    ],
    [
      "a JSON start that is not seconds",
      "ep.json",
      '[\n  {"speaker": "Maya", "start": 0, "end": 1, "text": "Hi."},\n  {"speaker": "Priya",\n   "start": "1:02", "end": 3, "text": "Yes."}\n]',
      "E_TRANSCRIPT_TIMESTAMP",
      4,
      '"start"',
    ],
    [
      "a negative JSON end",
      "ep.json",
      '[{"speaker": "Maya", "start": 0, "end": -1, "text": "Hi."}]',
      "E_TRANSCRIPT_TIMESTAMP",
      1,
      '"end"',
    ],
    [
      "overlapping WebVTT cues",
      "ep.vtt",
      "WEBVTT\n\n00:00:01.000 --> 00:00:05.000\n<v Maya>Hi.\n\n00:00:04.000 --> 00:00:06.000\n<v Priya>Hello.\n",
      "E_TRANSCRIPT_CUE_OVERLAP",
      6,
      "overlap",
    ],
    [
      "overlapping JSON segments",
      "ep.json",
      '[\n{"speaker": "Maya", "start": 0, "end": 5, "text": "Hi."},\n{"speaker": "Priya", "start": 4, "end": 6, "text": "Yes."}\n]',
      "E_TRANSCRIPT_CUE_OVERLAP",
      3,
      "overlap",
    ],
    [
      "an SRT block that ends before it starts",
      "ep.srt",
      "1\n00:00:05,000 --> 00:00:04,000\nMaya: Hi.\n",
      "E_TRANSCRIPT_CUE_ORDER",
      2,
      "before it starts",
    ],
    [
      "SRT blocks going back in time",
      "ep.srt",
      "1\n00:00:05,000 --> 00:00:06,000\nMaya: Hi.\n\n2\n00:00:01,000 --> 00:00:02,000\nPriya: Hello.\n",
      "E_TRANSCRIPT_CUE_ORDER",
      6,
      "backwards",
    ],
    [
      "an unknown WebVTT voice",
      "ep.vtt",
      `WEBVTT\n\n${VTT_OK_CUE}\n00:00:02.000 --> 00:00:03.000\n<v Bartholomew>Surprise.\n`,
      "E_TRANSCRIPT_UNKNOWN_SPEAKER",
      7,
      '"Bartholomew"',
    ],
    [
      "an unknown SRT label",
      "ep.srt",
      "1\n00:00:01,000 --> 00:00:02,000\nMaya: Hi.\n\n2\n00:00:02,000 --> 00:00:03,000\nBob: Hello.\n",
      "E_TRANSCRIPT_UNKNOWN_SPEAKER",
      7,
      '"Bob"',
    ],
    [
      "an unknown JSON speaker",
      "ep.json",
      '[\n  {"speaker": "Maya", "start": 0, "end": 1, "text": "Hi."},\n  {"speaker": "Zed", "start": 1, "end": 2, "text": "Yo."}\n]',
      "E_TRANSCRIPT_UNKNOWN_SPEAKER",
      3,
      '"Zed"',
    ],
    [
      "a first cue naming nobody",
      "ep.vtt",
      "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nWho is speaking?\n",
      "E_TRANSCRIPT_SPEAKER_MISSING",
      3,
      "names no speaker",
    ],
    [
      "a WebVTT file without its header",
      "ep.vtt",
      "00:00:01.000 --> 00:00:02.000\n<v Maya>Hi.\n",
      "E_TRANSCRIPT_FORMAT",
      1,
      "WEBVTT",
    ],
    [
      "a cue glued to the WebVTT header",
      "ep.vtt",
      "WEBVTT\n00:00:01.000 --> 00:00:02.000\n<v Maya>Hi.\n",
      "E_TRANSCRIPT_FORMAT",
      2,
      "blank line",
    ],
    [
      "an SRT block without a timing line",
      "ep.srt",
      "1\n00:00:01,000 --> 00:00:02,000\nMaya: Hi.\n\n2\nPriya: no times here\n",
      "E_TRANSCRIPT_FORMAT",
      6,
      "timing line",
    ],
    [
      "JSON with a trailing comma",
      "ep.json",
      '[\n  {"speaker": "Maya", "start": 0, "end": 1, "text": "Hi."},\n]',
      "E_TRANSCRIPT_FORMAT",
      3,
      "not valid JSON",
    ],
    [
      "a JSON segment without text",
      "ep.json",
      '[\n  {"speaker": "Maya", "start": 0, "end": 1}\n]',
      "E_TRANSCRIPT_FORMAT",
      2,
      '"text"',
    ],
    [
      "JSON that is not a list of segments",
      "ep.json",
      '{"episodes": []}',
      "E_TRANSCRIPT_FORMAT",
      1,
      "segments",
    ],
    [
      "a WebVTT file with no cues",
      "ep.vtt",
      "WEBVTT\n\nNOTE nothing yet\n",
      "E_TRANSCRIPT_EMPTY",
      null,
      "no cues",
    ],
  ])("refuses %s", (_, file, source, code, line, words) => {
    const error = refusal(source, file);
    expect(error.code).toBe(code);
    expect(error.message).toContain(line === null ? `${file}: ` : `${file}:${line}: `);
    expect(error.message).toContain(words);
  });

  it.each(["ep.vtt", "ep.srt", "ep.json", "ep.txt"])("refuses an empty %s", (file) => {
    for (const source of ["", " \n\n\t\n"]) {
      const error = refusal(source, file);
      expect(error.code).toBe("E_TRANSCRIPT_EMPTY");
      expect(error.message).toContain(file);
    }
  });

  it("refuses binary bytes in a timed transcript, naming the line", () => {
    const error = refusal("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Maya>Hi\u0000\n", "ep.vtt");
    expect(error.code).toBe("E_TRANSCRIPT_BINARY");
    expect(error.message).toContain("ep.vtt:4:");
  });
});

describe("a few stray control characters are removed, in every format", () => {
  // Long enough (over 1,000 characters) that one stray character is a stray, not binary data.
  const said = "The bees need water on a hot balcony, a shallow dish with stones in it. ".repeat(16).trim();
  it.each([
    ["ep.txt", `Maya: Hello\u001d there.\n\nPriya: ${said}\n`],
    ["ep.md", `**Maya:** Hello\u001d there.\n\n**Priya:** ${said}\n`],
    [
      "ep.vtt",
      `WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Maya>Hello\u001d there.\n\n00:00:02.000 --> 00:00:30.000\n<v Priya>${said}\n`,
    ],
    [
      "ep.srt",
      `1\n00:00:01,000 --> 00:00:02,000\nMaya: Hello\u001d there.\n\n2\n00:00:02,000 --> 00:00:30,000\nPriya: ${said}\n`,
    ],
    [
      // A raw control character inside a JSON string is not even JSON; without it, it is.
      "ep.json",
      `[{ "speaker": "Maya", "start": 1, "end": 2, "text": "Hello\u001d there." },\n { "speaker": "Priya", "start": 2, "end": 30, "text": "${said}" }]\n`,
    ],
  ])("%s: imported without the character", (file, source) => {
    expect(source.length).toBeGreaterThan(1000);
    const turns = parseTranscript(source, meta, file);
    expect(turns.map((t) => [t.speaker.name, t.text])).toEqual([
      ["Maya Lindgren", "Hello there."],
      ["Priya Castellanos", said],
    ]);
    // Offsets are into the text as parsed, the file without the character: for plain text, exactly the turn's text.
    if (file === "ep.txt") {
      const parsed = source.replace("\u001d", "");
      expect(turns.map((t) => parsed.slice(t.start, t.end))).toEqual(turns.map((t) => t.text));
    }
  });

  it.each(["ep.txt", "ep.md", "ep.vtt"])(
    "%s: refused as binary when the characters are more than 1 per 1,000",
    (file) => {
      const source =
        file === "ep.vtt"
          ? "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Maya>Hi\u001d.\n"
          : "Maya: Hi\u001d.\n";
      const error = refusal(source, file);
      expect(error.code).toBe("E_TRANSCRIPT_BINARY");
      expect(error.message).toContain("U+001D at column");
      expect(error.message).toContain("1 control character in");
    },
  );
});

describe("a malformed episode in a corpus folder", () => {
  it("strict, fails the build naming the transcript's path and line, and leaves the published index serving", async () => {
    const corpus = await fixtureCorpus(join(root, "corpus"), [GARDEN_12, GARDEN_13, KITCHEN_4]);
    const indexDir = join(root, "index");
    const built = await buildTestIndex(indexDir, { corpusDir: corpus });
    const srt = join(corpus, `${GARDEN_13}.srt`);
    const original = await readFile(srt, "utf8");
    await writeFile(srt, original.replace("00:00:15,000 --> 00:00:21,000", "00:00:15,000 --> 00:00:2x,000"));
    let error: unknown;
    try {
      await buildTestIndex(indexDir, { corpusDir: corpus, strict: true });
    } catch (caught) {
      error = caught;
    }
    expect((error as AppError).code).toBe("E_TRANSCRIPT_TIMESTAMP");
    expect((error as AppError).message).toContain(`${srt}:16:`);
    expect(await readManifest(indexDir)).toEqual(built.manifest);
  });

  it("strict, names the sidecar and the missing field", async () => {
    const corpus = await fixtureCorpus(join(root, "sidecar"), [GARDEN_12, KITCHEN_4]);
    const sidecar = join(corpus, `${KITCHEN_4}.meta.json`);
    const json = JSON.parse(await readFile(sidecar, "utf8")) as Record<string, unknown>;
    delete json.title;
    json.number = "four";
    await writeFile(sidecar, JSON.stringify(json));
    let error: unknown;
    try {
      await buildTestIndex(join(root, "sidecar-index"), { corpusDir: corpus, strict: true });
    } catch (caught) {
      error = caught;
    }
    expect((error as AppError).code).toBe("E_META_INVALID");
    expect((error as AppError).message).toContain(sidecar);
    expect((error as AppError).message).toContain("title:");
    expect((error as AppError).message).toContain("number:");
  });

  it("refuses a sidecar without its transcript, and two transcripts sharing one sidecar", async () => {
    const corpus = await fixtureCorpus(join(root, "pairs"), [GARDEN_12, GARDEN_13]);
    await rm(join(corpus, `${GARDEN_13}.srt`));
    const orphan = await loadCorpus(corpus).catch((error: AppError) => error);
    expect((orphan as AppError).code).toBe("E_TRANSCRIPT_MISSING");
    expect((orphan as AppError).message).toContain(`${GARDEN_13}.meta.json`);

    await writeFile(join(corpus, `${GARDEN_13}.srt`), await readFile(join(EPISODES_DIR, `${GARDEN_13}.srt`)));
    await writeFile(join(corpus, `${GARDEN_13}.vtt`), "WEBVTT\n");
    const twice = await loadCorpus(corpus).catch((error: AppError) => error);
    expect((twice as AppError).code).toBe("E_CORPUS_DUPLICATE");
    expect((twice as AppError).message).toContain(`${GARDEN_13}.srt`);
    expect((twice as AppError).message).toContain(`${GARDEN_13}.vtt`);
  });
});
