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

/** A stray control character a transcript was imported without. */
export interface RemovedCharacter {
  /** 1-based line and column in the file. */
  line: number;
  column: number;
  /** The character's code point, e.g. "U+001D" (it is invisible in an editor). */
  code: string;
}

/**
 * A transcript imported without the few stray control characters it held (see `checkTextTranscript`):
 * listed in the build's summary, never silent; strict, a problem like any other.
 */
export interface CorpusRepair {
  file: string;
  /** Every character removed, in file order. */
  removed: RemovedCharacter[];
}

/** At most this many lines are listed per character code; the rest are counted. */
const MAX_LINES = 10;

/** "path:109: removed 4 stray control characters: U+001D ×4 on lines 109, 111, 133", one line per file. */
export function describeRepair(repair: CorpusRepair): string {
  const byCode = new Map<string, number[]>();
  for (const c of repair.removed) byCode.set(c.code, [...(byCode.get(c.code) ?? []), c.line]);
  const codes = [...byCode].map(([code, all]) => {
    const lines = [...new Set(all)];
    const shown = lines.slice(0, MAX_LINES).join(", ");
    const more = lines.length > MAX_LINES ? ` and ${lines.length - MAX_LINES} more` : "";
    const times = all.length > 1 ? ` ×${all.length}` : "";
    return `${code}${times} on line${lines.length > 1 ? "s" : ""} ${shown}${more}`;
  });
  const count = repair.removed.length;
  const first = repair.removed[0]?.line;
  const where = first === undefined ? repair.file : `${repair.file}:${first}`;
  return `${where}: removed ${count} stray control character${count === 1 ? "" : "s"}: ${codes.join("; ")}`;
}

/** The error a strict build stops at for a transcript it would otherwise import repaired. */
export function repairRefused(repair: CorpusRepair): AppError {
  const first = repair.removed[0];
  const count = repair.removed.length;
  const at = first ? `:${first.line}` : "";
  const shown = repair.removed
    .slice(0, 3)
    .map((c) => `${c.code} at line ${c.line}, column ${c.column}`)
    .join("; ");
  return new AppError(
    "E_TRANSCRIPT_CONTROL_CHARACTERS",
    `${repair.file}${at}: the transcript holds ${count} stray control character${count === 1 ? "" : "s"} (${shown}${count > 3 ? "; …" : ""}), invisible in most editors. Delete ${count === 1 ? "it" : "them"} from the file, or build without --strict, which imports the file without ${count === 1 ? "it" : "them"} and lists it as repaired.`,
  );
}

/** The repairs of the files a build imported: a file it left out after all is listed as skipped alone. */
export function importedRepairs(repaired: CorpusRepair[], skipped: CorpusProblem[]): CorpusRepair[] {
  const left = new Set(skipped.map((p) => p.file));
  return repaired.filter((r) => !left.has(r.file));
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
