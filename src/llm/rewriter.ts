import type { Logger } from "../logger.js";
import type { LlmCaller } from "./caller.js";
import { withDeadline } from "./deadline.js";
import { rewriteMessages } from "./prompts.js";
import { stripUnsafe } from "./sanitize.js";
import type { LlmStats } from "./stats.js";
import type { Rewriter } from "./types.js";

export interface RewriterOptions {
  caller: LlmCaller;
  stats: LlmStats;
  log: Logger;
  /** Deadline of one rewrite; keep it well under the summary's, both wait on one question. */
  timeoutMs: number;
}

export const REWRITE_MAX_TOKENS = 80;
/** Earlier questions shown to the model; the most recent ones are what a follow-up leans on. */
const EARLIER_SHOWN = 3;
const MAX_WORDS = 40;

function contentWords(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu) ?? []);
}

/**
 * The model's rewrite, cleaned, or undefined when it is not a plausible
 * standalone version of the follow-up: empty, too long, or sharing no word
 * with the conversation (then it answers or invents rather than rewrites).
 */
export function cleanRewrite(raw: string, followUp: string, earlier: readonly string[]): string | undefined {
  const line = raw.split(/\r?\n/).find((l) => l.trim() !== "") ?? "";
  const text = stripUnsafe(line)
    .replace(/^(?:standalone question|rewritten question|question)\s*:\s*/i, "")
    .replace(/^["'“‘]+|["'”’]+$/g, "")
    .trim();
  const words = text.split(/\s+/).filter(Boolean);
  if (words.length < 2 || words.length > MAX_WORDS) return undefined;
  const known = contentWords([followUp, ...earlier].join(" "));
  return [...contentWords(text)].some((w) => known.has(w)) ? text : undefined;
}

/** The follow-up rewrite: one chat call, its reply cleaned and checked. */
export function createRewriter(options: RewriterOptions): Rewriter {
  const { caller, stats, log } = options;
  return {
    async rewrite(followUp, earlier, signal, user) {
      const shown = earlier.slice(-EARLIER_SHOWN);
      const outcome = await caller.complete({
        purpose: "rewrite",
        messages: rewriteMessages(followUp, shown),
        maxTokens: REWRITE_MAX_TOKENS,
        user,
        signal: withDeadline(signal, options.timeoutMs),
      });
      if (!outcome.ok) return undefined;
      const standalone = cleanRewrite(outcome.text, followUp, shown);
      if (standalone === undefined) {
        stats.rewrites.rejected += 1;
        log.warn("LLM rewrite of a follow-up rejected: using the question as merged offline");
        return undefined;
      }
      stats.rewrites.used += 1;
      log.debug({ followUp, standalone }, "follow-up rewritten");
      return standalone;
    },
  };
}
