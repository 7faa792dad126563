import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deepLink } from "../src/answer/deep-link.js";
import type { Answer, AnswerPassage, EpisodeRef } from "../src/answer/types.js";
import { renderAnswer as renderDiscord } from "../src/bot/discord/render.js";
import { renderText } from "../src/bot/render-text.js";
import { renderAnswer as renderSlack } from "../src/bot/slack/render.js";
import { askOver, fixtureCorpus, GARDEN_12, GARDEN_13, KITCHEN_4, KITCHEN_5 } from "./archive-fixtures.js";
import { buildTestIndex, makeTempDir, removeDir } from "./helpers/index-fixtures.js";

const GARDEN: EpisodeRef = {
  id: GARDEN_12,
  title: "Compost, Worms and Patience with Tomas Oyelaran",
  url: "https://www.youtube.com/watch?v=GrdnHr012xx&list=PLgardenhour",
};
const BEES: EpisodeRef = {
  id: GARDEN_13,
  title: "Bees on a City Balcony with Priya Castellanos",
  url: "https://media.example.org/garden-hour/013.mp3",
};
const KNIVES: EpisodeRef = {
  id: KITCHEN_5,
  title: "Knife Care for Home Cooks with Rosa Delacroix",
  url: "https://example.org/night-kitchen/5",
};

function passage(
  episode: EpisodeRef,
  timestamp: number | null,
  overrides: Partial<AnswerPassage> = {},
): AnswerPassage {
  return {
    id: `${episode.id}#3`,
    text: "I water the heap maybe once a week in summer.",
    quote: "I water the heap maybe once a week in summer.",
    speaker: "Tomas Oyelaran",
    role: "guest",
    episode,
    start: 0,
    end: 10,
    timestamp,
    score: 1,
    ...overrides,
  };
}

function answer(passages: AnswerPassage[]): Answer {
  return { status: "answered", question: "how often do you water?", passages };
}

describe("deepLink", () => {
  it("adds t=SECONDS to YouTube URLs, keeping their other parameters", () => {
    expect(deepLink("https://youtu.be/abc123", 83.9)).toBe("https://youtu.be/abc123?t=83");
    expect(deepLink("https://youtu.be/abc123?si=share", 83)).toBe("https://youtu.be/abc123?si=share&t=83");
    expect(deepLink("https://www.youtube.com/watch?v=abc123&list=PL1", 3723)).toBe(
      "https://www.youtube.com/watch?v=abc123&list=PL1&t=3723",
    );
    expect(deepLink("https://m.youtube.com/watch?v=abc123", 5)).toBe(
      "https://m.youtube.com/watch?v=abc123&t=5",
    );
  });

  it("replaces a start time the YouTube URL already has", () => {
    expect(deepLink("https://www.youtube.com/watch?v=abc123&t=1m2s&list=PL1", 83)).toBe(
      "https://www.youtube.com/watch?v=abc123&t=83&list=PL1",
    );
    expect(deepLink("https://www.youtube.com/watch?v=abc123&start=10", 83)).toBe(
      "https://www.youtube.com/watch?v=abc123&t=83",
    );
  });

  it("gives any other URL a #t=SECONDS media fragment, replacing an old fragment", () => {
    expect(deepLink("https://media.example.org/ep/13.mp3", 130.5)).toBe(
      "https://media.example.org/ep/13.mp3#t=130",
    );
    expect(deepLink("https://media.example.org/ep/13.mp3?token=x#t=9", 0)).toBe(
      "https://media.example.org/ep/13.mp3?token=x#t=0",
    );
  });

  it("leaves the URL alone without a time, and refuses what is not an http(s) URL", () => {
    expect(deepLink("https://youtu.be/abc123", null)).toBe("https://youtu.be/abc123");
    expect(deepLink("https://example.org/ep/5", null)).toBe("https://example.org/ep/5");
    for (const bad of ["javascript:alert(1)", "", "not a url", "ftp://example.org/a.mp3"]) {
      expect(deepLink(bad, 12)).toBeUndefined();
    }
  });
});

describe("the terminal renderer", () => {
  it("shows a timed quote's time and links to the recording at that time", () => {
    const text = renderText(
      answer([passage(GARDEN, 3723.4), passage(BEES, 25.5, { speaker: "Priya Castellanos" })]),
    );
    expect(text).toContain(`— Tomas Oyelaran (guest), ${GARDEN.title} at 1:02:03`);
    expect(text).toContain("    https://www.youtube.com/watch?v=GrdnHr012xx&list=PLgardenhour&t=3723");
    expect(text).toContain(`— Priya Castellanos (guest), ${BEES.title} at 0:25`);
    expect(text).toContain("    https://media.example.org/garden-hour/013.mp3#t=25");
  });

  it("names the episode beside every quote of an answer from several episodes, and lists them", () => {
    const text = renderText(answer([passage(GARDEN, 62), passage(KNIVES, null), passage(GARDEN, 69)]));
    const credits = text.split("\n").filter((line) => line.startsWith("    — "));
    expect(credits).toEqual([
      `    — Tomas Oyelaran (guest), ${GARDEN.title} at 1:02`,
      `    — Tomas Oyelaran (guest), ${KNIVES.title}`,
      `    — Tomas Oyelaran (guest), ${GARDEN.title} at 1:09`,
    ]);
    expect(text).toContain(`Episodes:\n  ${GARDEN.title}: ${GARDEN.url}\n  ${KNIVES.title}: ${KNIVES.url}`);
  });

  it("makes up no time for an untimed transcript", () => {
    const text = renderText(answer([passage(KNIVES, null)]));
    expect(text).not.toMatch(/ at \d+:\d\d/);
    expect(text).not.toContain("#t=");
    expect(text.trimEnd().split("\n").at(-1)).toBe(`Episode: ${KNIVES.url}`);
  });
});

