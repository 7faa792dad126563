import { AppError, isAppError } from "../errors.js";

/** A file of the corpus that a build left out, and why: listed in the build's summary, never silent. */
export interface CorpusProblem {
  /** The file at fault: a transcript, a sidecar, a `show.json` or a folder. */
  file: string;
  /** 1-based line, when the problem is on one. */
  line: number | null;
  /** The error code (see AppError), e.g. E_TRANSCRIPT_TIMESTAMP. */
  code: string;
  /** What is wrong and what to do, without the file and line. */
  reason: string;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The problem an error is about. Every corpus error's message starts with
 * `FILE:LINE: ` or `FILE: `, which is where the line comes from; an error
 * that is not an AppError is a bug in a parser, reported as such.
 */
export function problemOf(error: unknown, file: string): CorpusProblem {
  if (!isAppError(error)) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      file,
      line: null,
      code: "E_TRANSCRIPT_UNEXPECTED",
      reason: `the parser failed unexpectedly (${message}). This is a bug: please report it with the file.`,
    };
  }
  const match = new RegExp(`^${escapeRegExp(file)}(?::(\\d+))?: `).exec(error.message);
  return {
    file,
    line: match?.[1] ? Number(match[1]) : null,
    code: error.code,
    reason: match ? error.message.slice(match[0].length) : error.message,
  };
}

/** "path:line: reason (CODE)", one line per problem. */
export function describeProblem(problem: CorpusProblem): string {
  const where = problem.line === null ? problem.file : `${problem.file}:${problem.line}`;
  return `${where}: ${problem.reason} (${problem.code})`;
}

/**
 * Collects the problems of a corpus. Strict, the first one is thrown as it is
 * (the behaviour before archives: any bad file stops the build); otherwise it
 * is kept and the work goes on without the file.
 */
export class ProblemLog {
  readonly problems: CorpusProblem[] = [];

  constructor(readonly strict: boolean) {}

  report(error: unknown, file: string): void {
    if (this.strict) throw error;
    this.problems.push(problemOf(error, file));
  }

  /** A problem found here rather than thrown by a parser. */
  add(file: string, code: string, message: string): void {
    this.report(new AppError(code, `${file}: ${message}`), file);
  }
}
