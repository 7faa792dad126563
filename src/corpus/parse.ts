import { extname } from "node:path";
import { AppError } from "../errors.js";
import { parseJsonTranscript } from "./parse-json.js";
import { parseMarkdownTranscript } from "./parse-md.js";
import { parseSrtTranscript } from "./parse-srt.js";
import { parseTextTranscript } from "./parse-text.js";
import { parseVttTranscript } from "./parse-vtt.js";
import type { EpisodeMeta, Turn } from "./types.js";

export type TranscriptParser = (source: string, meta: EpisodeMeta, file: string) => Turn[];

/** Transcript formats by file extension: plain `Name: text`, WebVTT, SRT, JSON segments and Markdown. */
export const TRANSCRIPT_PARSERS: Readonly<Record<string, TranscriptParser>> = {
  ".txt": parseTextTranscript,
  ".vtt": parseVttTranscript,
  ".srt": parseSrtTranscript,
  ".json": parseJsonTranscript,
  ".md": parseMarkdownTranscript,
};

/**
 * Changes whenever the readers above read the same bytes differently (a parser fix, a new title
 * rule): an index built by other readers is built again from the transcripts, since what it keeps
 * is what those readers made of them.
 */
export const READERS_VERSION =
  "2: stray control characters removed, code spans keep their space, initialisms in titles";

/** Extensions a transcript may have. */
export const TRANSCRIPT_EXTENSIONS = Object.keys(TRANSCRIPT_PARSERS);

/** Parses a transcript with the parser its file extension names. */
export function parseTranscript(source: string, meta: EpisodeMeta, file: string): Turn[] {
  const parser = TRANSCRIPT_PARSERS[extname(file).toLowerCase()];
  if (!parser) {
    throw new AppError(
      "E_TRANSCRIPT_FORMAT",
      `${file}: unknown transcript format "${extname(file)}"; use one of ${TRANSCRIPT_EXTENSIONS.join(", ")}.`,
    );
  }
  return parser(source, meta, file);
}
