import { describe, expect, it } from "vitest";
import type { Answer, AnswerPassage } from "../src/answer/types.js";
import { escapeMrkdwn, fromSlackText, truncateEscaped } from "../src/bot/slack/escape.js";
import { MAX_BLOCKS, renderAnswer, renderNotice, SECTION_TEXT_MAX } from "../src/bot/slack/render.js";
import { answer as baseAnswer, passage as basePassage, EPISODE } from "./helpers/answer-fixtures.js";

// Slack's own defaults: a real passage of an untimed transcript.
const QUOTE = "We're going to continue to drive down our steady state case of cold starts.";
const passage = (overrides: Partial<AnswerPassage> = {}) =>
  basePassage({
    id: "serverless-chats-065#36",
    text: QUOTE,
    quote: QUOTE,
    end: 80,
    timestamp: null,
    score: 1,
    ...overrides,
  });
const answer = (overrides: Partial<Answer> = {}) =>
  baseAnswer({ question: "cold starts?", passages: [passage()], ...overrides });

type Block = {
  type: string;
  block_id?: string;
  text?: { text: string };
  elements?: Array<Record<string, unknown>>;
};

function blocks(message: { blocks: unknown[] }): Block[] {
  return message.blocks as Block[];
}

/** Text ending in a cut escape such as "&am…" or "&l…". */
const BROKEN_ESCAPE = /&(a|am|amp|l|lt|g|gt)?…$/;

describe("escaping", () => {
  it("escapes & first, then < and >", () => {
    expect(escapeMrkdwn("<!channel> & <@U1>")).toBe("&lt;!channel&gt; &amp; &lt;@U1&gt;");
    expect(escapeMrkdwn("&lt;")).toBe("&amp;lt;");
  });

  it("never cuts an escape in half, whatever the length", () => {
    const escaped = escapeMrkdwn("a<b&c>d".repeat(20));
    for (let max = 2; max < escaped.length; max += 1) {
      const cut = truncateEscaped(escaped, max);
      expect(cut.length).toBeLessThanOrEqual(max);
      expect(cut).not.toMatch(BROKEN_ESCAPE);
      expect(cut.endsWith("…")).toBe(true);
    }
    expect(truncateEscaped("short", 10)).toBe("short");
  });

  it("never splits an emoji", () => {
    const cut = truncateEscaped("ab😀cd", 4);
    expect(cut).toBe("ab…");
  });
});

describe("reading Slack message text", () => {
  it("drops the bot's mention and keeps readable forms of the rest", () => {
    expect(fromSlackText("<@UBOT> what did <@U1|holly> say in <#C1|general>?", "UBOT")).toBe(
      "what did @holly say in #general?",
    );
    expect(fromSlackText("<!channel> <!here|here> <!subteam^S1|@team> <!date^1^{date}|Feb 1>")).toBe(
      "@channel @here @team Feb 1",
    );
    expect(
      fromSlackText("see <https://a.test/x|the docs> and <https://b.test> or <mailto:a@b.test|a@b.test>"),
    ).toBe("see the docs and https://b.test or a@b.test");
    expect(fromSlackText("a &lt;b&gt; &amp;lt; c")).toBe("a <b> &lt; c");
    expect(fromSlackText("  <@UBOT>   ", "UBOT")).toBe("");
  });
});

