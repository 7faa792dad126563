import { blocks, cuesOfBlock, formatError } from "./cue-blocks.js";
import { type TimedCue, turnsFromCues } from "./cues.js";
import { splitLines } from "./lines.js";
import { transcriptText } from "./parse-text.js";
import type { EpisodeMeta, Turn } from "./types.js";

/**
 * Parser for WebVTT captions (`.vtt`). The speaker of a cue is its voice tag
 * (`<v Holly>` or `<v Holly Mesrobian>`) or a `Holly:` at the start of its
 * text; a cue naming nobody continues the previous speaker. NOTE, STYLE and
 * REGION blocks are skipped; markup and cue settings are ignored.
 */
export function parseVttTranscript(raw: string, meta: EpisodeMeta, file: string): Turn[] {
  const source = transcriptText(raw, file);
  const [header, ...rest] = blocks(splitLines(source));
  const first = header?.[0];
  if (!first || !/^WEBVTT(?:[ \t]|$)/.test(first.text)) {
    throw formatError(file, first ?? { text: "", start: 0, number: 1 }, 'a WebVTT file starts with "WEBVTT"');
  }
  if (first.number !== 1)
    throw formatError(file, first, 'a WebVTT file starts with "WEBVTT" on its first line');
  const early = header?.find((line) => line.text.includes("-->"));
  if (early)
    throw formatError(file, early, 'leave a blank line between the "WEBVTT" header and the first cue');
  const cues: TimedCue[] = [];
  // The header block may hold more lines (metadata); a cue cannot start inside it.
  for (const block of rest) {
    const head = block[0];
    if (!head || /^(NOTE(?:[ \t]|$)|STYLE[ \t]*$|REGION[ \t]*$)/.test(head.text)) continue;
    const timingAt = head.text.includes("-->") ? 0 : 1;
    const timing = block[timingAt];
    if (!timing?.text.includes("-->")) {
      throw formatError(
        file,
        timing ?? head,
        'expected a cue timing line like "00:00:01.000 --> 00:00:04.000"',
      );
    }
    cues.push(...cuesOfBlock(timing, block.slice(timingAt + 1), "vtt", meta, file));
  }
  return turnsFromCues(cues, meta, file, "cue");
}
