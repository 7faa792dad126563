import { describe, expect, it } from "vitest";
import { stem } from "../src/retrieval/analysis/tokens.js";
import { scopeOf } from "../src/retrieval/index/passage-scope.js";
import { QueryAnalyser } from "../src/retrieval/query/analyse.js";
import { ADJUSTMENTS, type AdjustmentFacts } from "../src/retrieval/ranking/adjustments.js";
import {
  finalScore,
  inheritReplies,
  scalesOf,
  stageOneFactor,
  stageOneMaxes,
  stageOneSum,
} from "../src/retrieval/ranking/combine.js";
import { coverage, RANKING_CONTEXT_CREDIT, topicShare } from "../src/retrieval/ranking/coverage.js";
import { EpisodeRelevance } from "../src/retrieval/ranking/episodes.js";
import type { Hit } from "../src/retrieval/ranking/hit.js";
import { passageFacts } from "../src/retrieval/ranking/passage-facts.js";
import { PassageTermsCache } from "../src/retrieval/ranking/passage-terms.js";
import { Ranker } from "../src/retrieval/ranking/rank.js";
import { searchTerms } from "../src/retrieval/ranking/search-terms.js";
import type { StageOneSignals } from "../src/retrieval/ranking/signals.js";
import { DEFAULT_RETRIEVAL, type RetrievalSettings } from "../src/retrieval/settings.js";
import { SMALL_PASSAGES, smallIndex } from "./helpers/small-corpus.js";

const settings: RetrievalSettings = {
  ...DEFAULT_RETRIEVAL,
  weights: { text: 2, sentence: 3, context: 4, vector: 5, coverage: 6 },
  answerContextWeight: 1.5,
  speakerBoost: 0.5,
  askingPassageWeight: 0.8,
  askingTurnWeight: 0.85,
  answerTypeBoost: 0.6,
};

const signals = (text: number[], context: number[], vector: number[]): StageOneSignals => ({
  text: Float64Array.from(text),
  context: Float64Array.from(context),
  vector: Float64Array.from(vector),
});

const none: AdjustmentFacts = { favouredSpeaker: false, asks: false, handsOver: false, statesAnswer: false };

describe("stage 1: the cheap signals, normalised to the best passage in scope", () => {
  it("scales each signal by its weight over its best value, and the answer's context by answerContextWeight", () => {
    const scales = scalesOf(stageOneMaxes(signals([1, 4], [2, 0], [0.5, 0.25]), undefined), settings);
    expect(scales).toEqual({ text: 2 / 4, context: 4 / 2, answerContext: (4 / 2) * 1.5, vector: 5 / 0.5 });
    expect(stageOneSum(signals([1, 4], [2, 0], [0.5, 0.25]), scales, 0, false)).toBe(
      1 * 0.5 + 2 * 2 + 0.5 * 10,
    );
    expect(stageOneSum(signals([1, 4], [2, 0], [0.5, 0.25]), scales, 0, true)).toBe(
      1 * 0.5 + 2 * 3 + 0.5 * 10,
    );
  });

  it("normalises within the scope only, and a signal no passage has adds nothing", () => {
    const scales = scalesOf(
      stageOneMaxes(signals([1, 4], [0, 0], [0.5, 0.25]), scopeOf(Uint8Array.from([1, 0]))),
      settings,
    );
    expect(scales).toEqual({ text: 2 / 1, context: 0, answerContext: 0, vector: 5 / 0.5 });
  });

  it("applies the speaker boost alone of the adjustments", () => {
    expect(stageOneFactor(none, settings)).toBe(1);
    expect(stageOneFactor({ ...none, favouredSpeaker: true }, settings)).toBe(1.5);
    expect(stageOneFactor({ ...none, asks: true, handsOver: true, statesAnswer: true }, settings)).toBe(1);
  });
});

