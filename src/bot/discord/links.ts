import { formatTimestamp } from "../render-text.js";
import { escapeMarkdown } from "./text.js";

const YOUTUBE_HOSTS = new Set(["youtu.be", "youtube.com", "www.youtube.com", "m.youtube.com"]);

/**
 * The episode URL, pointing at `seconds` when the host understands a start time
 * (YouTube's `t`); other URLs are returned as they are. Anything that is not a
 * plain http(s) URL gives undefined, so it is shown as text, never as a link.
 */
export function episodeUrl(url: string, seconds: number | null): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return undefined;
  if (seconds !== null && YOUTUBE_HOSTS.has(parsed.hostname)) {
    parsed.searchParams.set("t", String(Math.floor(seconds)));
  }
  // Parentheses would end a markdown link early.
  return parsed.toString().replace(/\(/g, "%28").replace(/\)/g, "%29");
}

/** "[Episode title](url?t=83) · 1:23": the title linked to its URL, with the time when there is one. */
export function episodeLink(title: string, url: string, seconds: number | null): string {
  const href = episodeUrl(url, seconds);
  const text = escapeMarkdown(title);
  const time = seconds === null ? "" : ` · ${formatTimestamp(seconds)}`;
  return `${href ? `[${text}](${href})` : text}${time}`;
}
