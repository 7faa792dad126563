import type { Episode, Turn, TurnCue } from "../../corpus/types.js";
import { countWords, splitSentences } from "../analysis/sentences.js";
import type { Passage } from "./passage.js";

export interface ChunkOptions {
  /** A turn longer than this many words is split into windows. Larger windows give
   * more context per quote but blur ranking: one relevant sentence is diluted. */
  maxWords: number;
  /** Sentences shared by neighbouring windows, so an answer spanning a cut is still whole in one. */
  overlapSentences: number;
}

export const DEFAULT_CHUNK_OPTIONS: ChunkOptions = { maxWords: 300, overlapSentences: 2 };

function windows(turn: Turn, options: ChunkOptions): Array<{ start: number; end: number }> {
  if (countWords(turn.text) <= options.maxWords) return [{ start: 0, end: turn.text.length }];
  const sentences = splitSentences(turn.text);
  const result: Array<{ start: number; end: number }> = [];
  let first = 0;
  while (first < sentences.length) {
    let last = first;
    let words = countWords(sentences[first]?.text ?? "");
    while (last + 1 < sentences.length) {
      const nextWords = countWords(sentences[last + 1]?.text ?? "");
      if (words + nextWords > options.maxWords) break;
      words += nextWords;
      last += 1;
    }
    result.push({ start: sentences[first]?.start ?? 0, end: sentences[last]?.end ?? turn.text.length });
    if (last + 1 >= sentences.length) break;
    first = Math.max(first + 1, last + 1 - options.overlapSentences);
  }
  return result;
}

/**
 * Where a window of a turn is in the file and when it was said. Untimed: its
 * exact offsets, and the turn's timestamp (null). Timed: the span of the cues
 * its words come from, and the time of the cue it starts in — the nearest time
 * at or before its first word, so a link to it never starts mid-sentence.
 */
function place(turn: Turn, window: { start: number; end: number }) {
  const cues = turn.cues;
  if (!cues || cues.length === 0) {
    return { start: turn.start + window.start, end: turn.start + window.end, timestamp: turn.timestamp };
  }
  const containing = (offset: number) => {
    let found = cues[0] as TurnCue;
    for (const cue of cues) {
      if (cue.offset > offset) break;
      found = cue;
    }
    return found;
  };
  const first = containing(window.start);
  const last = containing(Math.max(window.start, window.end - 1));
  return { start: first.start, end: last.end, timestamp: first.time };
}

/** One passage per turn; long turns become overlapping windows that keep their turn's identity. */
export function chunkEpisode(episode: Episode, options: ChunkOptions = DEFAULT_CHUNK_OPTIONS): Passage[] {
  const passages: Passage[] = [];
  for (const turn of episode.turns) {
    const previous = turn.index > 0 ? episode.turns[turn.index - 1] : undefined;
    const parts = windows(turn, options);
    parts.forEach((window, part) => {
      passages.push({
        id:
          parts.length === 1
            ? `${episode.meta.id}#${turn.index}`
            : `${episode.meta.id}#${turn.index}.${part}`,
        episodeId: episode.meta.id,
        turnIndex: turn.index,
        part,
        parts: parts.length,
        label: turn.label,
        speaker: turn.speaker,
        text: turn.text.slice(window.start, window.end),
        ...place(turn, window),
        context: previous && previous.speaker.role !== "notes" ? previous.text : "",
      });
    });
  }
  return passages;
}
