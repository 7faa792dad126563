import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadCorpus } from "../src/corpus/load.js";
import type { Episode, EpisodeMeta, Turn } from "../src/corpus/types.js";
import { countWords, splitSentences } from "../src/retrieval/analysis/sentences.js";
import { type ChunkOptions, chunkEpisode, DEFAULT_CHUNK_OPTIONS } from "../src/retrieval/index/chunk.js";
import type { Passage } from "../src/retrieval/index/passage.js";
import { CORPUS_DIR, EPISODE_ID, TRANSCRIPT } from "./helpers/index-fixtures.js";

const source = readFileSync(TRANSCRIPT, "utf8");
const { episodes } = await loadCorpus(CORPUS_DIR);
const episode = episodes[0] as Episode;
const passages = chunkEpisode(episode);

function byTurn(list: Passage[]): Map<number, Passage[]> {
  const map = new Map<number, Passage[]>();
  for (const p of list) map.set(p.turnIndex, [...(map.get(p.turnIndex) ?? []), p]);
  return map;
}

/** A small synthetic episode, so window sizes can be checked against hand-counted sentences. */
function syntheticEpisode(turnTexts: Array<[label: "Jeremy" | "Holly", text: string]>): {
  episode: Episode;
  text: string;
} {
  const meta: EpisodeMeta = {
    id: "test-ep",
    show: "Test",
    number: 1,
    title: "Test",
    url: "https://example.com/",
    published: null,
    speakers: {
      Jeremy: { name: "Jeremy Daly", role: "host" },
      Holly: { name: "Holly Mesrobian", role: "guest" },
    },
  };
  let text = "";
  const turns: Turn[] = turnTexts.map(([label, body], index) => {
    text += `${label}: `;
    const start = text.length;
    text += `${body}\n\n`;
    const speaker = meta.speakers[label] as Turn["speaker"];
    return { index, label, speaker, text: body, start, end: start + body.length, timestamp: null };
  });
  return { episode: { meta, file: "test.txt", turns }, text };
}

describe("chunkEpisode on the bundled episode", () => {
  it("covers every turn, in order, with offsets that point at each passage's text in the file", () => {
    expect(new Set(passages.map((p) => p.turnIndex))).toEqual(new Set(episode.turns.map((t) => t.index)));
    for (const p of passages) {
      expect(source.slice(p.start, p.end)).toBe(p.text);
      expect(p.episodeId).toBe(EPISODE_ID);
    }
    expect(new Set(passages.map((p) => p.id)).size).toBe(passages.length);
  });

  it("keeps a short turn whole, as one passage named after its turn", () => {
    const turn = episode.turns.find((t) => t.text === "Hi, thank you for inviting me.") as Turn;
    const parts = passages.filter((p) => p.turnIndex === turn.index);
    expect(parts).toHaveLength(1);
    expect(parts[0]).toMatchObject({
      id: `${EPISODE_ID}#${turn.index}`,
      part: 0,
      parts: 1,
      label: "Holly",
      speaker: { name: "Holly Mesrobian", role: "guest" },
      text: turn.text,
      start: turn.start,
      end: turn.end,
      timestamp: null,
    });
    for (const t of episode.turns.filter((t) => countWords(t.text) <= DEFAULT_CHUNK_OPTIONS.maxWords)) {
      expect(passages.filter((p) => p.turnIndex === t.index).map((p) => p.text)).toEqual([t.text]);
    }
  });

  // The last column: turns of the episode long enough to be split at least this often (2, 29 and
  // 17 when written), so the checks below run on real windows in every case.
  it.each([
    ["the defaults", DEFAULT_CHUNK_OPTIONS, 1],
    ["small windows", { maxWords: 80, overlapSentences: 1 }, 5],
    ["a wider overlap", { maxWords: 120, overlapSentences: 2 }, 5],
  ] as Array<[string, ChunkOptions, number]>)(
    "splits long turns into overlapping windows on sentence boundaries (%s)",
    (_, options, splitTurns) => {
      const chunked = chunkEpisode(episode, options);
      for (const p of chunked) expect(source.slice(p.start, p.end)).toBe(p.text);
      const long = [...byTurn(chunked)].filter(([, parts]) => parts.length > 1);
      expect(long.length).toBeGreaterThanOrEqual(splitTurns);
      for (const [turnIndex, parts] of long) {
        const turn = episode.turns[turnIndex] as Turn;
        expect(countWords(turn.text)).toBeGreaterThan(options.maxWords);
        const sentenceStarts = new Set(splitSentences(turn.text).map((s) => turn.start + s.start));
        const sentenceEnds = new Set(splitSentences(turn.text).map((s) => turn.start + s.end));
        expect(parts[0]?.start).toBe(turn.start);
        expect(parts.at(-1)?.end).toBe(turn.end);
        parts.forEach((p, i) => {
          expect(p.id).toBe(`${EPISODE_ID}#${turnIndex}.${i}`);
          expect(p).toMatchObject({ part: i, parts: parts.length, label: turn.label, speaker: turn.speaker });
          expect(sentenceStarts.has(p.start)).toBe(true);
          expect(sentenceEnds.has(p.end)).toBe(true);
          // A window only exceeds the limit when one sentence alone does.
          const own = splitSentences(p.text);
          if (own.length > 1) expect(countWords(p.text)).toBeLessThanOrEqual(options.maxWords);
          const next = parts[i + 1];
          if (next) {
            // Neighbours share the overlap sentences (fewer only when the window is that short).
            const shared = own.filter((s) => p.start + s.start >= next.start);
            expect(shared).toHaveLength(Math.min(options.overlapSentences, own.length - 1));
            expect(next.text.startsWith(p.text.slice(next.start - p.start))).toBe(true);
            expect(sentenceStarts.has(next.start)).toBe(true);
          }
        });
      }
    },
  );

  it("gives each passage the previous turn's text as context, and none to the first or after the notes", () => {
    for (const p of passages) {
      const previous = episode.turns[p.turnIndex - 1];
      const expected = previous && previous.speaker.role !== "notes" ? previous.text : "";
      expect(p.context).toBe(expected);
    }
    const bio = passages.find((p) => p.speaker.role === "notes") as Passage;
    expect(bio.context).toBe("");
    const firstSpoken = passages.find((p) => p.turnIndex === 1) as Passage;
    expect(firstSpoken.text).toMatch(/^Hi everyone\./);
    expect(firstSpoken.context).toBe("");
    const holly = passages.find((p) => p.text.startsWith("Absolutely. Engineering leaders")) as Passage;
    expect(holly.context).toMatch(/^You are the director of engineering for AWS Lambda/);
  });
});

