import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { plainCueText } from "../src/corpus/cue-text.js";
import { loadCorpus } from "../src/corpus/load.js";
import { parseTranscript, TRANSCRIPT_EXTENSIONS } from "../src/corpus/parse.js";
import { parseJsonTranscript } from "../src/corpus/parse-json.js";
import { parseSrtTranscript } from "../src/corpus/parse-srt.js";
import { parseVttTranscript } from "../src/corpus/parse-vtt.js";
import type { EpisodeMeta, Turn } from "../src/corpus/types.js";
import { AppError } from "../src/errors.js";
import { chunkEpisode } from "../src/retrieval/index/chunk.js";
import {
  EPISODES_DIR,
  GARDEN_12,
  GARDEN_13,
  KITCHEN_4,
  KITCHEN_5,
  metaOf,
  transcriptOf,
} from "./archive-fixtures.js";

async function fixture(id: string): Promise<{ file: string; source: string; meta: EpisodeMeta }> {
  const file = await transcriptOf(id);
  return { file, source: await readFile(file, "utf8"), meta: await metaOf(id) };
}

const summary = (turns: Turn[]) => turns.map((t) => [t.label, t.speaker.name, t.timestamp]);

/** Every cue of a timed turn points at its own text in the file, and the turn spans its first..last cue. */
function expectCueOffsets(source: string, turn: Turn, plain: (raw: string) => string): void {
  const cues = turn.cues ?? [];
  expect(cues.length).toBeGreaterThan(0);
  expect(turn.start).toBe(cues[0]?.start);
  expect(turn.end).toBe(cues.at(-1)?.end);
  for (const [i, cue] of cues.entries()) {
    const next = cues[i + 1]?.offset ?? turn.text.length + 1;
    expect(plain(source.slice(cue.start, cue.end))).toBe(turn.text.slice(cue.offset, next - 1));
  }
}

describe("WebVTT transcripts", async () => {
  const { file, source, meta } = await fixture(GARDEN_12);
  const turns = parseVttTranscript(source, meta, file);

  it("joins consecutive cues of one speaker into a turn timed by its first cue", () => {
    expect(summary(turns)).toEqual([
      ["Maya", "Maya Lindgren", 1],
      ["Tomas", "Tomas Oyelaran", 11.2],
      ["Maya", "Maya Lindgren", 24.5],
      ["Tomas", "Tomas Oyelaran", 62],
      ["Maya", "Maya Lindgren", 3723],
      ["Tomas", "Tomas Oyelaran", 3728.5],
    ]);
    expect(turns.map((t) => t.index)).toEqual([0, 1, 2, 3, 4, 5]);
    // A cue without a voice tag continues the speaker before it.
    expect(turns[1]?.text).toBe(
      "My grandmother kept a heap behind the shed. She said a good heap smells like a forest floor, never like a bin. " +
        "When I moved to the city I missed it, so I started a worm bin under the kitchen sink. Red wigglers eat half their weight every day.",
    );
    expect(turns[1]?.cues?.map((c) => c.time)).toEqual([11.2, 18]);
  });

  it("knows speakers by label or full name; drops voice tags, markup, cue ids, settings, NOTE and the header", () => {
    expect(turns[3]?.text).toContain("add cardboard & dry leaves");
    expect(turns[3]?.text).toContain("and never in the rainy months.");
    const all = turns.map((t) => t.text).join(" ");
    for (const noise of ["<v", "<i>", "&amp;", "-->", "intro-1", "align:", "NOTE", "Kind:", "WEBVTT"]) {
      expect(all).not.toContain(noise);
    }
  });

  it("keeps offsets into the file: the span of the turn's first..last cue text", () => {
    for (const turn of turns) expectCueOffsets(source, turn, plainCueText);
    expect(source.slice(turns[2]?.start, turns[2]?.end)).toBe("What goes wrong most often for beginners?");
  });

  it("reads several voices in one cue as turns with the cue's time", () => {
    const vtt =
      "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Maya>Ready?</v> <v Tomas>Ready.</v>\n\n" +
      "00:00:03.000 --> 00:00:04.000\nLet's go.\n";
    const parsed = parseVttTranscript(vtt, meta, "two-voices.vtt");
    expect(parsed.map((t) => [t.label, t.text, t.timestamp])).toEqual([
      ["Maya", "Ready?", 1],
      ["Tomas", "Ready. Let's go.", 1],
    ]);
  });

  it("accepts a `Name:` prefix instead of a voice tag, and a byte-order mark with Windows line ends", () => {
    const vtt = "\ufeffWEBVTT\r\n\r\n00:01.000 --> 00:02.500\r\nTomas: Hello there.\r\n";
    const [turn] = parseVttTranscript(vtt, meta, "prefix.vtt");
    expect(turn).toMatchObject({ label: "Tomas", text: "Hello there.", timestamp: 1 });
    expect(vtt.slice(turn?.start, turn?.end)).toBe("Hello there.");
  });
});

