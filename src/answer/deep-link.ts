/**
 * Links into a recording at a moment. Pure: no I/O, no platform markup.
 *
 * YouTube (youtube.com/watch, youtu.be, /live, /shorts and the mobile and music
 * hosts) takes the start as a `t=SECONDS` query parameter, which replaces any
 * `t` (or `start`) already there and keeps the other parameters (`v`, `list`,
 * `si`…). Any other URL gets a `#t=SECONDS` media fragment (W3C Media
 * Fragments), which browsers honour when the URL is the audio or video file
 * itself and ignore on a web page.
 */

const YOUTUBE_HOSTS = new Set([
  "youtu.be",
  "youtube.com",
  "www.youtube.com",
  "m.youtube.com",
  "music.youtube.com",
  "www.youtube-nocookie.com",
]);

/** Whether `url` is a YouTube video URL, where the start time is a query parameter. */
export function isYouTube(url: URL): boolean {
  return YOUTUBE_HOSTS.has(url.hostname.toLowerCase());
}

/**
 * The URL of `url` at `seconds` (whole seconds, rounded down), or the URL as it
 * is when `seconds` is null (an untimed transcript). Undefined when `url` is
 * not an absolute http(s) URL: such a value is shown as text, never linked.
 */
export function deepLink(url: string, seconds: number | null): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return undefined;
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return undefined;
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return parsed.toString();
  const at = String(Math.floor(seconds));
  if (isYouTube(parsed)) {
    parsed.searchParams.delete("start");
    parsed.searchParams.set("t", at);
  } else {
    parsed.hash = `t=${at}`;
  }
  return parsed.toString();
}
