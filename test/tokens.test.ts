import { describe, expect, it } from "vitest";
import { nameWords, stem, terms, words } from "../src/retrieval/analysis/tokens.js";

describe("the one tokeniser", () => {
  it("keeps apostrophes, dots and hyphens inside words, with offsets", () => {
    expect(words("We’re on re:Invent's single-purpose E.F.S.")).toEqual([
      { word: "we're", start: 0, end: 5 },
      { word: "on", start: 6, end: 8 },
      { word: "re", start: 9, end: 11 },
      { word: "invent's", start: 12, end: 20 },
      { word: "single-purpose", start: 21, end: 35 },
      { word: "e.f.s", start: 36, end: 41 },
    ]);
  });

  it("gives the index terms: stems of content words, a joined word with its parts", () => {
    expect(terms("The single-purpose functions led")).toEqual([
      stem("singlepurpose"),
      stem("single"),
      stem("purpose"),
      stem("functions"),
      "lead",
    ]);
  });

  it("reads names the same way: accents folded, no possessive or plural", () => {
    expect(nameWords("Zoë's — the Castellanos/Kenji episode")).toEqual([
      "zoe",
      "the",
      "castellano",
      "kenji",
      "episode",
    ]);
  });
});
