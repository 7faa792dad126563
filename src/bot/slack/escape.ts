/**
 * Text crossing into and out of Slack's mrkdwn. Outgoing user or transcript
 * text is escaped so it can never ping (`<!channel>`, `<@U…>`) or forge a link;
 * incoming message text is turned back into the plain words a person typed.
 */

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };

/**
 * Escapes `&`, `<` and `>` for any mrkdwn or fallback `text` field. One pass,
 * which is the same as replacing `&` first: an `&` produced here is never escaped again.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/[&<>]/g, (char) => ESCAPES[char] ?? char);
}

const ENTITY = /^&(?:amp|lt|gt);/;

/**
 * Cuts already-escaped text to at most `max` characters (an ellipsis included),
 * never inside an escape such as `&amp;` nor between the halves of an emoji.
 */
export function truncateEscaped(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = Math.max(0, max - 1);
  const amp = text.lastIndexOf("&", cut - 1);
  if (amp !== -1) {
    const entity = ENTITY.exec(text.slice(amp));
    if (entity && amp + entity[0].length > cut) cut = amp;
  }
  const last = text.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut -= 1;
  return `${text.slice(0, cut)}…`;
}

/** Cuts plain text to at most `max` characters (an ellipsis included) on a character boundary. */
export function truncatePlain(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = Math.max(0, max - 1);
  const last = text.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut -= 1;
  return `${text.slice(0, cut)}…`;
}

const SPECIAL_MENTIONS: Record<string, string> = {
  channel: "@channel",
  here: "@here",
  everyone: "@everyone",
};

function plainToken(inner: string, botUserId: string | undefined): string {
  const bar = inner.indexOf("|");
  const target = bar === -1 ? inner : inner.slice(0, bar);
  const label = bar === -1 ? undefined : inner.slice(bar + 1);
  if (target.startsWith("@")) {
    if (botUserId !== undefined && target.slice(1) === botUserId) return "";
    return label ? `@${label.replace(/^@/, "")}` : "@someone";
  }
  if (target.startsWith("#")) return label ? `#${label}` : "#channel";
  if (target.startsWith("!")) {
    const name = target.slice(1).split("^")[0] ?? "";
    return SPECIAL_MENTIONS[name] ?? label ?? "";
  }
  if (label) return label;
  return target.replace(/^mailto:/, "");
}

/**
 * The plain question inside a Slack message's text: the bot's own mention
 * removed, other mentions and links reduced to their readable form, and
 * Slack's `&amp;`/`&lt;`/`&gt;` turned back into characters.
 */
export function fromSlackText(text: string, botUserId?: string): string {
  const plain = text.replace(/<([^<>]*)>/g, (_match, inner: string) => plainToken(inner, botUserId));
  return plain.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&").replace(/\s+/g, " ").trim();
}
