import type { Speaker } from "../../corpus/types.js";

/** The unit of retrieval: a speaker turn, or a window of sentences of a long turn. */
export interface Passage {
  /** `${episodeId}#${turnIndex}` or `${episodeId}#${turnIndex}.${part}` for a window of a long turn. */
  id: string;
  episodeId: string;
  turnIndex: number;
  /** 0-based window number within the turn, and how many windows the turn has. */
  part: number;
  parts: number;
  /** Transcript label ("Holly"), or "notes". */
  label: string;
  speaker: Speaker;
  text: string;
  /** Offsets in the episode's transcript file. */
  start: number;
  end: number;
  timestamp: number | null;
  /** Text of the turn before (the question an answer replies to), or "" for the first turn. */
  context: string;
  /** Known for a passage loaded from an index: whether its text ends with a question (`endsWithQuestion`). */
  endsWithQuestion?: boolean;
  /** Known for a passage loaded from an index: the words of its text (runs of non-space characters). */
  wordCount?: number;
}
