import { deepLink } from "../answer/deep-link.js";
import { fullEpisodeName, quoteEpisodeName, quotesSeveralEpisodes } from "../answer/episode-name.js";
import type { Answer } from "../answer/types.js";
import { roleSuffix } from "./attribution.js";

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
  // Quotes of several episodes each say which show and number they are from.
  const several = quotesSeveralEpisodes(answer);
  for (const passage of answer.passages) {
    const time = passage.timestamp === null ? "" : ` at ${formatTimestamp(passage.timestamp)}`;
    const episode = quoteEpisodeName(passage.episode, several);
    lines.push(`“${passage.quote}”`);
    lines.push(`    — ${passage.speaker}${roleSuffix(passage)}, ${episode}${time}`);
    // A timed quote links to its moment in the recording; an untimed one has only the episode's link below.
    const link = passage.timestamp === null ? undefined : deepLink(passage.episode.url, passage.timestamp);
    if (link) lines.push(`    ${link}`);
    lines.push("");
  }
  const episodes = [...new Map(answer.passages.map((p) => [p.episode.id, p.episode])).values()];
  const linked = episodes.filter((e) => e.url);
  if (linked.length === 1) lines.push(`Episode: ${linked[0]?.url}`);
  if (linked.length > 1) lines.push("Episodes:", ...linked.map((e) => `  ${fullEpisodeName(e)}: ${e.url}`));
  return lines.join("\n").trimEnd();
}

/** What the LLM added to quotes already printed: its summary, or the note that they may not answer. */
export function renderAfterQuotes(answer: Answer): string {
  const lines: string[] = [];
  if (answer.summary) lines.push(`Summary: ${answer.summary}`);
  else if (answer.message) lines.push(answer.message);
  return lines.join("\n");
}
