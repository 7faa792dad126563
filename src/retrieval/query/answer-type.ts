import { splitSentences } from "../analysis/sentences.js";
import { isStopWord, stem, terms, words } from "../analysis/tokens.js";

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

// Questions that ask for an amount, not questions that merely mention limits or prices:
// "how many…", "what's the max…", "what is the default concurrency limit…" (up to four words
// between), "how much does it cost", "the price per…".
const AMOUNT =
  /\b(how (many|much(?! of)|long|big|large|old|fast)\b|(what|which)('s| is| are|s)? (the )?(?:[a-z-]+ ){0,4}(max|maximum|min|minimum|limit|size|cost|price|duration|timeout|quota|percentage|share|longest|shortest)\b)/i;
// "the cost of…", "price per hour?": an amount, unless the question only asks whether ("can I see
// costs per microservice?").
const PRICED = /\b((cost|price|costs|charge)s? (of|per)\b|per (gb|mb|hour|month|request|second)\b)/i;
const YES_NO = /^\s*(can|could|do|does|did|is|are|was|were|will|would|should|has|have|may|might)\b/i;
// "which day of the week…", "what year…": a date, a weekday or a time of day.
const DATE =
  /\b(when(?: exactly| roughly| approximately)? (did|was|were|will|is)|(what|which) (year|month|date|day|weekday|time of day)|since when)\b/i;
const MONEY = /\b(cost|costs|price|prices|pricing|charge|charged|pay|fee|fees|expensive|cheap)\b/i;
const PERCENT = /\b(percent|percentage|what share|what fraction|what proportion)\b/i;
const DURATION = /\b(how long (does|do|did|will|is|are|to|can)|duration|timeout|longest|shortest)\b/i;
const DATA_SIZE = /\b(kb|mb|gb|tb|kib|mib|gib|bytes?|kilobytes?|megabytes?|gigabytes?|terabytes?)\b/i;
const COUNTED = /\bhow many ((?:[a-z'-]+\s*){1,4})/i;
// "How big are the teams…": the size of a group is stated as a number of it ("two pizza teams").
const SIZED = /\bhow (?:big|large) (?:is|are|was|were|should|would|could|can) ((?:[a-z'-]+\s*){1,4})/i;

// "How often…", "do they load test regularly?": a frequency, said in words more often than in numbers
// ("every week", "constantly", "ongoing").
const FREQUENCY = /\b(how (often|frequently|regularly)|regularly|routinely|frequently)\b/i;
/** The words that ask for a frequency: they say what kind of answer is wanted, not what about. */
export const FREQUENCY_WORDS = ["often", "frequently", "regularly", "routinely"];
const FREQUENCY_WORD_EXPRESSION = new RegExp(`\\b(${FREQUENCY_WORDS.join("|")})\\b`, "gi");

// "What does Holly think of provisioned concurrency?", "Holly's view on…", "does Jeremy like…": an
// opinion, said in evaluative words ("a great solution", "I love"). Not "does Holly think <a claim>",
// whose answer is as often "no one knows" as an evaluation.
const OPINION =
  /\b((what|how) (does|did|do) [a-z']+( [a-z']+)? (think|feel|thinks|feels) (of|about)|(view|views|take|opinion|opinions|thoughts|feelings) (on|about|of)|(does|did|do) [a-z']+( [a-z']+)? (like|love|prefer))\b/i;

// "Why limit how many people can touch a service?" asks for a reason, whatever it mentions.
const REASON = /^\s*(why|how come)\b/i;

export function expectedAnswerType(question: string): ExpectedAnswer {
  if (REASON.test(question)) return { type: "any" };
  if (DATE.test(question)) return { type: "date" };
  // It ranks passages that evaluate the topic higher; speech evaluates without such words too.
  if (OPINION.test(question)) return { type: "opinion", optional: true };
  if (FREQUENCY.test(question)) {
    // "…regularly, like monthly?" proposes a frequency, which only a stated one confirms.
    const proposes = FREQUENCY_EXPRESSION.test(question.replace(FREQUENCY_WORD_EXPRESSION, ""));
    return YES_NO.test(question) && !proposes ? { type: "frequency", optional: true } : { type: "frequency" };
  }
  if (!AMOUNT.test(question) && !(PRICED.test(question) && !YES_NO.test(question))) return { type: "any" };
  if (PERCENT.test(question)) return { type: "amount", unit: "percent" };
  if (MONEY.test(question)) return { type: "amount", unit: "money" };
  if (DURATION.test(question)) return { type: "amount", unit: "duration" };
  if (DATA_SIZE.test(question)) return { type: "amount", unit: "size" };
  const counted = terms((COUNTED.exec(question) ?? SIZED.exec(question))?.[1] ?? "").slice(0, 2);
  return counted.length > 0 ? { type: "amount", counted } : { type: "amount" };
}

const NUMBER_WORDS =
  "zero|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred|hundreds|thousand|thousands|million|millions|billion|billions|dozen|dozens|half|double|twice";
// A number starts a word: "25K", "1,000", "$5"; the 2 of "V2N" or "EC2" is part of a name.
const AMOUNT_EXPRESSION = new RegExp(`\\b\\d|\\b(${NUMBER_WORDS})\\b`, "i");
const DATE_EXPRESSION =
  /\b(\d{4}|january|february|march|april|may|june|july|august|september|october|november|december|mondays?|tuesdays?|wednesdays?|thursdays?|fridays?|saturdays?|sundays?|weekends?|yesterday|today|tomorrow|last (year|month|week)|this (year|month|week)|ago|recently|re:invent|\d{1,2}(:\d\d)? ?(am|pm)|noon|midnight)\b/i;

const TIME_UNIT =
  "seconds?|minutes?|hours?|days?|nights?|mornings?|weeks?|weekends?|months?|quarters?|years?|sprints?|releases?";
// A stated frequency. Vague ones ("often", "always", "sometimes") are left out: speech is full of them.
const FREQUENCY_EXPRESSION = new RegExp(
  `\\b((every|each|per) (other |single |few |couple of |\\w+ )?(${TIME_UNIT})|(daily|weekly|monthly|quarterly|yearly|annually|nightly|hourly|constantly|continuously|continually|ongoing|regularly|routinely|periodically|frequently)\\b|all the time|around the clock|24/7|(once|twice|\\d+ times|${NUMBER_WORDS} times) (a|an|per|every) )`,
  "i",
);

// "one" is left out: in speech it is mostly "one of the things", not an amount.

/** What a sentence must say to state each kind of answer. */
const STATED: Record<Exclude<AnswerType, "any">, RegExp> = {
  opinion:
    /\b(great|love|loved|excited|exciting|interesting|amazing|awesome|fan|favou?rite|good|bad|better|best|worse|worry|worried|concerned|agree|disagree|believe|possibility|possible|realistic|important|valuable|huge|fun|hard|easy|wish|hope|glad|happy|cool|nice)\b/i,
  amount: AMOUNT_EXPRESSION,
  date: DATE_EXPRESSION,
  frequency: FREQUENCY_EXPRESSION,
};

/** A sentence's text and its index terms. */
export interface TermedSentence {
  text: string;
  terms: string[];
}

const UNIT_EXPRESSION: Record<AmountUnit, RegExp> = {
  money: /\$|\b(dollars?|cents?|free of charge|usd)\b/i,
  percent: /%|\bpercent\b/i,
  duration: /\b(milliseconds?|ms|seconds?|minutes?|hours?|days?|weeks?|months?|years?)\b/i,
  size: /\d\s*(k|m|g|t)i?b\b|\b(kb|mb|gb|tb|bytes?|kilobytes?|megabytes?|gigabytes?|terabytes?)\b/i,
};

/** Whether a number in the sentence counts the asked thing: "two pizza teams" counts teams. */
function countsThing(sentence: string, counted: string[]): boolean {
  const list = words(sentence).map((w) => w.word);
  return list.some(
    (word, i) =>
      AMOUNT_EXPRESSION.test(word) &&
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
