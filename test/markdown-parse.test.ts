import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { episodeVoices, labelKind, markdownBlocks } from "../src/corpus/md-blocks.js";
import { markdownText, parsedMarkdownText } from "../src/corpus/md-text.js";
import { parseMarkdownTranscript } from "../src/corpus/parse-md.js";
import type { EpisodeMeta, Turn } from "../src/corpus/types.js";
import { AppError } from "../src/errors.js";
import { CHANGELOG_DIR } from "./archive-fixtures.js";

/** The Markdown transcript format of the Changelog archive, on made-up lines and on the cut real episodes. */

const FIXTURES = ["gotime/go-time-100.md", "founderstalk/founders-talk-76.md", "news/changelog-news-100.md"];

/** Metadata naming everyone the source's labels name, as the corpus scan makes it. */
function metaFor(source: string): EpisodeMeta {
  const speakers = Object.fromEntries(
    episodeVoices(source).speakers.map((name) => [name, { name, role: "guest" as const }]),
  );
  return { id: "ep", show: "show", number: 1, title: "Ep", url: "", published: null, speakers };
}

function parse(source: string): Turn[] {
  return parseMarkdownTranscript(source, metaFor(source), "ep.md");
}

function said(turns: Turn[]): Array<[string, string]> {
  return turns.map((t) => [t.speaker.name, t.text]);
}

