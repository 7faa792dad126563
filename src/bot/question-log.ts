import { createHmac, randomBytes } from "node:crypto";
import type { Answer, StreamingAsk, StreamingAskInput } from "../answer/types.js";
import { describeError } from "../errors.js";
import type { Logger } from "../logger.js";

/** What became of one question: the answer's status, a limit, or an error. */
export type QuestionOutcome = Answer["status"] | "rate_limited" | "busy" | "error";

/** One question as logs and metrics see it: no text, no user id. */
export interface QuestionRecord {
  platform: string;
  outcome: QuestionOutcome;
  seconds: number;
  /** Whether an LLM summary was kept. */
  summary: boolean;
}

export interface QuestionLogOptions {
  log: Logger;
  /** Called once per question, after its line is written (metrics). */
  onQuestion?: (record: QuestionRecord) => void;
  /** Key of the user hash; default a random one per process. */
  hashKey?: Buffer;
  /**
   * Questions whose line is written at debug level instead of info, e.g. the
   * terminal chat, where the person already sees the answer and a log line
   * between answers would only be in the way.
   */
  quiet?: (input: StreamingAskInput) => boolean;
}

/** Longest question text written at debug level. */
const DEBUG_TEXT_CHARS = 300;

export function outcomeOf(answer: Answer): QuestionOutcome {
  if (answer.limited === "rate") return "rate_limited";
  if (answer.limited === "busy") return "busy";
  return answer.status;
}

/**
 * Wraps `ask` so every question leaves exactly one log line: platform, user
 * (a keyed hash: one person's questions can be followed within a run, but not
 * traced back to an id), latency, outcome and passage ids. The question text
 * (and the raw user id) is added only at debug level.
 */
export function logQuestions(ask: StreamingAsk, options: QuestionLogOptions): StreamingAsk {
  const key = options.hashKey ?? randomBytes(16);
  const log = options.log.child({ component: "questions" });
  const userHash = (platform: string, user: string | undefined) =>
    user === undefined
      ? undefined
      : `u_${createHmac("sha256", key).update(`${platform}:${user}`).digest("hex").slice(0, 12)}`;

  return async (input: StreamingAskInput): Promise<Answer> => {
    const started = performance.now();
    const platform = input.platform ?? "unknown";
    const debug = log.isLevelEnabled("debug")
      ? { question: input.text.slice(0, DEBUG_TEXT_CHARS), userId: input.user }
      : {};
    const finish = (outcome: QuestionOutcome, fields: Record<string, unknown>, summary = false) => {
      const seconds = (performance.now() - started) / 1000;
      const line = {
        platform,
        user: userHash(platform, input.user),
        ms: Math.round(seconds * 1000),
        status: outcome,
        ...fields,
        ...debug,
      };
      if (outcome === "error") log.error(line, "question failed");
      else if (options.quiet?.(input)) log.debug(line, "question");
      else log.info(line, "question");
      options.onQuestion?.({ platform, outcome, seconds, summary });
    };
    try {
      const answer = await ask(input);
      finish(outcomeOf(answer), { passages: answer.passages.map((p) => p.id) }, answer.summary !== undefined);
      return answer;
    } catch (error) {
      finish("error", { err: describeError(error) });
      throw error;
    }
  };
}
