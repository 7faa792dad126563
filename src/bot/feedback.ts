import { appendFile, mkdir } from "node:fs/promises";
import { dirname } from "node:path";

/** A 👍 or 👎 on one answer. */
export type Vote = "up" | "down";

/** One line of the feedback log: who judged which answer to which question, and how. */
export interface FeedbackEntry {
  /** Where the vote came from ("slack", "discord"). */
  platform: string;
  /** Platform user id of the voter. */
  user: string;
  /** The question as the asker typed it (plain text). */
  question: string;
  /** Conversation id the answer belonged to, when there was one. */
  conversation?: string;
  /** Ids of the passages the voter was shown. */
  passages: string[];
  vote: Vote;
}

/** Appends votes to a JSON Lines file; shared by the chat adapters. */
export interface FeedbackLog {
  /** Writes one line (with the current time); rejects when the file cannot be written. */
  record(entry: FeedbackEntry): Promise<void>;
}

/**
 * A feedback log at `path` (JSON Lines: one object per line, `time` first).
 * Writes are queued so lines never interleave, and the folder is created on the
 * first write. The file is created readable by its owner only: it holds user ids
 * and questions.
 */
export function createFeedbackLog(path: string, now: () => Date = () => new Date()): FeedbackLog {
  let queue: Promise<unknown> = Promise.resolve();
  let folderReady = false;
  return {
    record(entry: FeedbackEntry): Promise<void> {
      const line = `${JSON.stringify({ time: now().toISOString(), ...entry })}\n`;
      const write = queue.then(async () => {
        if (!folderReady) {
          await mkdir(dirname(path), { recursive: true });
          folderReady = true;
        }
        await appendFile(path, line, { encoding: "utf8", mode: 0o600 });
      });
      // A failed write must not block the ones after it.
      queue = write.catch(() => undefined);
      return write;
    },
  };
}
