import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { checkSummary } from "../llm/check.js";
import type { GroundingSources, SourcePassage } from "../llm/grounding.js";

/**
 * The summary-check test set (test/fixtures/summary-check): model replies written over real
 * passages of the bundled episode, each marked faithful or with the way it is wrong, run
 * through `checkSummary` to count how many of each kind it keeps.
 */

export const SUMMARY_CHECK_KINDS = [
  "faithful",
  "changed_number",
  "swapped_speaker",
  "added_claim",
  "instruction",
] as const;
export type ReplyKind = (typeof SUMMARY_CHECK_KINDS)[number];

/** The passages of one summary request, as retrieved for `question`. */
export interface PassageSet {
  question: string;
  passages: Array<SourcePassage & { role: string }>;
}

/** One model reply: over which passage set, and how it relates to them. */
export interface ReplyCase {
  set: string;
  kind: ReplyKind;
  reply: string;
}

export interface CaseOutcome extends ReplyCase {
  kept: boolean;
  reason?: string;
  detail?: string;
}

export interface SummaryCheckSet {
  sets: Record<string, PassageSet>;
  replies: ReplyCase[];
}

/**
 * The replies files of the set: `replies.jsonl` was written first and the check built against
 * it; `replies-holdout.jsonl` was written before the check was ever run on it, as a fair measure.
 */
export const REPLY_FILES = ["replies.jsonl", "replies-holdout.jsonl"] as const;

/** Reads `passages.json` and one replies file from `dir`. */
export async function readSummaryCheckSet(dir: string, repliesFile: string): Promise<SummaryCheckSet> {
  const sets = JSON.parse(await readFile(join(dir, "passages.json"), "utf8")) as Record<string, PassageSet>;
  const replies = (await readFile(join(dir, repliesFile), "utf8"))
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as ReplyCase);
  for (const reply of replies) {
    if (!sets[reply.set]) throw new Error(`replies.jsonl names an unknown passage set: ${reply.set}`);
    if (!SUMMARY_CHECK_KINDS.includes(reply.kind)) throw new Error(`unknown kind: ${reply.kind}`);
  }
  return { sets, replies };
}

/** Runs every reply through the check, with what the bot would give it besides the passages. */
export function runSummaryCheckSet(
  { sets, replies }: SummaryCheckSet,
  sources: GroundingSources,
): CaseOutcome[] {
  return replies.map((reply) => {
    const passages = sets[reply.set]?.passages ?? [];
    const result = checkSummary(reply.reply, passages, sources);
    return result.ok
      ? { ...reply, kept: true }
      : { ...reply, kept: false, reason: result.reason, detail: result.detail };
  });
}

/** Kept / total per kind. */
export function keptByKind(
  outcomes: readonly CaseOutcome[],
): Record<ReplyKind, { kept: number; total: number }> {
  const counts = Object.fromEntries(
    SUMMARY_CHECK_KINDS.map((kind) => [kind, { kept: 0, total: 0 }]),
  ) as Record<ReplyKind, { kept: number; total: number }>;
  for (const outcome of outcomes) {
    counts[outcome.kind].total += 1;
    if (outcome.kept) counts[outcome.kind].kept += 1;
  }
  return counts;
}
