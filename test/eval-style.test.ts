import { describe, expect, it } from "vitest";
import type { Answer, AnswerPassage } from "../src/answer/types.js";
import { type QaItem, summariseByStyle } from "../src/eval/score.js";

/** Archive question sets mark each question's style; the figures are reported for each. */

function passage(text: string): AnswerPassage {
  const episode = { id: "ep", title: "Ep", url: "" };
  return {
    id: "ep#0",
    text,
    quote: text,
    speaker: "Rob Pike",
    role: "guest",
    episode,
    start: 0,
    end: 1,
    timestamp: null,
    score: 1,
  };
}

function item(id: string, style: string | undefined, answerable = true): QaItem {
  return {
    id,
    question: id,
    answerable,
    speaker: null,
    evidence: ["we should do something"],
    kind: "fact",
    style,
  };
}

function answer(status: Answer["status"], texts: string[]): Answer {
  return { status, question: "q", passages: texts.map(passage) };
}

describe("summariseByStyle", () => {
  it("scores the answerable questions of each style apart, and nothing for a set without styles", () => {
    const items = [
      item("n1", "named"),
      item("n2", "named"),
      item("p1", "paraphrase"),
      item("off", undefined, false),
    ];
    const answers = [
      answer("answered", ["Hey, Robert, we should do something about this."]),
      answer("answered", ["Nothing here.", "Nor here.", "Hey, we should do something."]),
      answer("uncertain", ["Nothing here."]),
      answer("not_found", []),
    ];
    const byStyle = summariseByStyle(items, answers, [1, 2, 3, 4]);
    expect(
      byStyle.map((s) => [
        s.style,
        s.questions,
        s.summary.hitAt1,
        s.summary.hitAt3,
        s.summary.mrr,
        s.summary.answered,
      ]),
    ).toEqual([
      ["named", 2, 0.5, 1, 0.667, 1],
      ["paraphrase", 1, 0, 0, 0, 0],
    ]);
    expect(
      summariseByStyle(
        items.map((i) => ({ ...i, style: undefined })),
        answers,
        [1, 2, 3, 4],
      ),
    ).toEqual([]);
  });
});
