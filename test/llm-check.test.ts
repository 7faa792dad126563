import { describe, expect, it } from "vitest";
import { checkSummary, MAX_SUMMARY_CHARS } from "../src/llm/check.js";
import { cleanRewrite } from "../src/llm/rewriter.js";
import { stripUnsafe } from "../src/llm/sanitize.js";

// Sentences in the episode's manner, as a summary request would carry them, with their speakers.
const PASSAGES = [
  {
    speaker: "Holly Mesrobian",
    role: "guest",
    text: "So we're constantly looking at ways that we can improve cold starts. We've made a lot of investments in that area, and we'll continue to do that.",
  },
  {
    speaker: "Holly Mesrobian",
    role: "guest",
    text: "We built EFS for Lambda because customers wanted to share data across functions — large files, machine learning models, that kind of thing.",
  },
  { speaker: "Jeremy Daly", role: "host", text: "I'm Jeremy Daly and this is Serverless Chats." },
];

describe("checkSummary", () => {
  it("keeps a summary whose citations and quotes are all grounded", () => {
    const raw =
      'Holly says they are "constantly looking at ways that we can improve cold starts" [1]. Customers wanted to share data across functions, so they built EFS for Lambda [2].';
    const result = checkSummary(raw, PASSAGES);
    expect(result).toEqual({ ok: true, text: raw, cited: [1, 2] });
  });

  it("accepts lists and ranges of citations and quotes differing only in case, spacing, quote and dash style", () => {
    const raw =
      "Holly says “We built  EFS for Lambda because customers wanted to share data across functions - large files” [1, 2]. Jeremy Daly hosts Serverless Chats [1-3].";
    expect(checkSummary(raw, PASSAGES)).toMatchObject({ ok: true, cited: [1, 2, 3] });
  });

  it("accepts a quote cut with an ellipsis when each part is in the passage", () => {
    const raw = "Holly said \"So we're constantly looking at ways … we'll continue to do that.\" [1]";
    expect(checkSummary(raw, PASSAGES)).toMatchObject({ ok: true });
  });

  it("drops a citation of a passage that was not given", () => {
    expect(checkSummary("They continue to improve cold starts [1][4].", PASSAGES)).toEqual({
      ok: false,
      reason: "bad_citation",
    });
    expect(checkSummary("They continue to improve cold starts [0].", PASSAGES)).toMatchObject({
      reason: "bad_citation",
    });
    expect(checkSummary("As passage 7 says, cold starts improve [1].", PASSAGES)).toMatchObject({
      reason: "bad_citation",
    });
  });

  it("drops a quote that is not word for word in a cited passage", () => {
    const invented = 'Holly said "cold starts are completely solved" [1].';
    expect(checkSummary(invented, PASSAGES)).toMatchObject({ ok: false, reason: "bad_quote" });
    // The words exist, but in a passage this sentence does not cite.
    const misattributed = 'Jeremy said "I\'m Jeremy Daly and this is Serverless Chats." [1]';
    expect(checkSummary(misattributed, PASSAGES)).toMatchObject({ reason: "bad_quote" });
    expect(checkSummary('Holly said "we can improve cold starts [1].', PASSAGES)).toMatchObject({
      reason: "bad_quote",
    });
  });

  it("drops a summary that cites nothing or says nothing", () => {
    expect(checkSummary("Cold starts keep getting better.", PASSAGES)).toEqual({
      ok: false,
      reason: "no_citation",
    });
    expect(checkSummary("[1]", PASSAGES)).toMatchObject({ reason: "empty" });
  });

  it("strips markup and keeps the grounded text", () => {
    const result = checkSummary("**Holly** says they continue to improve `cold starts` [1].", PASSAGES);
    expect(result).toEqual({
      ok: true,
      text: "Holly says they continue to improve cold starts [1].",
      cited: [1],
    });
  });

  it("drops a summary whose links were stripped but whose sentence still points the reader there", () => {
    const raw =
      "**Holly** says they continue to improve cold starts [1]. See https://evil.example/x and [this](http://evil.example) @everyone <!channel> <@U123> <@&42> evil.com/path";
    expect(checkSummary(raw, PASSAGES)).toMatchObject({ ok: false, reason: "instruction" });
  });

  it("bounds the length at a sentence end", () => {
    const sentence = "Holly says they continue to improve cold starts [1]. ";
    const result = checkSummary(sentence.repeat(60), PASSAGES);
    expect(result.ok).toBe(true);
    if (!result.ok) throw new Error("the summary was dropped");
    expect(result.text.length).toBeLessThanOrEqual(MAX_SUMMARY_CHARS);
    expect(result.text.endsWith("[1].")).toBe(true);
  });
});

describe("stripUnsafe", () => {
  it("removes mentions hidden with invisible or full-width characters", () => {
    expect(stripUnsafe("hi @\u200beveryone and ＠here")).toBe("hi and");
  });

  it("keeps the label of a Slack-style link and drops its target", () => {
    expect(stripUnsafe("read <https://evil.example|the docs> now")).toBe("read the docs now");
  });

  it("flattens headings, lists, code and emphasis to one plain paragraph", () => {
    expect(stripUnsafe("# Title\n- one `code`\n> _quoted_ __bold__ ~~gone~~ ||spoiler||")).toBe(
      "Title one code quoted bold gone spoiler",
    );
  });
});

describe("cleanRewrite", () => {
  const earlier = ["what did Holly say about cold starts?"];

  it("keeps a one-line standalone question, without a label or wrapping quotes", () => {
    expect(
      cleanRewrite('Standalone question: "Why did Holly say cold starts improved?"\n', "why?", earlier),
    ).toBe("Why did Holly say cold starts improved?");
  });

  it("rejects a rewrite sharing no word with the conversation, or far too long", () => {
    expect(cleanRewrite("Banana bread recipe without eggs", "why?", earlier)).toBeUndefined();
    expect(cleanRewrite(`cold starts ${"again ".repeat(60)}`, "why?", earlier)).toBeUndefined();
    expect(cleanRewrite("", "why?", earlier)).toBeUndefined();
  });

  it("strips links and mentions from the rewrite", () => {
    expect(cleanRewrite("Why cold starts @everyone https://evil.example", "why?", earlier)).toBe(
      "Why cold starts",
    );
  });
});