describe("stage 2: the finalists' signals, then the adjustments in order", () => {
  const best = { sentence: 2, coverage: 4 };

  it("adds the sentence and coverage signals normalised to the best finalist", () => {
    expect(finalScore(1, { sentence: 1, coverage: 4 }, best, none, settings)).toEqual({
      score: 1 + (3 * 1) / 2 + (6 * 4) / 4,
      adjustments: [],
    });
    expect(
      finalScore(1, { sentence: 0, coverage: 0 }, { sentence: 0, coverage: 0 }, none, settings).score,
    ).toBe(1);
  });

  it("multiplies by each adjustment that holds, and names them", () => {
    const plain = finalScore(1, { sentence: 0, coverage: 0 }, best, none, settings).score;
    const adjusted = (facts: Partial<AdjustmentFacts>) =>
      finalScore(1, { sentence: 0, coverage: 0 }, best, { ...none, ...facts }, settings);
    expect(adjusted({ favouredSpeaker: true })).toEqual({ score: plain * 1.5, adjustments: ["speaker"] });
    expect(adjusted({ asks: true })).toEqual({ score: plain * 0.8, adjustments: ["asking sentence"] });
    expect(adjusted({ handsOver: true })).toEqual({ score: plain * 0.85, adjustments: ["asking turn"] });
    expect(adjusted({ statesAnswer: true })).toEqual({ score: plain * 1.6, adjustments: ["answer type"] });
    // A passage that asks is not also penalised for handing over; the asked-about speaker is penalised for neither.
    expect(adjusted({ asks: true, handsOver: true }).adjustments).toEqual(["asking sentence"]);
    expect(adjusted({ favouredSpeaker: true, asks: true, handsOver: true, statesAnswer: true })).toEqual({
      score: plain * 1.5 * 1.6,
      adjustments: ["speaker", "answer type"],
    });
  });

  it("lists the adjustments in the order they apply, each with the settings it reads", () => {
    expect(ADJUSTMENTS.map((a) => [a.name, a.settings])).toEqual([
      ["speaker", ["speakerBoost"]],
      ["asking sentence", ["askingPassageWeight"]],
      ["asking turn", ["askingTurnWeight"]],
      ["answer type", ["answerTypeBoost"]],
    ]);
  });
});

describe("reply inheritance", () => {
  it("gives a short reply its share of the score its turn had before any reply inherited", () => {
    const hits = [
      { position: 4, score: 10, evidence: { inherited: 0 } },
      { position: 5, score: 2, evidence: { inherited: 0 } },
      { position: 6, score: 1, evidence: { inherited: 0 } },
    ];
    const repliesTo = (position: number) => (position === 5 || position === 6 ? position - 1 : undefined);
    inheritReplies(hits, repliesTo, 0.5);
    expect(hits.map((h) => [h.score, h.evidence.inherited])).toEqual([
      [10, 0],
      [7, 5],
      [2, 1],
    ]);
  });

  it("does nothing at share 0", () => {
    const hits = [
      { position: 0, score: 10, evidence: { inherited: 0 } },
      { position: 1, score: 2, evidence: { inherited: 0 } },
    ];
    inheritReplies(hits, (p) => (p === 1 ? 0 : undefined), 0);
    expect(hits.map((h) => h.score)).toEqual([10, 2]);
  });
});

describe("the two measures of how much of the question a passage holds", () => {
  const index = smallIndex();
  const analysis = new QueryAnalyser(index, DEFAULT_RETRIEVAL).analyse({
    text: "is a cold start slow?",
    limit: 3,
  });
  const terms = new PassageTermsCache(index.passages);

  it("credit a word found only in the turn replied to differently: ranking 0.5, the judge its contextCredit", () => {
    const onlyInContext = { own: new Set<string>(), context: new Set([stem("slow")]) };
    const inPassage = { own: new Set([stem("slow")]), context: new Set<string>() };
    const text = index.lexical.text;
    expect(coverage(onlyInContext, analysis, text)).toBeCloseTo(
      RANKING_CONTEXT_CREDIT * coverage(inPassage, analysis, text),
    );
    const credits = { contextCredit: 0.7, relatedCredit: 0.5 };
    expect(topicShare(onlyInContext, analysis, text, credits)).toBeCloseTo(
      0.7 * topicShare(inPassage, analysis, text, credits),
    );
  });

  it("the judge's is a share of the question, 0..1; ranking's the topic weight held, salience times rarity", () => {
    const all = terms.get(0);
    const text = index.lexical.text;
    expect(topicShare(all, analysis, text, { contextCredit: 0.7, relatedCredit: 0.5 })).toBe(1);
    const held = [stem("cold"), stem("start"), stem("slow")].reduce(
      (sum, term) => sum + (analysis.salience.get(term) ?? 0) * text.idf(term),
      0,
    );
    expect(coverage(all, analysis, text)).toBeCloseTo(held);
  });
});

