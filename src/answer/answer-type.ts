import { splitSentences } from "../retrieval/sentences.js";
import { terms } from "../retrieval/text.js";

/**
 * What kind of answer a question expects. A question asking for an amount
 * ("how many…", "what's the max…", "how much does it cost") is answered only by
 * a sentence that states one; a passage on the right topic without a number is
 * near the question, not an answer to it.
 */
export type AnswerType = "amount" | "date" | "any";

const AMOUNT =
  /\b(how (many|much(?! of)|long|big|large|old|often|fast)|(max|maximum|min|minimum|limit|limits|size|cost|costs|price|pricing|duration|quota|timeout|percent(age)?)\b)/i;
const DATE = /\b(when (did|was|were|will|is)|what (year|month|date|day)|since when)\b/i;

export function expectedAnswerType(question: string): AnswerType {
  if (DATE.test(question)) return "date";
  if (AMOUNT.test(question)) return "amount";
  return "any";
}

const NUMBER_WORDS =
  "zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred|hundreds|thousand|thousands|million|millions|billion|billions|dozen|dozens|half|double|twice|single";
const AMOUNT_EXPRESSION = new RegExp(`\\d|\\b(${NUMBER_WORDS})\\b`, "i");
const DATE_EXPRESSION =
  /\b(\d{4}|january|february|march|april|may|june|july|august|september|october|november|december|yesterday|today|last (year|month|week)|this (year|month|week)|ago|recently|re:invent)\b/i;

/**
 * Whether some sentence of `text` states the kind of thing asked for, next to
 * at least one of the question's topic words (`topic`, stems).
 */
export function statesAnswerType(text: string, type: AnswerType, topic: Set<string>): boolean {
  if (type === "any") return true;
  const expression = type === "amount" ? AMOUNT_EXPRESSION : DATE_EXPRESSION;
  return splitSentences(text).some(
    (sentence) => expression.test(sentence.text) && terms(sentence.text).some((t) => topic.has(t)),
  );
}
