import { blocks, cuesOfBlock, formatError } from "./cue-blocks.js";
import { type TimedCue, turnsFromCues } from "./cues.js";
import { splitLines } from "./lines.js";
import { transcriptText } from "./parse-text.js";
import type { EpisodeMeta, Turn } from "./types.js";

/**
 * Parser for SubRip subtitles (`.srt`): numbered blocks of a timing line
 * (`00:01:02,500 --> 00:01:05,000`) and text. The speaker is a `Holly:` at the
 * start of the text (or of a `- Holly:` dialogue line); a block naming nobody
 * continues the previous speaker. The block number is optional.
 */
export function parseSrtTranscript(raw: string, meta: EpisodeMeta, file: string): Turn[] {
  const source = transcriptText(raw, file);
  const cues: TimedCue[] = [];
  for (const block of blocks(splitLines(source))) {
    const head = block[0];
    if (!head) continue;
    const timingAt = /^[ \t]*\d+[ \t]*$/.test(head.text) ? 1 : 0;
    const timing = block[timingAt];
    if (!timing?.text.includes("-->")) {
      throw formatError(
        file,
        timing ?? head,
        'expected a subtitle timing line like "00:00:01,000 --> 00:00:04,000"',
      );
    }
    cues.push(...cuesOfBlock(timing, block.slice(timingAt + 1), "srt", meta, file));
  }
  return turnsFromCues(cues, meta, file, "cue");
}
