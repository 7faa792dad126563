export type SpeakerRole = "host" | "guest" | "notes";

export interface Speaker {
  name: string;
  role: SpeakerRole;
  /** Optional, e.g. "she/her", so a question about "her" can find this speaker. */
  pronouns?: string;
  /** Names they introduce themselves by besides their own ("I'm Kball"), from a Markdown episode's opening. */
  calledBy?: string[];
}

/** The sidecar `NAME.meta.json` of one episode. */
export interface EpisodeMeta {
  id: string;
  show: string;
  number: number;
  title: string;
  url: string;
  /** ISO date, or null when unknown. */
  published: string | null;
  /** Transcript label (e.g. "Holly") -> who that is. */
  speakers: Record<string, Speaker>;
  /**
   * The show folder of the corpus the episode was read from (`gotime`); absent for an episode in
   * the corpus folder itself. Set when the corpus is read, never by a sidecar.
   */
  folder?: string;
}

/** One cue (subtitle) of a timed turn: when it was said and where it is. */
export interface TurnCue {
  /** Where the cue's words begin in the turn's `text`. */
  offset: number;
  /** Seconds from the start of the recording. */
  time: number;
  /** Character offsets of the cue's text in the source file (see `Turn.start`). */
  start: number;
  end: number;
}

/** One speaker turn (or the episode notes) with its place in the source file. */
export interface Turn {
  /** 0-based position among the episode's turns. */
  index: number;
  /** Label as written in the transcript ("Holly"), or "notes" for the episode notes. */
  label: string;
  speaker: Speaker;
  text: string;
  /**
   * Character offsets into the source file. Plain text: source.slice(start, end) === text.
   * WebVTT and SRT: from the first cue's text to the end of the last cue's text (the timing
   * lines between are inside the span; `text` joins the cues' words with single spaces).
   * JSON: from the first segment's `"text"` string to the end of the last one's, inside the quotes.
   * Every format: offsets into the text the parser read, which is the file without its stray control
   * characters (`transcriptText`): the file itself, unless the build lists it as repaired.
   */
  start: number;
  end: number;
  /** Seconds from the start of the recording (the first cue's start), or null for an untimed transcript. */
  timestamp: number | null;
  /** Timed transcripts: the cues the turn was joined from, in order, so a part of it keeps its own time. */
  cues?: TurnCue[];
}

export interface Episode {
  meta: EpisodeMeta;
  /** Path of the transcript file, as given to the parser. */
  file: string;
  turns: Turn[];
}
