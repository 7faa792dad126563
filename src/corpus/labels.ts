import type { EpisodeMeta } from "./types.js";

/** "Name" or "First Last" (up to three capitalised words): what a speaker label looks like. */
export const NAME = "[A-Z][\\p{L}'’.-]*(?: [A-Z][\\p{L}'’.-]*){0,2}";
/** "Name:" or "First Last:" at the start of a line: a speaker label, known or not. */
export const LABEL_LIKE = new RegExp(`^(${NAME})[ \\t]*:(?:[ \\t]|$)`, "u");

/**
 * The sidecar label ("Holly") a transcript's speaker name refers to: the label
 * itself or the speaker's full name ("Holly Mesrobian"), in any case, since
 * caption files often write names in capitals. Undefined when it is neither.
 */
export function resolveLabel(written: string, meta: EpisodeMeta): string | undefined {
  const name = written.trim().replace(/\s+/g, " ");
  if (meta.speakers[name]) return name;
  const lower = name.toLowerCase();
  for (const [label, speaker] of Object.entries(meta.speakers)) {
    if (label.toLowerCase() === lower || speaker.name.toLowerCase() === lower) return label;
  }
  return undefined;
}
