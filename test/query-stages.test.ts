import { describe, expect, it } from "vitest";
import { stem, terms } from "../src/retrieval/analysis/tokens.js";
import { UNSEEN_INFORMATION } from "../src/retrieval/analysis/word-frequency.js";
import { QueryAnalyser, queryCorpus } from "../src/retrieval/query/analyse.js";
import { keyness } from "../src/retrieval/query/information.js";
import { type Draft, QUERY_STAGES, type QueryStage, startDraft } from "../src/retrieval/query/stages.js";
import { DEFAULT_RETRIEVAL, type RetrievalSettings } from "../src/retrieval/settings.js";
import { smallIndex } from "./helpers/small-corpus.js";

const index = smallIndex();
const corpus = queryCorpus(index);

/** Runs the stages before `name` (as the analyser would), then `name` itself, and returns the draft. */
function runThrough(
  name: string,
  text: string,
  previous?: string,
  settings: RetrievalSettings = DEFAULT_RETRIEVAL,
): Draft {
  const at = QUERY_STAGES.findIndex((stage) => stage.name === name);
  expect(at).toBeGreaterThanOrEqual(0);
  const draft = startDraft(text, previous);
  for (const stage of QUERY_STAGES.slice(0, at + 1)) stage.run(draft, corpus, settings);
  return draft;
}

const with_ = (changes: Partial<RetrievalSettings>): RetrievalSettings => ({
  ...DEFAULT_RETRIEVAL,
  ...changes,
});

