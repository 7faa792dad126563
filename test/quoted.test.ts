import { describe, expect, it } from "vitest";
import { buildLexical } from "../src/retrieval/index/lexical.js";
import type { Passage } from "../src/retrieval/index/passage.js";
import { phraseSearches, quotedPhrases, saysQuoted } from "../src/retrieval/query/quoted.js";
import { SMALL_PASSAGES } from "./helpers/small-corpus.js";

describe("a phrase the question quotes", () => {
  it("is two words or more in double, curly or single quotes, not an apostrophe's", () => {
    expect(quotedPhrases("who came up with the 'heck yes or no' rule for decisions?")).toEqual([
      "heck yes or no",
    ]);
    expect(quotedPhrases('why won\'t DX call it "developer happiness"?')).toEqual(["developer happiness"]);
    expect(quotedPhrases("what's “broaden and build” about?")).toEqual(["broaden and build"]);
    // Apostrophes, and a quoted single word, are no phrase.
    expect(quotedPhrases("what's Jaana's take on Dave's rule, isn't it 'simple'?")).toEqual([]);
  });

  it("finds the passages that say it word for word, case and punctuation aside", () => {
    const template = SMALL_PASSAGES[0] as Passage;
    const texts = [
      "My rule for decisions: heck yes, or no.",
      "Heck, yes. I said no to most of it.",
      "Decisions are hard, and no rule helps.",
    ];
    const passages = texts.map((text, i) => ({ ...template, id: `q#${i}`, turnIndex: i, text }));
    const lexical = buildLexical(passages, {}, "");
    const saying = (phrase: string) => {
      const searches = phraseSearches([phrase], lexical.text);
      return passages.flatMap((passage, position) =>
        saysQuoted(searches, position, () => passage.text) ? [position] : [],
      );
    };
    expect(saying("heck yes or no")).toEqual([0]);
    // Said otherwise ("heck yes or maybe") nowhere: nothing is found.
    expect(saying("heck yes or maybe")).toEqual([]);
    // Only passages holding every word of it are read.
    expect(phraseSearches(["heck yes or no"], lexical.text)[0]?.holding).toEqual(new Set([0, 1]));
  });
});
