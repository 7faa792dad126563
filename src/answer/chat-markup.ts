/**
 * Chat markup that is no part of what a message asks: emoji shortcodes (Slack's `:thinking_face:`,
 * with skin tones), Discord's custom emoji, mentions and timestamps (`<:blob:123>`, `<@123>`,
 * `<#123>`, `<t:1600000000:R>`), the `@name` Slack leaves of a mention of someone else, and links.
 * Left in, "thinking", "face", a user id or "youtu" would be searched and weighed as words of the
 * question, and a question about the episode would look foreign to it.
 */
const MARKUP = [
  /<a?:\w+:\d+>/g,
  /<(?:@[!&]?|#)\d+>/g,
  /<t:\d+(?::[a-zA-Z])?>/g,
  /:(?:[+-]1|[a-z][a-z0-9_+'-]*):(?::skin-tone-\d:)?/g,
  /(?<![\w.])@[\w.-]+/g,
  /\bhttps?:\/\/\S+/g,
];

/** The message without chat markup, its spaces collapsed. */
export function withoutChatMarkup(text: string): string {
  let plain = text;
  for (const pattern of MARKUP) plain = plain.replace(pattern, " ");
  return plain.replace(/\s+/g, " ").trim();
}
