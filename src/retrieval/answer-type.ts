import { splitSentences } from "./sentences.js";
import { terms } from "./text.js";

/**
 * What kind of answer a question expects. A question asking for an amount
 * ("how many…", "what's the max…", "how much does it cost") is answered only by
 * a sentence that states one; a passage on the right topic without a number is
 * near the question, not an answer to it.
 */
export type AnswerType = "amount" | "date" | "any";

// Questions that ask for an amount, not questions that merely mention limits or prices:
// "how many…", "what's the max…", "how much does it cost", "the price per…".
const AMOUNT =
  /\b(how (many|much(?! of)|long|big|large|old|often|fast)\b|(what|which)('s| is| are|s)? (the )?(max|maximum|min|minimum|limit|size|cost|price|duration|timeout|quota)\b|(cost|price|costs|charge)s? (of|per)\b|per (gb|mb|hour|month|request|second)\b)/i;
const DATE = /\b(when (did|was|were|will|is)|what (year|month|date|day)|since when)\b/i;

export function expectedAnswerType(question: string): AnswerType {
  if (DATE.test(question)) return "date";
  if (AMOUNT.test(question)) return "amount";
  return "any";
}

const NUMBER_WORDS =
  "zero|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred|hundreds|thousand|thousands|million|millions|billion|billions|dozen|dozens|half|double|twice";
const AMOUNT_EXPRESSION = new RegExp(`\\d|\\b(${NUMBER_WORDS})\\b`, "i");
const DATE_EXPRESSION =
  /\b(\d{4}|january|february|march|april|may|june|july|august|september|october|november|december|yesterday|today|last (year|month|week)|this (year|month|week)|ago|recently|re:invent)\b/i;

// "one" is left out: in speech it is mostly "one of the things", not an amount.

/** A sentence's text and its index terms. */
export interface TermedSentence {
  text: string;
  terms: string[];
}

/**
 * Whether some sentence states the kind of thing asked for, in the same
 * sentence as the question's main topic word (`topic`, a stem): "15 minutes"
 * answers "max duration of a Lambda" but not "max duration of a Step Functions
 * workflow". `text` is split here; callers that already hold the sentences
 * (the retriever's finalists) pass them instead.
 */
export function statesAnswerType(
  text: string | TermedSentence[],
  type: AnswerType,
  topic: string | Set<string> | undefined,
): boolean {
  if (type === "any") return true;
  const expression = type === "amount" ? AMOUNT_EXPRESSION : DATE_EXPRESSION;
  const isTopic = (term: string) => (typeof topic === "string" ? term === topic : (topic?.has(term) ?? true));
  const sentences =
    typeof text === "string"
      ? splitSentences(text).map((s) => ({ text: s.text, terms: terms(s.text) }))
      : text;
  return sentences.some((sentence) => expression.test(sentence.text) && sentence.terms.some(isTopic));
}