describe("the query stages", () => {
  it("run in this order", () => {
    expect(QUERY_STAGES.map((stage) => stage.name)).toEqual([
      "spell out",
      "show",
      "speaker",
      "asked words",
      "answer type",
      "joined forms",
      "about a person",
      "about the episode",
      "known words",
      "corpus words",
      "initialisms",
      "phrases",
      "displaced words",
      "salience",
      "keyness",
      "favoured speakers",
    ]);
  });

  it("read no setting they do not name", () => {
    for (const stage of QUERY_STAGES as QueryStage[]) {
      const named = new Set<string>(stage.settings);
      const guarded = new Proxy(DEFAULT_RETRIEVAL, {
        get(target, key) {
          if (typeof key === "string" && !named.has(key))
            throw new Error(`stage "${stage.name}" read ${key}, which it does not name`);
          return Reflect.get(target, key);
        },
      });
      for (const [text, previous] of [
        ["are provisoned async workers chilly in the show, 5 yrs on?", "how slow is a cold start?"],
        ["who is holly and how do they go over the elastic file system?", undefined],
      ] as const) {
        const draft = startDraft(text, previous);
        for (const each of QUERY_STAGES)
          each.run(draft, corpus, each === stage ? guarded : DEFAULT_RETRIEVAL);
      }
    }
  });

  it("spell out: typed abbreviations as the transcript spells them, in the question and the one before", () => {
    const draft = runThrough("spell out", "how many ppl w/o 5 yrs", "is it 100%?");
    expect(draft.text).toBe("how many people without 5 years");
    expect(draft.previous).toBe("is it 100 percent?");
  });

  it("speaker: the one the question names, else the one the question before named", () => {
    expect(runThrough("speaker", "what did holly say about warm workers?").speaker).toEqual({
      names: new Set(["Holly Mesrobian"]),
      matchedWords: new Set(["holly"]),
    });
    expect(runThrough("speaker", "and cold starts?", "what does the host think?").speaker?.names).toEqual(
      new Set(["Jeremy Daly"]),
    );
    expect(runThrough("speaker", "and cold starts?").speaker).toBeNull();
  });

  it("asked words: the question's terms, the earlier question's at followUpWeight, not the speaker's name", () => {
    const draft = runThrough(
      "asked words",
      "what did holly say about warm workers?",
      "how slow is a cold start?",
      with_({ followUpWeight: 0.25 }),
    );
    expect(draft.asked).toEqual(
      new Map([
        [stem("warm"), 1],
        [stem("workers"), 1],
        [stem("slow"), 0.25],
        [stem("cold"), 0.25],
        [stem("start"), 0.25],
      ]),
    );
  });

  it("answer type: a frequency is asked for, and a frequency word the episode never says is no topic", () => {
    const draft = runThrough("answer type", "do they review incidents regularly?");
    expect(draft.expected).toEqual({ type: "frequency", optional: true });
    expect([...draft.asked.keys()]).toEqual([stem("review"), stem("incidents")]);
  });

  it("joined forms: '15-minute' asks its parts, not the joined form the episode never writes", () => {
    const draft = runThrough("joined forms", "is the 15-minute limit cheap?");
    expect(draft.asked.has("15")).toBe(true);
    expect(draft.asked.has(stem("minute"))).toBe(true);
    expect(draft.asked.has(stem("15minute"))).toBe(false);
    // A joined form the corpus writes is asked, with its parts (test/archive-ranking.test.ts).
    expect(draft.joined.size).toBe(0);
  });

  it("about a person: 'who is holly?' asks her name, and is about her alone", () => {
    const alone = runThrough("about a person", "who is holly?");
    expect(alone.aboutPerson).toEqual(["Holly Mesrobian"]);
    expect([...alone.asked.keys()]).toEqual(terms("Holly Mesrobian"));
    const among = runThrough("about a person", "who's the guest and are EFS mounts cheap?");
    expect(among.aboutPerson).toEqual([]);
    expect(among.asked.has(stem("mesrobian"))).toBe(true);
  });

  it("known words: the asked words the corpus uses; a named speaker names the episode", () => {
    const draft = runThrough("known words", "is cold brew slow?");
    expect(draft.known).toEqual(new Set([stem("cold"), stem("slow")]));
    expect(draft.namesEpisode).toBe(false);
    expect(runThrough("known words", "does holly like cold brew?").namesEpisode).toBe(true);
  });

  it("corpus words: metadata, numbers, relatives, typos and clippings, each at its setting", () => {
    const settings = with_({
      metadataWeight: 0.3,
      typoWeight: 0.4,
      prefixWeight: 0.45,
      expansionScale: 1,
      knownExpansionScale: 0.5,
    });
    const draft = runThrough(
      "corpus words",
      "which show has 5 provisoned async chilly cold workers?",
      undefined,
      settings,
    );
    const searched = (term: string) => draft.searched.get(term);
    // "show" stands for the show's name.
    expect(searched(stem("night"))).toEqual({ weight: 0.3, from: "show" });
    expect(draft.namesEpisode).toBe(true);
    // "5" is "five", as the episode writes it.
    expect(searched(stem("five"))).toEqual({ weight: 1, from: "5" });
    expect(draft.respelled.get("5")).toEqual([stem("five")]);
    // A rare word one letter from a corpus word is a typo of it.
    expect(searched(stem("provisioned"))).toEqual({ weight: 0.4, from: stem("provisoned") });
    expect(draft.respelled.get(stem("provisoned"))).toEqual([stem("provisioned")]);
    // A rare clipping is the word it clips.
    expect(searched(stem("asynchronous"))).toEqual({ weight: 0.45, from: "async" });
    expect(draft.respelled.get("async")).toEqual([stem("asynchronous")]);
    // An unknown word's relative at its expansion weight; a known word's at knownExpansionScale of it.
    expect(searched(stem("cold"))).toEqual({ weight: 1, from: stem("cold") });
    expect(searched(stem("slow"))).toEqual({ weight: 0.4 * 0.5, from: stem("cold") });
    expect(draft.known.has(stem("chilly"))).toBe(false);
  });

  it("initialisms: a spelled-out initialism finds the corpus's", () => {
    const draft = runThrough("initialisms", "is the elastic file system cheap?");
    const [efs] = terms("EFS");
    expect(draft.searched.get(efs as string)).toEqual({ weight: 1, from: efs });
  });

  it("phrases: a WordNet phrase of the question searches its relatives at expansionScale", () => {
    const draft = runThrough(
      "phrases",
      "how do they go over incidents?",
      undefined,
      with_({ expansionScale: 0.5 }),
    );
    expect([...draft.phrases.keys()]).toEqual(["go_over"]);
    expect(draft.searched.get(stem("review"))).toEqual({ weight: 0.3, from: "go_over" });
  });

  it("displaced words: a word the episode only uses in another phrase is displaced", () => {
    expect(runThrough("displaced words", "is cold brew slow?").displaced).toEqual(new Set([stem("cold")]));
    expect(runThrough("displaced words", "is a cold start slow?").displaced).toEqual(new Set());
  });

  it("salience: information mapped between the salience settings; a phrase counts 0.5", () => {
    const draft = runThrough("salience", "is warm brew slow when they go over it?");
    expect(draft.salience.get(stem("warm"))).toBe(1);
    expect(draft.salience.get(stem("slow"))).toBe(0.1);
    expect(draft.salience.get(stem("brew"))).toBe(1);
    expect(draft.salience.get("go_over")).toBe(0.5);
    const wide = runThrough(
      "salience",
      "is warm brew slow?",
      undefined,
      with_({ salience: { low: 0, high: 28 } }),
    );
    expect(wide.salience.get(stem("warm"))).toBe(0.5);
    expect(wide.salience.get(stem("brew"))).toBe(UNSEEN_INFORMATION / 28);
  });

  it("keyness: the most characteristic known word's, displaced words left out", () => {
    const draft = runThrough("keyness", "is cold brew slow?");
    expect(draft.keyness).toBe(keyness(stem("slow"), index.lexical));
    expect(keyness(stem("cold"), index.lexical)).toBeGreaterThan(draft.keyness);
    expect(runThrough("keyness", "is banana bread tasty?").keyness).toBe(Number.NEGATIVE_INFINITY);
  });

  it("keyness: the register is the telling words' keyness on average, a word never said counting -3", () => {
    const draft = runThrough("keyness", "is a warm worker slow?");
    const telling = [stem("warm"), stem("worker"), stem("slow")].filter(
      (term) => (draft.salience.get(term) ?? 1) >= 0.3,
    );
    const weights = telling.map((term) => draft.salience.get(term) ?? 1);
    const mean =
      telling.reduce((sum, term, i) => sum + (weights[i] as number) * keyness(term, index.lexical), 0) /
      weights.reduce((a, b) => a + b, 0);
    expect(draft.register).toBeCloseTo(mean, 9);
    // Words the episode never says pull it down; a question with no telling word has none.
    expect(runThrough("keyness", "is banana bread tasty?").register).toBe(-3);
    expect(runThrough("keyness", "is it?").register).toBeNaN();
  });

  it("favoured speakers: the one named, the guest's side for 'they', no one for 'what did they say'", () => {
    const favoured = (question: string) => runThrough("favoured speakers", question).speakers;
    expect(favoured("what did jeremy say about cold starts?")).toEqual(new Set(["Jeremy Daly"]));
    expect(favoured("do they review incidents?")).toEqual(new Set(["Holly Mesrobian"]));
    expect(favoured("what did they say about incidents?")).toBeNull();
    expect(favoured("who is holly?")).toBeNull();
  });

  it("a role names the one episode's people: in a corpus of one, 'the guest' is someone", () => {
    const analysis = new QueryAnalyser(index, DEFAULT_RETRIEVAL).analyse({
      text: "what did the guest say about cold starts?",
      limit: 3,
    });
    expect(analysis.speakers).toEqual(new Set(["Holly Mesrobian"]));
    expect(analysis.namesSpeaker).toBe(true);
    expect(analysis.namesEpisode).toBe(true);
  });

  it("make the analysis the analyser returns", () => {
    const analysis = new QueryAnalyser(index, DEFAULT_RETRIEVAL).analyse({
      text: "does holly think warm workers are cheap?",
      limit: 3,
    });
    expect(analysis.namesSpeaker).toBe(true);
    expect(analysis.speakers).toEqual(new Set(["Holly Mesrobian"]));
    expect(analysis.shows).toBeNull();
    expect(analysis.expected).toEqual({ type: "any" });
    expect([...analysis.asked.keys()]).toEqual([stem("warm"), stem("workers"), stem("cheap")]);
    expect(Object.keys(analysis).sort()).toEqual(
      [
        "aboutPerson",
        "asked",
        "displaced",
        "expected",
        "joined",
        "keyness",
        "known",
        "namesEpisode",
        "namesSpeaker",
        "register",
        "respelled",
        "salience",
        "searched",
        "shows",
        "speakers",
      ].sort(),
    );
  });
});