describe("the Slack renderer", () => {
  const quotes = (a: Answer) =>
    (renderSlack(a, { shown: 5 }).blocks as Array<{ block_id?: string; text?: { text: string } }>)
      .filter((b) => b.block_id?.startsWith("quote_"))
      .map((b) => b.text?.text ?? "");

  it("links each timed quote's episode at its time (escaping & in the URL) and shows the time", () => {
    const [youtube, mp3] = quotes(answer([passage(GARDEN, 83), passage(BEES, 130)]));
    expect(youtube).toContain(
      `<https://www.youtube.com/watch?v=GrdnHr012xx&amp;list=PLgardenhour&amp;t=83|${GARDEN.title}> · at 1:23`,
    );
    expect(mp3).toContain(`<https://media.example.org/garden-hour/013.mp3#t=130|${BEES.title}> · at 2:10`);
  });

  it("names each quote's own episode, and gives an untimed quote no time", () => {
    const [garden, knives] = quotes(answer([passage(GARDEN, 83), passage(KNIVES, null)]));
    expect(garden).toContain(GARDEN.title);
    expect(knives).toMatch(new RegExp(`<https://example\\.org/night-kitchen/5\\|${KNIVES.title}>$`));
    expect(knives).not.toContain(" at ");
  });
});

describe("the Discord renderer", () => {
  const fields = (a: Answer) =>
    renderDiscord(a).flatMap((reply) => reply.embeds.flatMap((e) => e.fields ?? []));

  it("links each timed quote's episode at its time and shows the time", () => {
    const [youtube, mp3] = fields(answer([passage(GARDEN, 3723), passage(BEES, 130)]));
    expect(youtube?.value).toContain(
      `[${GARDEN.title}](https://www.youtube.com/watch?v=GrdnHr012xx&list=PLgardenhour&t=3723) · 1:02:03`,
    );
    expect(mp3?.value).toContain(
      `[${BEES.title}](https://media.example.org/garden-hour/013.mp3#t=130) · 2:10`,
    );
  });

  it("names each quote's own episode, lists every episode in the footer, and makes up no time", () => {
    const replies = renderDiscord(answer([passage(GARDEN, 83), passage(KNIVES, null)]));
    const [garden, knives] = replies.flatMap((reply) => reply.embeds.flatMap((e) => e.fields ?? []));
    expect(garden?.value).toContain(GARDEN.title);
    expect(knives?.value).toMatch(
      new RegExp(`\\[${KNIVES.title}\\]\\(https://example\\.org/night-kitchen/5\\)$`),
    );
    expect(replies.at(-1)?.embeds.at(-1)?.footer?.text).toBe(`From ${GARDEN.title}; ${KNIVES.title}`);
  });
});

describe("answers from a built archive", () => {
  let root: string;
  let ask: Awaited<ReturnType<typeof askOver>>;

  beforeAll(async () => {
    root = await makeTempDir("archive-links");
    const corpusDir = await fixtureCorpus(join(root, "corpus"), [GARDEN_12, KITCHEN_4, KITCHEN_5]);
    await buildTestIndex(join(root, "index"), { corpusDir });
    ask = await askOver(join(root, "index"));
  });

  afterAll(() => removeDir(root));

  it("carries a timed quote's cue time into the answer and its links", async () => {
    const result = await ask({ text: "when does Kenji start the levain?" });
    const levain = result.passages.find((p) => p.text.includes("levain"));
    expect(levain).toMatchObject({ speaker: "Kenji Albright", timestamp: 8.5, episode: { id: KITCHEN_4 } });
    expect(renderText(result)).toContain(
      `${levain?.episode.title} at 0:08\n    https://youtu.be/NkKtch004zz?si=share123&t=8`,
    );
  });

  it("keeps an untimed quote untimed all the way", async () => {
    const result = await ask({ text: "how often should I use a whetstone?" });
    const top = result.passages[0];
    expect(top).toMatchObject({ speaker: "Rosa Delacroix", timestamp: null, episode: { id: KITCHEN_5 } });
    expect(renderText(result)).not.toContain("#t=");
  });
});
