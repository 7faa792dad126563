import { deepLink } from "../../answer/deep-link.js";
import { formatTimestamp } from "../render-text.js";
import { escapeMarkdown } from "./text.js";

/**
 * The episode URL at `seconds` (see `deepLink`: YouTube's `t`, else a `#t=`
 * media fragment), or as it is when `seconds` is null. Anything that is not a
 * plain http(s) URL gives undefined, so it is shown as text, never as a link.
 */
export function episodeUrl(url: string, seconds: number | null): string | undefined {
  // Parentheses would end a markdown link early.
  return deepLink(url, seconds)?.replace(/\(/g, "%28").replace(/\)/g, "%29");
}

/** "[Episode title](url?t=83) · 1:23": the title linked to its URL, with the time when there is one. */
export function episodeLink(title: string, url: string, seconds: number | null): string {
  const href = episodeUrl(url, seconds);
  const text = escapeMarkdown(title);
  const time = seconds === null ? "" : ` · ${formatTimestamp(seconds)}`;
  return `${href ? `[${text}](${href})` : text}${time}`;
}