describe("SRT transcripts", async () => {
  const { file, source, meta } = await fixture(GARDEN_13);
  const turns = parseSrtTranscript(source, meta, file);

  it("joins consecutive blocks of one speaker into a turn timed by its first block", () => {
    expect(summary(turns)).toEqual([
      ["Maya", "Maya Lindgren", 0.5],
      ["Priya", "Priya Castellanos", 9.5],
      ["Maya", "Maya Lindgren", 21.5],
      ["Priya", "Priya Castellanos", 21.5],
      ["Maya", "Maya Lindgren", 130],
    ]);
    expect(turns[1]?.text).toBe(
      "Because the city is full of flowers. Lime trees, window boxes, the railway embankments. " +
        "My hive makes more honey than my cousin's in the country. The bees fly three kilometres without a second thought.",
    );
  });

  it("splits `- Name:` dialogue lines of one block, and reads labels written in capitals", () => {
    expect(turns[2]?.text).toBe("And watering?");
    expect(turns[3]?.text).toMatch(/^A shallow dish with pebbles\. Bees drown in deep water/);
    expect(turns[3]?.cues?.map((c) => c.time)).toEqual([21.5, 25.5]);
    expect(turns[4]?.text).toBe("Priya Castellanos, thank you.");
    expect(turns.map((t) => t.text).join(" ")).not.toMatch(/Maya:|Priya:|MAYA:|-->/);
  });

  it("keeps offsets into the file: the span of the turn's first..last block text", () => {
    for (const turn of turns) expectCueOffsets(source, turn, plainCueText);
  });
});

describe("JSON segment transcripts", async () => {
  const { file, source, meta } = await fixture(KITCHEN_4);
  const turns = parseJsonTranscript(source, meta, file);

  it("joins consecutive segments of one speaker into a turn timed by its first segment", () => {
    expect(summary(turns)).toEqual([
      ["Ola", "Ola Brandvik", 0],
      ["Kenji", "Kenji Albright", 8.5],
      ["Ola", "Ola Brandvik", 20],
      ["Kenji", "Kenji Albright", 23.5],
      ["Ola", "Ola Brandvik", 95],
    ]);
    // "Kenji Albright" (full name) and "Kenji" (label) are one speaker; "\n" in a text is a space.
    expect(turns[1]?.text).toBe(
      "Hi Ola. I start the levain at nine in the evening, and by three in the morning it has doubled. " +
        "Then I mix the dough with water at exactly twenty-six degrees.",
    );
  });

  it("points a turn's offsets at its first and last `text` strings, inside the quotes", () => {
    for (const turn of turns) {
      expectCueOffsets(source, turn, (raw) => (JSON.parse(`"${raw}"`) as string).replace(/\s+/g, " "));
    }
    expect(source.slice(turns[2]?.start, turns[2]?.end)).toBe("Why that temperature?");
  });

  it("accepts a bare array of segments as well as { segments: [...] }", () => {
    const bare = JSON.stringify([{ speaker: "Ola", start: 1, end: 2, text: "Hello." }]);
    expect(parseJsonTranscript(bare, meta, "bare.json").map((t) => [t.label, t.text, t.timestamp])).toEqual([
      ["Ola", "Hello.", 1],
    ]);
  });
});

