import type { Answer, AnswerPassage } from "../answer/types.js";

function roleLabel(passage: AnswerPassage): string {
  return passage.role === "notes" ? "episode notes" : passage.role;
}

/** m:ss or h:mm:ss */
export function formatTimestamp(seconds: number): string {
  const s = Math.floor(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${rest}` : `${m}:${rest}`;
}

/** An answer for a person reading a terminal. */
export function renderText(answer: Answer): string {
  const lines: string[] = [];
  if (answer.status === "not_found") return answer.message ?? "The episode doesn't cover that.";
  if (answer.message) lines.push(answer.message, "");
  if (answer.summary) lines.push(answer.summary, "");
  for (const passage of answer.passages) {
    const time = passage.timestamp === null ? "" : ` at ${formatTimestamp(passage.timestamp)}`;
    lines.push(`“${passage.quote}”`);
    lines.push(`    — ${passage.speaker} (${roleLabel(passage)}), ${passage.episode.title}${time}`);
    lines.push("");
  }
  const first = answer.passages[0];
  if (first?.episode.url) lines.push(`Episode: ${first.episode.url}`);
  return lines.join("\n").trimEnd();
}
