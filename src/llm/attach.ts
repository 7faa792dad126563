import { UNCERTAIN_MESSAGE } from "../answer/compose.js";
import type { Answer } from "../answer/types.js";
import type { Summary } from "./types.js";

/**
 * The answer with the outcome of its summary applied: a checked summary is
 * added; a model saying the passages do not answer turns `answered` into
 * `uncertain` (the quotes stay, they are still the closest passages); any
 * other outcome leaves the quotes-only answer as it was.
 */
export function withSummary(answer: Answer, summary: Summary): Answer {
  if (summary.kind === "summary") return { ...answer, summary: summary.text };
  if (summary.kind === "not_answered" && answer.status === "answered") {
    return { ...answer, status: "uncertain", message: UNCERTAIN_MESSAGE };
  }
  return answer;
}
