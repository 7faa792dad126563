import { DISCORD_LIMITS } from "./limits.js";

const ELLIPSIS = "…";

// Characters that start Discord markdown inline: bold/italic, code, strike, spoiler, masked links,
// mentions and timestamps (`<@…>`, `<t:…>`), and the escape character itself.
const INLINE_MARKDOWN = /[\\*_~`|[\]<>]/g;
// Characters that only mean something at the start of a line: headings, quotes, lists.
const LINE_START_MARKDOWN = /^(\s*)([#>-]|\d+\.)/gm;

/**
 * Escapes text that came from a person, a transcript or a model so it renders
 * as written: no forged masked link, no mention or timestamp markup, no
 * accidental formatting. (Pings are stopped separately, by `allowed_mentions`.)
 */
export function escapeMarkdown(text: string): string {
  return text.replace(INLINE_MARKDOWN, "\\$&").replace(LINE_START_MARKDOWN, "$1\\$2");
}

/** Whether `index` falls between the two halves of a surrogate pair. */
function splitsSurrogate(text: string, index: number): boolean {
  const code = text.charCodeAt(index - 1);
  return code >= 0xd800 && code <= 0xdbff;
}

/** Cuts `text` at `index`, never inside a surrogate pair nor right after a lone escaping backslash. */
function cutAt(text: string, index: number): string {
  let end = index;
  if (end > 0 && splitsSurrogate(text, end)) end -= 1;
  let head = text.slice(0, end);
  // An odd run of trailing backslashes would escape whatever follows the cut.
  const slashes = /\\+$/.exec(head)?.[0].length ?? 0;
  if (slashes % 2 === 1) head = head.slice(0, -1);
  return head;
}

/**
 * Shortens `text` to at most `max` characters, ending in "…", preferring a word
 * boundary in the last fifth. Text that fits is returned unchanged.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= ELLIPSIS.length) return ELLIPSIS.slice(0, Math.max(0, max));
  const limit = max - ELLIPSIS.length;
  const space = text.lastIndexOf(" ", limit);
  const index = space >= limit * 0.8 ? space : limit;
  return `${cutAt(text, index).trimEnd()}${ELLIPSIS}`;
}

/**
 * Splits `text` into chunks of at most `max` characters (default: message
 * content), at line breaks where possible, else at spaces, else anywhere.
 * Nothing is lost but the whitespace at the cuts.
 */
export function splitText(text: string, max: number = DISCORD_LIMITS.content): string[] {
  const chunks: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    const newline = rest.lastIndexOf("\n", max);
    const space = rest.lastIndexOf(" ", max);
    const at = newline >= max / 2 ? newline : space >= max / 2 ? space : max;
    // cutAt only ever backs off a character or two, but never let a chunk come out empty.
    const head = cutAt(rest, at) || rest.slice(0, max);
    chunks.push(head.trimEnd());
    rest = rest.slice(head.length).trimStart();
  }
  if (rest.length > 0) chunks.push(rest);
  return chunks;
}