describe("the ranker", () => {
  it("ranks the finalists and gives each hit its evidence", () => {
    const index = smallIndex();
    const analysis = new QueryAnalyser(index, DEFAULT_RETRIEVAL).analyse({
      text: "what did holly say about warm workers?",
      limit: 4,
    });
    const weighted = searchTerms(analysis, DEFAULT_RETRIEVAL);
    const cache = new PassageTermsCache(SMALL_PASSAGES);
    const factsOf = passageFacts(analysis, weighted, {
      passages: SMALL_PASSAGES,
      lexical: index.lexical,
      termsOf: (position) => cache.get(position),
      settings: DEFAULT_RETRIEVAL,
    });
    const query = { text: "what did holly say about warm workers?", limit: 4 };
    const episodes = new EpisodeRelevance(SMALL_PASSAGES, index.lexical.text, index.episodes);
    const ranker = new Ranker(SMALL_PASSAGES, DEFAULT_RETRIEVAL, episodes);
    const { hits } = ranker.rank(
      query,
      analysis,
      {
        text: index.lexical.text.score(weighted).scores,
        context: index.lexical.context.score(weighted).scores,
        vector: new Float64Array(SMALL_PASSAGES.length),
      },
      factsOf,
      ranker.episodeFactors(query, analysis, weighted),
    );
    const [first] = hits;
    expect(first?.passage.id).toBe("nk-4#1");
    expect(first?.evidence.adjustments).toEqual(["speaker"]);
    expect(first?.evidence.terms).toBe(cache.get(1));
    expect(first?.signals.coverage).toBe(factsOf(1).coverage);
    expect(hits.map((hit) => hit.score)).toEqual([...hits.map((hit) => hit.score)].sort((a, b) => b - a));
  });
});

describe("the second ranking, after feedback", () => {
  // One finalist, and the first ranking keeps two: small enough to make both paths happen.
  const narrow: RetrievalSettings = { ...DEFAULT_RETRIEVAL, rerankDepth: 1, replyInheritance: 0 };
  const query = { text: "how slow is a cold start?", limit: 1 };

  function rankings(first: StageOneSignals, second: StageOneSignals, raised: number[]) {
    const index = smallIndex();
    const analysis = new QueryAnalyser(index, narrow).analyse(query);
    const weighted = searchTerms(analysis, narrow);
    const cache = new PassageTermsCache(SMALL_PASSAGES);
    const factsOf = passageFacts(analysis, weighted, {
      passages: SMALL_PASSAGES,
      lexical: index.lexical,
      termsOf: (position) => cache.get(position),
      settings: narrow,
    });
    const episodes = new EpisodeRelevance(SMALL_PASSAGES, index.lexical.text, index.episodes);
    const ranker = new Ranker(SMALL_PASSAGES, narrow, episodes, 2);
    const factors = ranker.episodeFactors(query, analysis, weighted);
    const { first: kept } = ranker.rank(query, analysis, first, factsOf, factors);
    const again = ranker.rank(query, analysis, second, factsOf, factors, { first: kept, raised }).hits;
    const everyPassage = ranker.rank(query, analysis, second, factsOf, factors).hits;
    return { kept, again, everyPassage };
  }
  const summary = (hits: Hit[]) => hits.map((hit) => [hit.position, hit.score]);

  it("ranks the kept and the raised passages as a ranking of every passage would", () => {
    // Feedback raises passage 3, which the first ranking left out.
    const { kept, again, everyPassage } = rankings(
      signals([4, 3, 2, 0.5], [0, 0, 0, 0], [0, 0, 0, 0]),
      signals([4, 3, 2, 9], [0, 0, 0, 0], [0, 0, 0, 0]),
      [3],
    );
    expect(kept.kept).toEqual([0, 1]);
    expect(kept.floor).toBeGreaterThan(0);
    expect(summary(again)).toEqual(summary(everyPassage));
    expect(again[0]?.position).toBe(3);
  });

  it("ranks every passage again when the finalist no longer beats what the first ranking left out", () => {
    // Passages 3 and 0 are kept (1.3, 1.25); passage 1 is left out (1.2, mostly its vector).
    // Feedback makes passage 2 the text's best: the kept fall to 0.4 and 0.35, passage 2 has 1,
    // and passage 1, never looked at again, keeps 1.02 and is the finalist.
    const { kept, again, everyPassage } = rankings(
      signals([1, 0.2, 0, 1], [0, 0, 0, 0], [0.25, 1, 0, 0.3]),
      signals([1, 0.2, 10, 1], [0, 0, 0, 0], [0.25, 1, 0, 0.3]),
      [2],
    );
    expect(kept.kept).toEqual([3, 0]);
    expect(summary(again)).toEqual(summary(everyPassage));
    expect(again[0]?.position).toBe(1);
  });
});