describe("Block Kit answers", () => {
  it("renders each quote with the speaker's full name, role, linked episode and timestamp", () => {
    const message = renderAnswer(
      answer({
        passages: [
          passage({ timestamp: 3723 }),
          passage({ speaker: "Jeremy Daly", role: "host", quote: "Right." }),
          passage({ speaker: "Episode notes", role: "notes", quote: "Holly Mesrobian is a Board Member." }),
        ],
      }),
      { shown: 3, answerKey: "k1" },
    );
    const [first, second, notes, actions] = blocks(message);
    expect(first?.text?.text).toBe(
      ">“We're going to continue to drive down our steady state case of cold starts.”\n" +
        `— *Holly Mesrobian* (guest) · <${EPISODE.url}?t=3723|${EPISODE.title}> · at 1:02:03`,
    );
    expect(second?.text?.text).toContain("— *Jeremy Daly* (host)");
    // The notes are named once, not "Episode notes (episode notes)".
    expect(notes?.text?.text).toContain("— *Episode notes* · <");
    expect(actions?.type).toBe("actions");
    expect(actions?.elements?.map((element) => element.action_id)).toEqual(["feedback_up", "feedback_down"]);
    expect(actions?.elements?.every((element) => element.value === "k1")).toBe(true);
    expect(message.text).toContain("— Holly Mesrobian");
  });

  it("shows the first passages and a More quotes button for the rest", () => {
    const many = answer({
      passages: Array.from({ length: 6 }, (_, i) => passage({ id: `p${i}`, quote: `Q${i}` })),
    });
    const first = blocks(renderAnswer(many, { shown: 3, answerKey: "k" }));
    expect(first.filter((block) => block.block_id?.startsWith("quote_"))).toHaveLength(3);
    const more = first.at(-1)?.elements?.[0];
    expect(more).toMatchObject({ action_id: "more_quotes", value: "k", text: { text: "More quotes (3)" } });
    const all = blocks(renderAnswer(many, { shown: 6, answerKey: "k" }));
    expect(all.filter((block) => block.block_id?.startsWith("quote_"))).toHaveLength(6);
    expect(all.at(-1)?.elements?.some((element) => element.action_id === "more_quotes")).toBe(false);
  });

  it("says a not_found answer in one line, without buttons", () => {
    const message = renderAnswer(
      answer({
        status: "not_found",
        message: "The episode doesn't cover that, as far as I can find.",
        passages: [],
      }),
      { shown: 3, answerKey: "k" },
    );
    expect(message.blocks).toHaveLength(1);
    expect(message.text).toBe("The episode doesn't cover that, as far as I can find.");
    expect(message.text).not.toContain("\n");
  });

  it("puts the summary and an uncertainty note before the quotes", () => {
    const message = renderAnswer(
      answer({ status: "uncertain", message: "I'm not sure.", summary: "Holly said so." }),
      {
        shown: 3,
      },
    );
    expect(blocks(message).map((block) => block.block_id)).toEqual(["message", "summary", "quote_0"]);
  });

  it("echoes the question and shows how a follow-up was read", () => {
    const message = renderAnswer(answer({ question: "why? cold starts?" }), {
      shown: 3,
      question: "why?",
      echoQuestion: true,
    });
    const [question, readAs] = blocks(message);
    expect(question?.elements?.[0]?.text).toBe("*Question:* why?");
    expect(readAs?.elements?.[0]?.text).toBe("Read as: why? cold starts?");
    const plain = renderAnswer(answer({ question: "Cold  starts?" }), { shown: 3, question: "cold starts?" });
    expect(blocks(plain).some((block) => block.block_id === "read_as")).toBe(false);
  });

  it("escapes every piece of user and transcript text, so nothing pings or links", () => {
    const hostile = "<!channel> <!here> <@U123> <https://evil.test|click> & done";
    const message = renderAnswer(
      answer({
        question: hostile,
        message: hostile,
        summary: hostile,
        passages: [
          passage({
            quote: hostile,
            speaker: `<!everyone> ${hostile}`,
            episode: { id: "e", title: hostile, url: "javascript:alert(1)|<!channel>" },
          }),
        ],
      }),
      { shown: 3, answerKey: "k", question: hostile, echoQuestion: true },
    );
    const wire = JSON.stringify(message);
    expect(wire).not.toMatch(/<[!@#]/);
    expect(wire).not.toContain("<https://evil.test");
    expect(wire).not.toContain("<javascript:");
    expect(wire).toContain("&lt;!channel&gt;");
    expect(wire).toContain("&amp; done");
  });

  it("stays within 3,000 characters per section and 50 blocks", () => {
    const long = "&<>".repeat(5_000);
    const message = renderAnswer(
      answer({
        summary: long,
        message: long,
        passages: Array.from({ length: 80 }, (_, i) => passage({ id: `p${i}`, quote: long, speaker: long })),
      }),
      { shown: 80, answerKey: "k", question: long, echoQuestion: true },
    );
    const all = blocks(message);
    expect(all.length).toBeLessThanOrEqual(MAX_BLOCKS);
    expect(all.at(-1)?.type).toBe("actions");
    for (const block of all) {
      const texts = [block.text?.text, ...(block.elements ?? []).map((element) => element.text)].filter(
        (text): text is string => typeof text === "string",
      );
      for (const text of texts) {
        expect(text.length).toBeLessThanOrEqual(SECTION_TEXT_MAX);
        expect(text).not.toMatch(BROKEN_ESCAPE);
      }
    }
    expect(message.text.length).toBeLessThanOrEqual(3_000);
  });

  it("renders a notice as one escaped section", () => {
    const notice = renderNotice("Sorry <@U1> & co");
    expect(notice).toEqual({
      text: "Sorry &lt;@U1&gt; &amp; co",
      blocks: [
        { type: "section", block_id: "notice", text: { type: "mrkdwn", text: "Sorry &lt;@U1&gt; &amp; co" } },
      ],
    });
  });
});
