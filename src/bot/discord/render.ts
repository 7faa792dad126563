import type {
  APIActionRowComponent,
  APIButtonComponentWithCustomId,
  APIEmbed,
  APIEmbedField,
} from "discord.js";
import { ButtonStyle, ComponentType, MessageFlags } from "discord.js";
import { quoteEpisodeName, quotesSeveralEpisodes } from "../../answer/episode-name.js";
import type { Answer, AnswerPassage } from "../../answer/types.js";
import type { ChatReply } from "../answer-flow.js";
import { roleSuffix } from "../attribution.js";
import { DISCORD_LIMITS } from "./limits.js";
import { episodeLink } from "./links.js";
import { moreQuotesId } from "./more-quotes.js";
import { escapeMarkdown, splitText, truncate } from "./text.js";

/** One message to send: plain data, independent of any client. */
export interface DiscordReply {
  /** Plain text; only set on replies without embeds. */
  content?: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponentWithCustomId>[];
  /** Set on plain-text replies so a URL in them never unfurls into a preview. */
  flags?: MessageFlags.SuppressEmbeds;
}

export interface RenderOptions {
  /** custom_id of the "More quotes" button; without it there is no button. */
  moreQuotesId?: string;
  /**
   * Whether the whole answer quotes several episodes, so each quote names its show and number
   * (default: whether these passages do; a page of "More quotes" says it for the whole answer).
   */
  several?: boolean;
}

export const NOT_FOUND_LINE = "The episode doesn't cover that.";
export const MORE_QUOTES_LABEL = "More quotes";
const COLOR = 0xff9900;
// Room kept in each quote field for the link line under the quote.
const MAX_LINK_CHARS = 300;
// Far below Discord's 2,048, so title + description + footer + one quote always fit in 6,000.
const MAX_FOOTER_CHARS = 256;

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/**
 * A quote as an embed field: speaker and role as its name; the quotation and the linked episode
 * as its value. `several`: the answer quotes several episodes, so the episode names its show and number.
 */
export function passageField(passage: AnswerPassage, several = false): APIEmbedField {
  const name = quoteEpisodeName(passage.episode, several);
  let link = episodeLink(name, passage.episode.url, passage.timestamp);
  if (link.length > MAX_LINK_CHARS) link = truncate(escapeMarkdown(name), MAX_LINK_CHARS);
  const room = DISCORD_LIMITS.fieldValue - link.length - 1;
  const quote = truncate(`> “${escapeMarkdown(oneLine(passage.quote))}”`, room);
  return {
    name: truncate(`${passage.speaker}${roleSuffix(passage)}`, DISCORD_LIMITS.fieldName),
    value: `${quote}\n${link}`,
  };
}

function plain(text: string): DiscordReply[] {
  return splitText(text).map((content) => ({
    content,
    embeds: [],
    components: [],
    flags: MessageFlags.SuppressEmbeds,
  }));
}

function embedSize(embed: APIEmbed): number {
  const fields = (embed.fields ?? []).reduce((sum, f) => sum + f.name.length + f.value.length, 0);
  return (
    (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + (embed.footer?.text.length ?? 0) + fields
  );
}

function moreQuotesRow(customId: string): APIActionRowComponent<APIButtonComponentWithCustomId> {
  return {
    type: ComponentType.ActionRow,
    components: [
      {
        type: ComponentType.Button,
        style: ButtonStyle.Secondary,
        label: MORE_QUOTES_LABEL,
        custom_id: customId,
      },
    ],
  };
}

/** A plain-text line for people (an apology, a notice), split to fit message content. */
export function renderNotice(text: string): DiscordReply[] {
  return plain(escapeMarkdown(oneLine(text)));
}

/**
 * An `Answer` as Discord messages, within Discord's limits: the question as the
 * title, the summary (or the note on how sure the answer is) as the description,
 * one field per quote, and the episode in the footer. What does not fit in one
 * message (25 fields, 6,000 characters) continues in the next; the "More quotes"
 * button goes on the last. A `not_found` answer is one plain line.
 */
export function renderAnswer(answer: Answer, options: RenderOptions = {}): DiscordReply[] {
  if (answer.status === "not_found" || answer.passages.length === 0) {
    return renderNotice(answer.message ?? NOT_FOUND_LINE);
  }
  const title = truncate(escapeMarkdown(oneLine(answer.question)), DISCORD_LIMITS.embedTitle) || undefined;
  const notes = [answer.message, answer.summary].filter((t): t is string => Boolean(t?.trim()));
  const description =
    truncate(notes.map((t) => escapeMarkdown(t.trim())).join("\n\n"), DISCORD_LIMITS.embedDescription) ||
    undefined;
  const several = options.several ?? quotesSeveralEpisodes(answer);
  const episodes = [...new Set(answer.passages.map((p) => quoteEpisodeName(p.episode, several)))];
  const footer = { text: truncate(`From ${episodes.join("; ")}`, MAX_FOOTER_CHARS) };

  const embeds: APIEmbed[] = [];
  let current: APIEmbed = { color: COLOR, title, description, fields: [] };
  for (const field of answer.passages.map((passage) => passageField(passage, several))) {
    const fields = current.fields ?? [];
    const size = embedSize(current) + footer.text.length + field.name.length + field.value.length;
    if (
      fields.length > 0 &&
      (fields.length === DISCORD_LIMITS.embedFields || size > DISCORD_LIMITS.embedsTotal)
    ) {
      embeds.push(current);
      current = { color: COLOR, fields: [] };
    }
    current.fields?.push(field);
  }
  embeds.push({ ...current, footer });

  const replies: DiscordReply[] = embeds.map((embed) => ({ embeds: [embed], components: [] }));
  const last = replies.at(-1);
  if (last && options.moreQuotesId) last.components = [moreQuotesRow(options.moreQuotesId)];
  return replies;
}

/**
 * A reply of the answer flow as Discord messages: a page of quotes, with a "More quotes" button
 * when the stored answer holds more. Only the first page carries the summary: it spoke about
 * the best quotes.
 */
export function renderReply(reply: ChatReply): DiscordReply[] {
  if (reply.kind === "notice") return renderNotice(reply.text);
  const { answer, key, from, to } = reply;
  const { summary, ...rest } = answer;
  const page: Answer = {
    ...rest,
    ...(from === 0 && summary !== undefined ? { summary } : {}),
    passages: answer.passages.slice(from, to),
  };
  const more = key !== undefined && to < answer.passages.length;
  const several = quotesSeveralEpisodes(answer);
  return renderAnswer(page, more ? { moreQuotesId: moreQuotesId(key, to), several } : { several });
}
