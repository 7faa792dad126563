import type { AnswerPassage } from "../answer/types.js";

/**
 * The role shown after a quote's speaker: "host", "guest", "episode notes". Undefined when it
 * would only repeat the name: the notes' speaker is already called "Episode notes".
 */
export function roleLabel(passage: AnswerPassage): string | undefined {
  const label = passage.role === "notes" ? "episode notes" : passage.role;
  return label.toLowerCase() === passage.speaker.toLowerCase() ? undefined : label;
}

/** " (guest)", or nothing when the role would repeat the name. */
export function roleSuffix(passage: AnswerPassage): string {
  const label = roleLabel(passage);
  return label === undefined ? "" : ` (${label})`;
}
