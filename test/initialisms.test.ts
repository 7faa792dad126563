import { describe, expect, it } from "vitest";
import { terms } from "../src/retrieval/analysis/tokens.js";
import { Bm25 } from "../src/retrieval/index/bm25.js";
import { buildLexical } from "../src/retrieval/index/lexical.js";
import type { Passage } from "../src/retrieval/index/passage.js";
import { spelledOutInitialisms } from "../src/retrieval/query/word-groups.js";
import { SMALL_PASSAGES, smallLexical } from "./helpers/small-corpus.js";

/**
 * Spelled-out initialisms ("file system" finds "EFS") in a corpus with a few of them, and in one
 * with as many as an archive, where a run of everyday words spells one by chance.
 */

const CONSONANTS = "bcdfghjklmnpqrstvwxz";

/** 2,000 three-letter initialisms (none with a vowel), a hundred to a passage. */
function crowdedPassages(): Passage[] {
  const letters: string[] = [];
  for (const a of CONSONANTS)
    for (const b of CONSONANTS) for (const c of "bdgkt") letters.push(`${a}${b}${c}`);
  const template = SMALL_PASSAGES[0] as Passage;
  const passages: Passage[] = [];
  for (let i = 0; i < letters.length; i += 100) {
    const text = `We compared ${letters
      .slice(i, i + 100)
      .map((l) => l.toUpperCase())
      .join(", ")} at work.`;
    passages.push({ ...template, id: `crowd#${i}`, episodeId: "crowd", turnIndex: i, text, context: "" });
  }
  return passages;
}

function lexicalOf(extra: string[]): ReturnType<typeof smallLexical> {
  const template = SMALL_PASSAGES[0] as Passage;
  const more = extra.map((text, i) => ({
    ...template,
    id: `more#${i}`,
    episodeId: "more",
    turnIndex: i,
    text,
  }));
  return buildLexical([...SMALL_PASSAGES, ...crowdedPassages(), ...more], {}, "");
}

const [mpa] = terms("MPA");

describe("a spelled-out initialism", () => {
  it("is found on its letters alone where the corpus has few initialisms", () => {
    const [efs] = terms("EFS");
    expect(spelledOutInitialisms("is the elastic file system cheap?", smallLexical())).toContainEqual([
      efs,
      1,
    ]);
    expect(spelledOutInitialisms("is the file system cheap?", smallLexical())).toContainEqual([efs, 0.6]);
  });

  it("is no chance spelling where the corpus has thousands: each of its words goes with it", () => {
    const question = "why does making people anxious slow a team down?";
    // A multi-page app (MPA) said nowhere near "anxious": "making people anxious" spells it by chance.
    const apart = lexicalOf(["An MPA is a multi-page app.", "Deadlines leave people anxious."]);
    expect(spelledOutInitialisms(question, apart).map(([term]) => term)).not.toContain(mpa);
    // Said with "anxious" once, by chance as far as anyone can tell.
    const once = lexicalOf([
      "An MPA is a multi-page app.",
      "That MPA made people anxious, making us rewrite it.",
    ]);
    expect(spelledOutInitialisms(question, once).map(([term]) => term)).not.toContain(mpa);
    // Said with every one of them, again and again, it is what the words spell out.
    const together = lexicalOf([
      "MPA, making people anxious, is our name for vague deadlines.",
      "Vague deadlines are the MPA: making people anxious.",
    ]);
    expect(spelledOutInitialisms(question, together)).toContainEqual([mpa, 1]);
  });

  it("is searched for no ending of the crowd's initialisms that two everyday words happen to spell", () => {
    // "team down" spells "td", the ending of twenty crowded initialisms ("BTD", "CTD", …).
    const found = spelledOutInitialisms("why does a team down tools?", lexicalOf([]));
    expect(found).toEqual([]);
  });
});

describe("the documents that hold every one of some terms", () => {
  it("are the rarest term's that every other term's postings hold too, ascending", () => {
    const bm25 = Bm25.build([
      ["gke", "googl"],
      ["googl", "end"],
      ["gke", "googl", "end"],
      ["end"],
      ["gke", "end"],
    ]);
    expect(bm25.documentsWithAll(["gke", "googl"])).toEqual([0, 2]);
    expect(bm25.documentsWithAll(["googl", "gke", "end"])).toEqual([2]);
    expect(bm25.documentsWithAll(["end"])).toEqual([1, 2, 3, 4]);
    expect(bm25.documentsWithAll(["gke", "never"])).toEqual([]);
    expect(bm25.documentsWithAll([])).toEqual([]);
  });
});
