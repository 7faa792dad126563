import { ButtonStyle, ComponentType, MessageFlags } from "discord.js";
import { describe, expect, it } from "vitest";
import { inviteUrl } from "../src/bot/discord/invite.js";
import { DISCORD_LIMITS } from "../src/bot/discord/limits.js";
import { episodeUrl } from "../src/bot/discord/links.js";
import {
  type DiscordReply,
  MORE_QUOTES_LABEL,
  renderAnswer,
  renderNotice,
} from "../src/bot/discord/render.js";
import { escapeMarkdown, splitText, truncate } from "../src/bot/discord/text.js";
import { answer, EPISODE, passage } from "./helpers/answer-fixtures.js";

/** Asserts every limit Discord enforces on one message. */
function expectWithinLimits(reply: DiscordReply): void {
  expect(reply.content?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.content);
  let total = 0;
  for (const embed of reply.embeds) {
    expect(embed.title?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.embedTitle);
    expect(embed.description?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.embedDescription);
    expect(embed.footer?.text.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.footer);
    expect(embed.fields?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.embedFields);
    for (const field of embed.fields ?? []) {
      expect(field.name.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldName);
      expect(field.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
      expect(field.value.length).toBeGreaterThan(0);
      total += field.name.length + field.value.length;
    }
    total += (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + (embed.footer?.text.length ?? 0);
  }
  expect(total).toBeLessThanOrEqual(DISCORD_LIMITS.embedsTotal);
}

describe("renderAnswer", () => {
  it("shows the question, each quote with the speaker's full name and role, and the linked episode", () => {
    const [reply, ...rest] = renderAnswer(answer());
    expect(rest).toHaveLength(0);
    const embed = reply?.embeds[0];
    expect(embed?.title).toBe("what did Holly say about cold starts?");
    expect(embed?.fields).toEqual([
      {
        name: "Holly Mesrobian (guest)",
        value:
          "> “Cold starts are something we work on all the time.”\n" +
          `[${EPISODE.title}](https://youtu.be/nBYUh7CVUiQ?t=83) · 1:23`,
      },
    ]);
    expect(embed?.footer?.text).toBe(`From ${EPISODE.title}`);
    expect(reply?.content).toBeUndefined();
    expect(reply?.components).toEqual([]);
  });

  it("puts the summary, or how sure the answer is, in the description", () => {
    const [reply] = renderAnswer(
      answer({
        status: "uncertain",
        message: "These are the closest passages.",
        summary: "Holly explains it.",
      }),
    );
    expect(reply?.embeds[0]?.description).toBe("These are the closest passages.\n\nHolly explains it.");
  });

  it("offers a More quotes button on the last message only when asked to", () => {
    const [reply] = renderAnswer(answer(), { moreQuotesId: "more-quotes:abc" });
    expect(reply?.components).toEqual([
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.Button,
            style: ButtonStyle.Secondary,
            label: MORE_QUOTES_LABEL,
            custom_id: "more-quotes:abc",
          },
        ],
      },
    ]);
  });

  it("answers not_found in one plain line, with link previews suppressed", () => {
    const replies = renderAnswer({
      status: "not_found",
      question: "banana bread recipe",
      message: "The episode doesn't cover that,\nas far as I can find.",
      passages: [],
    });
    expect(replies).toEqual([
      {
        content: "The episode doesn't cover that, as far as I can find.",
        embeds: [],
        components: [],
        flags: MessageFlags.SuppressEmbeds,
      },
    ]);
  });

  it("shows a passage without a usable URL or timestamp as plain text", () => {
    const [reply] = renderAnswer(
      answer({
        passages: [
          passage({ timestamp: null, episode: { ...EPISODE, url: "javascript:alert(1)" }, role: "notes" }),
        ],
      }),
    );
    expect(reply?.embeds[0]?.fields?.[0]).toEqual({
      name: "Holly Mesrobian (episode notes)",
      value: `> “Cold starts are something we work on all the time.”\n${EPISODE.title}`,
    });
  });

  it("escapes markdown from the transcript, the model and the question: no forged link, no mention markup", () => {
    const [reply] = renderAnswer(
      answer({
        question: "**hi** <@&150> [x](https://evil.example)",
        summary: "See [the docs](https://evil.example) <@123>",
        passages: [passage({ quote: "Use `npm` and ~~that~~ [here](https://evil.example)" })],
      }),
    );
    const embed = reply?.embeds[0];
    expect(embed?.title).toBe("\\*\\*hi\\*\\* \\<@&150\\> \\[x\\](https://evil.example)");
    expect(embed?.description).toBe("See \\[the docs\\](https://evil.example) \\<@123\\>");
    expect(embed?.fields?.[0]?.value).toContain(
      "Use \\`npm\\` and \\~\\~that\\~\\~ \\[here\\](https://evil.example)",
    );
  });

  it("keeps a very long answer within every Discord limit, splitting it over messages without losing a quote", () => {
    const passages = Array.from({ length: 40 }, (_, i) =>
      passage({ id: `p${i}`, quote: `Quote ${i}: ${"serverless ".repeat(300)}`, speaker: `Speaker ${i}` }),
    );
    const replies = renderAnswer(
      answer({ question: "q ".repeat(1_000), summary: "s".repeat(10_000), passages }),
      { moreQuotesId: "more-quotes:x" },
    );
    expect(replies.length).toBeGreaterThan(1);
    for (const reply of replies) expectWithinLimits(reply);
    const names = replies.flatMap((r) => r.embeds.flatMap((e) => e.fields ?? []).map((f) => f.name));
    expect(names).toEqual(passages.map((p) => `${p.speaker} (guest)`));
    expect(replies[0]?.embeds[0]?.description?.endsWith("…")).toBe(true);
    expect(replies.filter((r) => r.components.length > 0)).toEqual([replies.at(-1)]);
    expect(replies.at(-1)?.embeds[0]?.footer?.text).toBe(`From ${EPISODE.title}`);
  });

  it("puts at most 25 quotes in one message even when they are short", () => {
    const passages = Array.from({ length: 30 }, (_, i) => passage({ id: `p${i}`, quote: `Short ${i}.` }));
    const replies = renderAnswer(answer({ passages }));
    expect(replies.map((r) => r.embeds[0]?.fields?.length)).toEqual([25, 5]);
  });

  it("splits a long plain notice into messages of at most 2,000 characters", () => {
    const replies = renderNotice(`${"word ".repeat(1_000)}end`);
    expect(replies.length).toBe(3);
    for (const reply of replies) expectWithinLimits(reply);
    expect(replies.map((r) => r.content).join(" ")).toBe(`${"word ".repeat(1_000)}end`);
  });
});

