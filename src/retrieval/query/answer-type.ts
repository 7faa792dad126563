import { splitSentences } from "../analysis/sentences.js";
import { isStopWord, stem, terms, words } from "../analysis/tokens.js";
import { ASKS, STATES } from "../profile/english.js";
import { ASKS_SIZE, DATED_EVENTS, PRICING_UNITS, STATES_SIZE } from "../profile/interview.js";

/**
 * What kind of answer a question expects. A question asking for an amount
 * ("how many…", "what's the max…", "how much does it cost"), a date or a frequency is
 * answered only by a sentence that states one; a passage on the right topic without a number is
 * near the question, not an answer to it. An opinion, and a frequency asked yes or no, only
 * rank: they are often given without the words that mark them (`optional`).
 */
export type AnswerType = "amount" | "date" | "frequency" | "opinion" | "any";

/** What a stated amount must be, when the question says: "how much does it cost" wants money. */
export type AmountUnit = "money" | "percent" | "duration" | "size";

export interface ExpectedAnswer {
  type: AnswerType;
  unit?: AmountUnit;
  /**
   * For "how many X" and "how big is X": stems of X (its first two content words, "AWS accounts"),
   * one of which the stated number must count ("25 years" is no count of engineers).
   */
  counted?: string[];
  /**
   * The answer may well not state it: "do they load test regularly?" is answered by "we have
   * ongoing scale testing", but also by a plain "yes, we load test". It ranks passages that state
   * one higher, and does not hedge those that do not.
   */
  optional?: boolean;
}

const PRICED = ASKS.priced(PRICING_UNITS);

export function expectedAnswerType(question: string): ExpectedAnswer {
  if (ASKS.reason.test(question)) return { type: "any" };
  if (ASKS.date.test(question)) return { type: "date" };
  // It ranks passages that evaluate the topic higher; speech evaluates without such words too.
  if (ASKS.opinion.test(question)) return { type: "opinion", optional: true };
  if (ASKS.frequency.test(question)) {
    // "…regularly, like monthly?" proposes a frequency, which only a stated one confirms.
    const proposes = STATED.frequency.test(question.replace(ASKS.frequencyWord, ""));
    return ASKS.yesNo.test(question) && !proposes
      ? { type: "frequency", optional: true }
      : { type: "frequency" };
  }
  if (!asksAmount(question) && !(PRICED.test(question) && !ASKS.yesNo.test(question))) return { type: "any" };
  if (ASKS.percent.test(question)) return { type: "amount", unit: "percent" };
  if (ASKS.money.test(question)) return { type: "amount", unit: "money" };
  if (ASKS.duration.test(question)) return { type: "amount", unit: "duration" };
  if (ASKS_SIZE.test(question)) return { type: "amount", unit: "size" };
  const counted = terms((ASKS.counted.exec(question) ?? ASKS.sized.exec(question))?.[1] ?? "").slice(0, 2);
  return counted.length > 0 ? { type: "amount", counted } : { type: "amount" };
}

/**
 * Whether the question asks for an amount: "how many…" opening a clause, or "what's the max…". A
 * "how many" inside a clause about something else asks for that something ("what's an easy way to
 * cap how many tasks run at once?" wants a way, not a number). "about" opens a clause as "roughly"
 * ("about how long does it take?") but not after a word of its own clause ("the reply about how long…").
 */
const AMOUNT_ANYWHERE = new RegExp(ASKS.amount.source, "gi");

function asksAmount(question: string): boolean {
  return [...question.matchAll(AMOUNT_ANYWHERE)].some((match) => {
    if (!/^how /i.test(match[0])) return true;
    const clause = question.slice(0, match.index).split(ASKS.clauseBoundary).at(-1) ?? "";
    const before = clause.trim().split(/\s+/).filter(Boolean);
    const last = before.at(-1);
    if (last === undefined || ASKS.approximator.test(last) || ASKS.tellMe.test(last)) return true;
    return /^about$/i.test(last) && before.length === 1;
  });
}

/** What a sentence must say to state each kind of answer. */
const STATED: Record<Exclude<AnswerType, "any">, RegExp> = {
  opinion: STATES.opinion,
  amount: STATES.amount,
  date: new RegExp(`\\b(${STATES.dateWords}|${DATED_EVENTS}|${STATES.timeWords})\\b`, "i"),
  frequency: STATES.frequency,
};

/** A sentence's text and its index terms. */
export interface TermedSentence {
  text: string;
  terms: string[];
}

const UNIT_EXPRESSION: Record<AmountUnit, RegExp> = {
  money: STATES.money,
  percent: STATES.percent,
  duration: STATES.duration,
  size: STATES_SIZE,
};

/** Whether a number in the sentence counts the asked thing: "two pizza teams" counts teams. */
function countsThing(sentence: string, counted: string[]): boolean {
  const list = words(sentence).map((w) => w.word);
  return list.some(
    (word, i) =>
      STATED.amount.test(word) &&
      list.slice(i + 1, i + 4).some((next) => !isStopWord(next) && counted.includes(stem(next))),
  );
}

/**
 * Whether some sentence states the kind of thing asked for, in the same
 * sentence as the question's main topic word (`topic`, a stem): "15 minutes"
 * answers "max duration of a Lambda" but not "max duration of a Step Functions
 * workflow". A unit the question implies must be there too (money for a cost, a
 * percentage, a duration), and "how many X" needs a number of X. `text` is split
 * here; callers that already hold the sentences (the retriever's finalists) pass them instead.
 */
export function statesAnswerType(
  text: string | TermedSentence[],
  expected: ExpectedAnswer,
  topic: string | Set<string> | undefined,
): boolean {
  if (expected.type === "any") return true;
  const expression = STATED[expected.type];
  const isTopic = (term: string) => (typeof topic === "string" ? term === topic : (topic?.has(term) ?? true));
  const sentences =
    typeof text === "string"
      ? splitSentences(text).map((s) => ({ text: s.text, terms: terms(s.text) }))
      : text;
  const { unit, counted } = expected;
  return sentences.some(
    (sentence) =>
      expression.test(sentence.text) &&
      (!unit || UNIT_EXPRESSION[unit].test(sentence.text)) &&
      (counted ? countsThing(sentence.text, counted) : sentence.terms.some(isTopic)),
  );
}
