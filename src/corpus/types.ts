export type SpeakerRole = "host" | "guest" | "notes";

export interface Speaker {
  name: string;
  role: SpeakerRole;
  /** Optional, e.g. "she/her", so a question about "her" can find this speaker. */
  pronouns?: string;
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
}

/** One speaker turn (or the episode notes) with its place in the source file. */
export interface Turn {
  /** 0-based position among the episode's turns. */
  index: number;
  /** Label as written in the transcript ("Holly"), or "notes" for the episode notes. */
  label: string;
  speaker: Speaker;
  text: string;
  /** Character offsets into the source file: source.slice(start, end) === text. */
  start: number;
  end: number;
  /** Seconds from the start of the recording, or null for an untimed transcript. */
  timestamp: number | null;
}

export interface Episode {
  meta: EpisodeMeta;
  /** Path of the transcript file, as given to the parser. */
  file: string;
  turns: Turn[];
}