describe("text helpers", () => {
  it("truncates with an ellipsis, at a word boundary when one is near, and leaves short text alone", () => {
    expect(truncate("short", 10)).toBe("short");
    expect(truncate("one two three four five", 16)).toBe("one two three…");
    // No space near the end: cut mid-word rather than lose a third of the room.
    expect(truncate("one two three four five", 12)).toBe("one two thr…");
  });

  it("never leaves half a surrogate pair or a dangling escape at the cut", () => {
    const emoji = truncate(`${"a".repeat(8)}😀😀😀`, 10);
    expect(emoji).toBe(`${"a".repeat(8)}…`);
    const escaped = truncate(escapeMarkdown("abcdefgh*ijk"), 10);
    expect(escaped).toBe("abcdefgh…");
  });

  it("splits at spaces, each piece within the limit", () => {
    const pieces = splitText("alpha beta gamma delta epsilon", 12);
    expect(pieces).toEqual(["alpha beta", "gamma delta", "epsilon"]);
  });

  it("escapes line-start markdown (headings, quotes, lists)", () => {
    expect(escapeMarkdown("# title\n> quote\n- item\n1. first")).toBe(
      "\\# title\n\\> quote\n\\- item\n\\1. first",
    );
  });

  it("links YouTube episodes at the passage's time and refuses non-http URLs", () => {
    expect(episodeUrl("https://youtu.be/abc", 83.7)).toBe("https://youtu.be/abc?t=83");
    expect(episodeUrl("https://example.com/ep(65)", 83)).toBe("https://example.com/ep%2865%29#t=83");
    expect(episodeUrl("https://example.com/ep(65)", null)).toBe("https://example.com/ep%2865%29");
    expect(episodeUrl("ftp://example.com/ep", null)).toBeUndefined();
    expect(episodeUrl("", null)).toBeUndefined();
  });
});

describe("inviteUrl", () => {
  it("asks for the bot and commands scopes with the minimal permissions", () => {
    const url = new URL(inviteUrl("1100000000000000001"));
    expect(url.origin + url.pathname).toBe("https://discord.com/oauth2/authorize");
    expect(url.searchParams.get("client_id")).toBe("1100000000000000001");
    expect(url.searchParams.get("scope")).toBe("bot applications.commands");
    // View Channels, Send Messages, Embed Links, Read Message History, Send Messages in Threads.
    expect(url.searchParams.get("permissions")).toBe(String(1024 + 2048 + 16384 + 65536 + 2 ** 38));
    const threads = new URL(inviteUrl("1100000000000000001", { replyInThread: true }));
    expect(threads.searchParams.get("permissions")).toBe(
      String(1024 + 2048 + 16384 + 65536 + 2 ** 38 + 2 ** 35),
    );
  });
});