describe("the format dispatcher and a folder of many episodes", () => {
  it("picks the parser by extension and refuses an unknown one", async () => {
    expect(TRANSCRIPT_EXTENSIONS.sort()).toEqual([".json", ".md", ".srt", ".txt", ".vtt"]);
    const { file, source, meta } = await fixture(GARDEN_13);
    expect(parseTranscript(source, meta, file)).toEqual(parseSrtTranscript(source, meta, file));
    let error: unknown;
    try {
      parseTranscript(source, meta, "episode.ass");
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("E_TRANSCRIPT_FORMAT");
    expect((error as AppError).message).toContain("episode.ass");
  });

  it("loads every episode of the folder, whatever its format; a plain transcript stays untimed", async () => {
    const corpus = await loadCorpus(EPISODES_DIR);
    expect(corpus.episodes.map((e) => e.meta.id)).toEqual([GARDEN_12, GARDEN_13, KITCHEN_4, KITCHEN_5]);
    const untimed = corpus.episodes.find((e) => e.meta.id === KITCHEN_5);
    expect(untimed?.turns.length).toBe(4);
    for (const turn of untimed?.turns ?? []) {
      expect(turn.timestamp).toBeNull();
      expect(turn.cues).toBeUndefined();
    }
    for (const episode of corpus.episodes.filter((e) => e.meta.id !== KITCHEN_5)) {
      expect(episode.turns.every((t) => typeof t.timestamp === "number")).toBe(true);
    }
  });
});

describe("chunking timed turns", async () => {
  const corpus = await loadCorpus(EPISODES_DIR);
  const episode = corpus.episodes.find((e) => e.meta.id === GARDEN_12);
  if (!episode) throw new Error("fixture missing");
  const source = await readFile(episode.file, "utf8");
  const small = { maxWords: 12, overlapSentences: 1 };
  const passages = chunkEpisode(episode, small);

  it("times each window of a long turn by the cue it starts in, not by the turn", () => {
    const watering = passages.find((p) => p.text.startsWith("Watering is the thing people overdo."));
    expect(watering).toMatchObject({ turnIndex: 3, timestamp: 69.5 });
    const sponge = passages.find((p) => p.text.startsWith("If it drips"));
    expect(sponge).toMatchObject({ turnIndex: 3, timestamp: 62 });
    expect(passages.filter((p) => p.turnIndex === 3).length).toBeGreaterThan(2);
  });

  it("gives every window the time of a cue of its turn at or before its first word, and the span of its cues", () => {
    for (const passage of passages) {
      const turn = episode.turns[passage.turnIndex] as Turn;
      const cues = turn.cues ?? [];
      const at = turn.text.indexOf(passage.text);
      const containing = cues.filter((c) => c.offset <= at).at(-1);
      expect(passage.timestamp).toBe(containing?.time);
      expect(passage.start).toBe(containing?.start);
      expect(plainCueText(source.slice(passage.start, passage.end))).toContain(passage.text.split(" ")[0]);
    }
  });

  it("leaves untimed passages untimed, with exact offsets", async () => {
    const plain = corpus.episodes.find((e) => e.meta.id === KITCHEN_5);
    if (!plain) throw new Error("fixture missing");
    const text = await readFile(plain.file, "utf8");
    for (const passage of chunkEpisode(plain, small)) {
      expect(passage.timestamp).toBeNull();
      expect(text.slice(passage.start, passage.end)).toBe(passage.text);
    }
  });
});
