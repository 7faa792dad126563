/**
 * Model output is untrusted (OWASP LLM05): before it reaches a chat it loses
 * every link, mention and bit of markup, so an instruction planted in a
 * question or a transcript cannot make the bot ping a channel or post a link.
 * What is left is one paragraph of plain text.
 */

// Zero-width and bidi-control characters can hide a mention or a link from the patterns below.
const INVISIBLE = /[\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;
// Angle-bracket forms: Slack links <url|label>, mentions <@U1>, <!here>, <#C1>, Discord <@&1>, <:emoji:1>, HTML tags.
const SLACK_LABELLED_LINK = /<[a-z][\w+.-]*:[^<>|\s]*\|([^<>]*)>/gi;
const ANGLE_TAG = /<[^<>\s][^<>]*>/g;
const MARKDOWN_LINK_TARGET = /\]\([^)]*\)/g;
const URL = /\b(?:[a-z][\w+.-]*:\/\/|www\.)\S+/gi;
const BARE_DOMAIN =
  /\b[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|io|ai|co|dev|app|xyz|info|biz|me|ly|gg|sh|to|us|uk|ru|cn|de|example|test|link|site|online|click)\b(?:\/\S*)?/gi;
const EMAIL_OR_MENTION = /\S*@[\w.-]+/g;
const FENCE = /```[a-z]*|`+/gi;
const EMPHASIS = /\*+|_{2,}|~~|\|\|/g;
const UNDERSCORE_EMPHASIS = /(^|[^\w])_([^_\n]+)_(?=[^\w]|$)/g;
const LINE_MARKERS = /^\s*(?:#{1,6}|-#|>+|[-*+•]|\d+[.)])\s+/gm;
const NON_NUMERIC_BRACKETS = /\[(?!\s*\d)([^\]]*)\]/g;

/** The text with links, mentions, markup and invisible characters removed, as one paragraph. */
export function stripUnsafe(text: string): string {
  return text
    .normalize("NFKC")
    .replace(INVISIBLE, "")
    .replace(SLACK_LABELLED_LINK, "$1")
    .replace(ANGLE_TAG, " ")
    .replace(MARKDOWN_LINK_TARGET, "]")
    .replace(URL, " ")
    .replace(BARE_DOMAIN, " ")
    .replace(EMAIL_OR_MENTION, " ")
    .replace(FENCE, "")
    .replace(LINE_MARKERS, "")
    .replace(EMPHASIS, "")
    .replace(UNDERSCORE_EMPHASIS, "$1$2")
    .replace(NON_NUMERIC_BRACKETS, "$1")
    .replace(/\s+/g, " ")
    .replace(/\s+([,.;:!?])/g, "$1")
    .trim();
}
