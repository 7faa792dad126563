import type { Rarity, WeightedTerm } from "../index/bm25.js";
import type { LexicalIndex } from "../index/lexical.js";
import type { Passage } from "../index/passage.js";
import { statesAnswerType } from "../query/answer-type.js";
import type { QueryAnalysis } from "../query/types.js";
import type { RetrievalSettings } from "../settings.js";
import { coverage } from "./coverage.js";
import type { PassageTerms } from "./passage-terms.js";

/** A passage's best sentence pair: offsets in its text, its score, and whether it ends asking. */
export interface SentencePair {
  start: number;
  end: number;
  score: number;
  asks: boolean;
}

/** What stage 2 finds in one passage for one question. */
export interface PassageFacts {
  /** The passage's words and sentences, as read. */
  terms: PassageTerms;
  /** Its best pair of adjacent sentences (the `sentence` signal, and where the quote is taken from). */
  sentence: SentencePair | undefined;
  /** The `coverage` signal (ranking/coverage.ts). */
  coverage: number;
  /** The question asks for a kind of answer (an amount, a date…) and the passage states one (see query/answer-type.ts). */
  statesAnswer: boolean;
}

/** The best-scoring pair of adjacent sentences (or the single last sentence) of a passage. */
export function bestSentencePair(
  sentences: PassageTerms["sentences"],
  score: (terms: string[]) => number,
  askingWeight: number,
): SentencePair | undefined {
  let best: SentencePair | undefined;
  sentences.forEach((sentence, i) => {
    const next = sentences[i + 1];
    const asks = (next ?? sentence).asks;
    const value =
      score(next ? [...sentence.terms, ...next.terms] : sentence.terms) * (asks ? askingWeight : 1);
    if (!best || value > best.score)
      best = {
        start: sentence.start,
        end: next ? next.end : sentence.end,
        score: value,
        asks,
      };
  });
  return best;
}

/**
 * Stage 2's look at a passage, for one question (see PassageFacts), remembered per position: it
 * depends on the question alone, so both rankings of a question (before and after feedback) share it.
 */
export function passageFacts(
  analysis: QueryAnalysis,
  weighted: WeightedTerm[],
  context: {
    passages: Passage[];
    lexical: LexicalIndex;
    termsOf: (position: number) => PassageTerms;
    settings: Pick<RetrievalSettings, "askingSentenceWeight">;
    /** Rarity among the passages ranked, when they are one episode's or show's (index/bm25.ts `within`). */
    within?: Rarity;
  },
): (position: number) => PassageFacts {
  const { lexical, passages, within } = context;
  const rarity: Rarity = within ?? lexical.text;
  // Sentence pairs have only the whole index's statistics: within an episode, each word counts as
  // much more or less as it is rarer or commoner among its passages than in the index.
  const queryWeights = new Map(
    weighted.map((w) => [
      w.term,
      within ? (w.weight * within.idf(w.term)) / (lexical.text.idf(w.term) || 1) : w.weight,
    ]),
  );
  const { expected } = analysis;
  const known = new Map<number, PassageFacts>();
  return (position) => {
    let facts = known.get(position);
    if (facts) return facts;
    const words = context.termsOf(position);
    const text = (passages[position] as Passage).text;
    // For ranking, an amount with its unit may name its topic one sentence earlier, as speech does
    // ("it's increased duration, but … And 15 minutes, is it right?"). The unit keeps that strict;
    // abstention still wants both in one sentence.
    const asStated = () =>
      words.sentences.map((s, i) => ({
        text: text.slice(s.start, s.end),
        terms: expected.unit && i > 0 ? [...s.terms, ...(words.sentences[i - 1]?.terms ?? [])] : s.terms,
      }));
    facts = {
      terms: words,
      sentence: bestSentencePair(
        words.sentences,
        (pairTerms) => lexical.sentences.score(pairTerms, queryWeights),
        context.settings.askingSentenceWeight,
      ),
      coverage: coverage(words, analysis, rarity),
      // An opinion is someone's: only a question naming one of the episode's people asks for one.
      statesAnswer:
        expected.type !== "any" &&
        (expected.type !== "opinion" || analysis.namesSpeaker) &&
        statesAnswerType(asStated(), expected, analysis.known),
    };
    known.set(position, facts);
    return facts;
  };
}