function refusal(source: string, meta = metaFor(source)): AppError {
  try {
    parseMarkdownTranscript(source, meta, "ep.md");
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error("expected the transcript to be refused");
}

const collapse = (text: string) => text.replace(/\s+/g, " ").trim();

describe("Markdown speaker labels", () => {
  it("reads `**Name:**` and `**Name**:` turns; a paragraph without a label continues the last speaker", () => {
    const turns = parse(
      [
        "**Rob Pike:** Robert, I guess it was kind of my fault.",
        "",
        "We talked for a few minutes.",
        "",
        "**Robert Griesemer**: Yeah, so I think the C++ thing came later.",
        "",
        "**Carmen Andoh** : And hello, Robert.",
      ].join("\n"),
    );
    expect(said(turns)).toEqual([
      ["Rob Pike", "Robert, I guess it was kind of my fault.\n\nWe talked for a few minutes."],
      ["Robert Griesemer", "Yeah, so I think the C++ thing came later."],
      ["Carmen Andoh", "And hello, Robert."],
    ]);
    expect(turns.map((t) => t.index)).toEqual([0, 1, 2]);
  });

  it("takes a label alone on its line, with the words in the paragraphs after it, and a label glued to the line before", () => {
    const turns = parse("**Jerod Santo:**\n\nWhat up, nerds?\n\nOk, news.\n**Adam Stacoviak:** Hey.\n");
    expect(said(turns)).toEqual([
      ["Jerod Santo", "What up, nerds?\n\nOk, news."],
      ["Adam Stacoviak", "Hey."],
    ]);
  });

  it("keeps bold words that are no label in the text", () => {
    const turns = parse("**Jerod Santo:** Have a great week, **leave us a review** if you dig it.\n");
    expect(said(turns)).toEqual([["Jerod Santo", "Have a great week, leave us a review if you dig it."]]);
  });

  it("gives words before the first label to the episode notes, not to a person", () => {
    const turns = parse("Recorded live at GopherCon.\n\n**Mat Ryer:** Hello!\n");
    expect(turns.map((t) => [t.speaker.role, t.label, t.text])).toEqual([
      ["notes", "notes", "Recorded live at GopherCon."],
      ["guest", "Mat Ryer", "Hello!"],
    ]);
  });

  it("tells markers from people: breaks and things played are no speakers", () => {
    expect(
      ["Break", "Ad break", "Jingle", "Outro", "Song extract", "Clip from Go Time #273"].map(labelKind),
    ).toEqual(["break", "break", "played", "played", "played", "played"]);
    expect(["Rob Pike", "Mireille B. Reece, Psy.D", "chg"].map(labelKind)).toEqual([
      "speaker",
      "speaker",
      "speaker",
    ]);
    expect(
      episodeVoices("**Break:**\n\n**Jerod Santo:** Hi.\n\n**Jingle:** la\n\n**Adam Stacoviak:** Yo.\n"),
    ).toEqual({ speakers: ["Jerod Santo", "Adam Stacoviak"], opener: "Jerod Santo" });
  });

  it("notes the names speakers introduce themselves by in the opening, besides their own", () => {
    const opening = [
      "**Kevin Ball:** Hello, JS Party people! I'm Kball, and I'm your MC this week.",
      "**Nick Nisi:** Ahoy-hoy! I'm Nick, and I'm Italian, by the way.",
      "**Daniel Whitenack:** I'm CEO at Prediction Guard. I'm Daniel.",
    ].join("\n\n");
    expect(episodeVoices(opening).calledBy).toEqual({ "Kevin Ball": ["Kball"], "Nick Nisi": ["Italian"] });
    // Past the opening, "I'm X" is no introduction.
    const late = `${Array.from({ length: 12 }, (_, i) => `**Nick Nisi:** Point ${i}.`).join("\n\n")}\n\n**Kevin Ball:** I'm Kball.`;
    expect(episodeVoices(late).calledBy).toBeUndefined();
  });
});

describe("markers and notes", () => {
  it("lets the speaker go on after an ad break, in a turn of its own", () => {
    const turns = parse(
      "**Jerod Santo:** First story.\n\n**Break:**\n\nSecond story.\n\n# **Break:** \\[25:59\\]\n\nThird.\n",
    );
    expect(said(turns)).toEqual([
      ["Jerod Santo", "First story."],
      ["Jerod Santo", "Second story."],
      ["Jerod Santo", "Third."],
    ]);
  });

  it("leaves out what is played (a jingle, a song) and the unlabelled lines after it", () => {
    const turns = parse(
      [
        "**Nick Nisi:** Let's play it.",
        "",
        "**Song:** \\[06:29\\]",
        "",
        "*Oh TC39, I'm so glad you're mine,*",
        "",
        "**Jingle:** \\[10:51\\] Please hold, we're having technical difficulties.",
        "",
        "**Nick Nisi:** That was great.",
      ].join("\n"),
    );
    expect(said(turns)).toEqual([
      ["Nick Nisi", "Let's play it."],
      ["Nick Nisi", "That was great."],
    ]);
    expect(turns[1]?.timestamp).toBe(651);
  });

  it("drops bracketed notes, and the space before them", () => {
    const turns = parse(
      "**Carmen Andoh:** \\[laughs\\] Right. Maybe \\[laughter\\]. Maybe not \\[unintelligible 00:56:01.29\\] at all.\n",
    );
    expect(said(turns)).toEqual([["Carmen Andoh", "Right. Maybe. Maybe not at all."]]);
  });

  it("puts punctuation after a note back on the word before it, on real lines", () => {
    const lines = [
      // Go Time #15
      "**Brian Ketelsen:** That gives me nightmares, thinking about the database rebase \\[laughter\\]. I am not rebasing my database.",
      // Go Time #50
      "**Erik St. Martin:** So because we haven't started a war yet \\[laughter\\], Kris, what's your development operating system and editor of choice?",
      // Go Time #163
      "**Mat Ryer:** No, but that's because they think you're really gonna do this in the lab. That's why. \\[laughter\\].",
    ];
    expect(said(parse(lines.join("\n\n")))).toEqual([
      [
        "Brian Ketelsen",
        "That gives me nightmares, thinking about the database rebase. I am not rebasing my database.",
      ],
      [
        "Erik St. Martin",
        "So because we haven't started a war yet, Kris, what's your development operating system and editor of choice?",
      ],
      ["Mat Ryer", "No, but that's because they think you're really gonna do this in the lab. That's why.."],
    ]);
    expect(said(parse('**Jon Calhoun:** Who said "cool \\[laughs\\]?" and left \\[laughs\\]...\n'))).toEqual([
      ["Jon Calhoun", 'Who said "cool?" and left...'],
    ]);
  });

  it("keeps the space before punctuation that starts a word after a note, on real lines", () => {
    const lines = [
      // JS Party #158
      "**Jason Miller:** \\[28:01\\] Yes. Or you could also use a .js extension, but that's a \\[unintelligible 00:28:02.28\\] .js extension when there's a .ts file on disk, it's the .ts file.",
      // Backstage #1
      "**Jerod Santo:** Nothing we do is on purpose... \\[laughter\\] \\...it's probably 100% on accident",
    ];
    expect(said(parse(lines.join("\n\n")))).toEqual([
      [
        "Jason Miller",
        "Yes. Or you could also use a .js extension, but that's a .js extension when there's a .ts file on disk, it's the .ts file.",
      ],
      ["Jerod Santo", "Nothing we do is on purpose... ...it's probably 100% on accident"],
    ]);
  });
});

describe("Markdown is read as a reader sees it", () => {
  it("keeps a link's text, drops emphasis, escapes and entities, and leaves words with underscores whole", () => {
    const turns = parse(
      "**Jerod Santo:** [Fifty years of diff](https://example.org/diff) by *Mike*, it&#39;s `diff` and __merge__ \\- in snake_case_names.\n",
    );
    expect(said(turns)).toEqual([
      ["Jerod Santo", "Fifty years of diff by Mike, it's diff and merge - in snake_case_names."],
    ]);
  });

  it("keeps the space before a code span that starts with punctuation, as it was said", () => {
    const lines = [
      // Go Time #87, cut
      "**Aaron Schlesinger:** \\[19:56\\] And you can say `.WithDriver().Connect()` and then maybe you pass in the host string, and `.Query()` or `.QueryBuilder()`, or whatever that might be.",
      // Go Time #107, cut
      "**Mark Bates:** That's what `let` would let you do. Because `var` doesn't let you do that, nor does `:=`.",
      // Go Time #217, cut
      "**Daniel Martí:** So you can give it `./...` for example",
      // Changelog News #53, cut
      "**Jerod Santo:** Container queries, layered styles, `:is()` & `:where()`, the new color function syntax.",
    ];
    expect(said(parse(lines.join("\n\n")))).toEqual([
      [
        "Aaron Schlesinger",
        "And you can say .WithDriver().Connect() and then maybe you pass in the host string, and .Query() or .QueryBuilder(), or whatever that might be.",
      ],
      ["Mark Bates", "That's what let would let you do. Because var doesn't let you do that, nor does :=."],
      ["Daniel Martí", "So you can give it ./... for example"],
      ["Jerod Santo", "Container queries, layered styles, :is() & :where(), the new color function syntax."],
    ]);
    expect(said(parse("**Mat Ryer:** Type `,` or `...` or `!=` or `;` then `?`.\n"))).toEqual([
      ["Mat Ryer", "Type , or ... or != or ; then ?."],
    ]);
  });

  it("gives a news host's headline, quoted blocks and lists to the host, each quoted paragraph on a line", () => {
    const turns = parse(
      [
        "**Jerod Santo:**",
        "",
        "[The onset of Senior Engineer Fatigue](https://example.org/fatigue)",
        "",
        "> As you move deeper into your career,",
        ">",
        "> a peculiar phenomenon sets in.",
        "",
        "- Push, pull & sign your Git commits",
        "- Secure your SSH keys",
      ].join("\n"),
    );
    expect(said(turns)).toEqual([
      [
        "Jerod Santo",
        "The onset of Senior Engineer Fatigue\n\nAs you move deeper into your career,\na peculiar phenomenon sets in.\n\nPush, pull & sign your Git commits\nSecure your SSH keys",
      ],
    ]);
  });

  it("keeps a turn that starts like a list a paragraph, as the published page shows it", () => {
    expect(said(parse("**Kevin Ball:** 1. Tests first. 2. Code after.\n"))).toEqual([
      ["Kevin Ball", "1. Tests first. 2. Code after."],
    ]);
  });

  it("gives the same text with or without the parser on every block of the real episodes", async () => {
    let blocks = 0;
    for (const name of FIXTURES) {
      const source = await readFile(join(CHANGELOG_DIR, name), "utf8");
      for (const block of markdownBlocks(source)) {
        const from = block.label?.contentStart ?? block.start;
        expect(markdownText(source, block.start, block.end, from)).toEqual(
          parsedMarkdownText(source, block.start, block.end, from),
        );
        blocks += 1;
      }
    }
    expect(blocks).toBeGreaterThan(80);
  });
});

describe("timestamps", () => {
  const timed = [
    "**Carmen Andoh:** Welcome to Go Time!", // 0: before the first timestamp
    "",
    "**Rob Pike:** \\[04:22\\] 45 minutes.", // 1
    "",
    "**Robert Griesemer:** Okay, 45 minutes.", // 2: goes on from 04:22
    "",
    "**Rob Pike:** Bill was the best manager.", // 3
    "",
    "\\[01:08:23.15\\] So we had worked together a lot. \\[01:09:00\\] And then he came.", // 3, two more cues
    "",
    "**Break:** \\[01:10:00\\] to \\[01:12:30.05\\]",
    "",
    "**Carmen Andoh:** So after this big break...", // 4: after the break's end
  ].join("\n");

  it("times every word by the last timestamp at or before it, 0 before the first", () => {
    const turns = parse(timed);
    expect(turns.map((t) => [t.speaker.name, t.timestamp])).toEqual([
      ["Carmen Andoh", 0],
      ["Rob Pike", 262],
      ["Robert Griesemer", 262],
      ["Rob Pike", 262],
      ["Carmen Andoh", 4350],
    ]);
    const rob = turns[3] as Turn;
    expect(rob.text).toBe("Bill was the best manager.\n\nSo we had worked together a lot. And then he came.");
    expect(rob.cues?.map((c) => [rob.text.slice(c.offset, c.offset + 12), c.time])).toEqual([
      ["Bill was the", 262],
      ["So we had wo", 4103],
      ["And then he ", 4140],
    ]);
  });

  it("points each cue at its words in the file, timestamps and label left outside", () => {
    const turns = parse(timed);
    for (const turn of turns) {
      for (const [i, cue] of (turn.cues ?? []).entries()) {
        const next = turn.cues?.[i + 1];
        const words = turn.text.slice(cue.offset, next?.offset ?? turn.text.length);
        expect(collapse(markdownText(timed, cue.start, cue.end).text)).toBe(collapse(words));
      }
    }
    expect(timed.slice(turns[1]?.start, turns[1]?.end)).toBe("45 minutes.");
  });

  it("leaves a file without timestamps untimed: no times, no cues, offsets that hold its text", () => {
    const source =
      "**Jerod Santo:** What up, nerds?\n\nThat's the news.\n\n**Break:**\n\n**Jerod Santo:** Bye!\n";
    const turns = parse(source);
    expect(turns.map((t) => [t.timestamp, t.cues])).toEqual([
      [null, undefined],
      [null, undefined],
    ]);
    expect(turns.map((t) => source.slice(t.start, t.end))).toEqual([
      "What up, nerds?\n\nThat's the news.",
      "Bye!",
    ]);
  });

  it("reads the odd timestamps of real files: hours of one digit, stray backslashes", () => {
    const turns = parse(
      "**Amal Hussein:** \\[1:25:53.11\\] One.\n\n**Nick Nisi:** \\[\\\\00:59:17.27\\] Two.\n",
    );
    expect(turns.map((t) => t.timestamp)).toEqual([5153, 3557]);
  });
});

describe("the cut real episodes", () => {
  it("keep every turn's offsets on its words: the Markdown between them reads as the turn's text", async () => {
    for (const name of FIXTURES) {
      const source = await readFile(join(CHANGELOG_DIR, name), "utf8");
      const turns = parse(source);
      expect(turns.length).toBeGreaterThan(3);
      for (const turn of turns) {
        expect(collapse(markdownText(source, turn.start, turn.end).text), `${name} turn ${turn.index}`).toBe(
          collapse(turn.text),
        );
      }
    }
  });

  it("read the panel: four speakers, Rob Pike's early-days story in his own turn at its time", async () => {
    const source = await readFile(join(CHANGELOG_DIR, "gotime/go-time-100.md"), "utf8");
    const turns = parse(source);
    expect(new Set(turns.map((t) => t.speaker.name))).toEqual(
      new Set(["Carmen Andoh", "Jon Calhoun", "Rob Pike", "Robert Griesemer"]),
    );
    const story = turns.find((t) => t.text.includes("sometime in September 2007"));
    expect(story?.speaker.name).toBe("Rob Pike");
    expect(story?.text).toContain(
      '"Hey, Robert, we should do something about this."\n\nWe talked for a few minutes',
    );
    const afterBreak = turns.find((t) => t.text.startsWith("So after this big break"));
    expect([afterBreak?.speaker.name, afterBreak?.timestamp]).toEqual(["Carmen Andoh", 24 * 60 + 27]);
  });

  it("read the interview's `**Break**:` spelling and long timestamps", async () => {
    const source = await readFile(join(CHANGELOG_DIR, "founderstalk/founders-talk-76.md"), "utf8");
    const turns = parse(source);
    expect(new Set(turns.map((t) => t.speaker.name))).toEqual(new Set(["Adam Stacoviak", "Mitch Wainer"]));
    expect(turns.some((t) => t.text.includes("Break"))).toBe(false);
    const cool = turns.find((t) => t.text.startsWith("Cool. And that's sponsored.us."));
    expect(cool?.timestamp).toBe(3600 + 6 * 60 + 53);
    expect(turns.find((t) => t.text.startsWith("Okay..."))?.text).toBe("Okay... Super-easy, basically.");
  });
});

describe("malformed Markdown transcripts are refused with the file and line named", () => {
  it.each([
    ["an empty file", "", "E_TRANSCRIPT_EMPTY", "ep.md: "],
    ["a file of blank lines", " \n\n\t\n", "E_TRANSCRIPT_EMPTY", "ep.md: "],
    ["text without any label", "Just some notes.\n\nNo speakers.\n", "E_TRANSCRIPT_NO_SPEAKERS", "ep.md:1: "],
    [
      "labels with no words",
      "**Break:**\n\n**Jerod Santo:**\n\n**Break:**\n",
      "E_TRANSCRIPT_EMPTY",
      "ep.md:3: ",
    ],
    [
      "a control character",
      "**Mat Ryer:** Hi.\n\n**Jon Calhoun:** Hey\u001d there.\n",
      "E_TRANSCRIPT_BINARY",
      "ep.md:3: ",
    ],
  ])("refuses %s", (_, source, code, where) => {
    const error = refusal(source);
    expect(error.code).toBe(code);
    expect(error.message.startsWith(where)).toBe(true);
  });

  it("names the invisible character and its column", () => {
    expect(refusal("**Mat Ryer:** Hi.\n\n**Jon Calhoun:** Hey\u001d there.\n").message).toContain(
      "U+001D at column 21",
    );
  });

  it("refuses a speaker that the episode's metadata does not know, naming the line", () => {
    const source = "**Mat Ryer:** Hi.\n\n**Jon Calhoun:** Hey.\n";
    const meta = metaFor("**Mat Ryer:** Hi.\n");
    const error = refusal(source, meta);
    expect(error.code).toBe("E_TRANSCRIPT_UNKNOWN_SPEAKER");
    expect(error.message).toContain('ep.md:3: speaker "Jon Calhoun"');
  });
});