describe("chunkEpisode window arithmetic", () => {
  const sentences = Array.from({ length: 7 }, (_, i) => `Sentence ${i + 1} has five words.`);
  const { episode: synthetic, text } = syntheticEpisode([
    ["Jeremy", "Tell me about it?"],
    ["Holly", sentences.join(" ")],
  ]);

  it("packs as many whole sentences as fit, repeating one sentence between windows", () => {
    const parts = chunkEpisode(synthetic, { maxWords: 15, overlapSentences: 1 }).filter(
      (p) => p.turnIndex === 1,
    );
    expect(parts.map((p) => p.text)).toEqual([
      sentences.slice(0, 3).join(" "),
      sentences.slice(2, 5).join(" "),
      sentences.slice(4, 7).join(" "),
    ]);
    for (const p of parts) {
      expect(text.slice(p.start, p.end)).toBe(p.text);
      expect(p.context).toBe("Tell me about it?");
    }
  });

  it("makes disjoint windows with no overlap, and always progresses when the overlap is large", () => {
    const disjoint = chunkEpisode(synthetic, { maxWords: 10, overlapSentences: 0 }).filter(
      (p) => p.turnIndex === 1,
    );
    expect(disjoint.map((p) => p.text)).toEqual([
      sentences.slice(0, 2).join(" "),
      sentences.slice(2, 4).join(" "),
      sentences.slice(4, 6).join(" "),
      sentences[6],
    ]);
    const greedy = chunkEpisode(synthetic, { maxWords: 10, overlapSentences: 5 }).filter(
      (p) => p.turnIndex === 1,
    );
    expect(greedy.map((p) => p.text)).toEqual(
      sentences.slice(0, 6).map((s, i) => `${s} ${sentences[i + 1]}`),
    );
  });

  it("keeps a single over-long sentence whole rather than cutting it mid-sentence", () => {
    const rambling = `${"word ".repeat(40).trim()}. Short one.`;
    const { episode: ep } = syntheticEpisode([["Holly", rambling]]);
    const parts = chunkEpisode(ep, { maxWords: 10, overlapSentences: 1 });
    expect(parts.map((p) => p.text)).toEqual([`${"word ".repeat(40).trim()}.`, "Short one."]);
  });
});
