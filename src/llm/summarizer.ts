import type { Logger } from "../logger.js";
import type { LlmCaller } from "./caller.js";
import { checkSummary, MAX_SUMMARY_CHARS } from "./check.js";
import { withDeadline } from "./deadline.js";
import { MAX_PROMPT_PASSAGES, NOT_ANSWERED, summaryMessages } from "./prompts.js";
import { stripUnsafe } from "./sanitize.js";
import type { LlmStats } from "./stats.js";
import type { Summarizer, Summary } from "./types.js";

export interface SummarizerOptions {
  caller: LlmCaller;
  stats: LlmStats;
  log: Logger;
  /** Deadline of one summary, retry included. */
  timeoutMs: number;
  /** Bound on the reply's length and cost; two to four sentences fit well within it. */
  maxTokens?: number;
}

export const SUMMARY_MAX_TOKENS = 300;

// A model that ignores the NOT_ANSWERED convention but says so in words, without citing anything.
const SAYS_NOT_ANSWERED =
  /\b(?:passages?|episode|transcripts?|excerpts?)\s+(?:do|does|did)\s*(?:not|n't)\s+(?:answer|say|mention|cover|address|state|discuss)/i;

function notAnswered(text: string): boolean {
  if (text.toUpperCase().includes(NOT_ANSWERED)) return true;
  return SAYS_NOT_ANSWERED.test(text) && !/\[\s*\d/.test(text);
}

/**
 * What of a summary still being written may be shown: whole words only (a
 * half-written link or mention is not yet recognisable), stripped like the
 * final text, and nothing while it may still turn out to be NOT_ANSWERED.
 */
export function showablePartial(soFar: string): string | undefined {
  const head = soFar.trimStart().toUpperCase();
  if (head.includes(NOT_ANSWERED) || NOT_ANSWERED.startsWith(head)) return undefined;
  const end = soFar.search(/\s\S*$/);
  if (end <= 0) return undefined;
  const text = stripUnsafe(soFar.slice(0, end)).slice(0, MAX_SUMMARY_CHARS);
  return text === "" ? undefined : text;
}

/** The grounded summary: one chat call, then the plain-code checks of check.ts. */
export function createSummarizer(options: SummarizerOptions): Summarizer {
  const { caller, stats, log } = options;
  return {
    async summarize(question, passages, signal, { user, onPartial, grounding } = {}): Promise<Summary> {
      const given = passages.slice(0, MAX_PROMPT_PASSAGES);
      if (given.length === 0) return { kind: "none", reason: "no_passages" };
      let shown = "";
      const outcome = await caller.complete({
        purpose: "summary",
        messages: summaryMessages(question, given),
        maxTokens: options.maxTokens ?? SUMMARY_MAX_TOKENS,
        user,
        signal: withDeadline(signal, options.timeoutMs),
        onText: onPartial
          ? (soFar) => {
              const text = showablePartial(soFar);
              if (text === undefined || text === shown) return;
              shown = text;
              onPartial(text);
            }
          : undefined,
      });
      if (!outcome.ok) return { kind: "none", reason: outcome.reason };
      if (notAnswered(outcome.text)) {
        stats.summaries.not_answered += 1;
        log.info("LLM: the passages do not answer the question");
        return { kind: "not_answered" };
      }
      const check = checkSummary(outcome.text, given, grounding);
      if (!check.ok) {
        stats.summaries[check.reason] += 1;
        log.warn(
          { reason: check.reason },
          "LLM summary dropped: it failed a check; answering with quotes alone",
        );
        log.debug({ output: outcome.text, detail: check.detail }, "the dropped summary");
        return { kind: "none", reason: check.reason };
      }
      stats.summaries.kept += 1;
      return { kind: "summary", text: check.text, cited: check.cited };
    },
  };
}
