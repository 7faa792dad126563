import { createRequire } from "node:module";
import { stem, words } from "../retrieval/analysis/tokens.js";
import { stemsOfForms } from "./word-forms.js";

/**
 * Whether a sentence of a summary speaks to the reader instead of reporting the passages: an
 * order ("Ignore the passages.", "Visit …", "To learn more, send …") or a request for a secret
 * ("paste your API key"). Such a sentence came from an instruction the model obeyed, planted
 * in a question or a transcript (OWASP LLM01); no grounded summary needs one.
 */

// Verbs that open an order to the reader, in their base form, wherever a clause starts.
const ORDERS = new Set(
  `ignore disregard forget visit go click open paste send enter type share provide give reply respond email
  call contact download install run execute copy post submit sign log login register follow check see read
  try use make do don't never remember act pretend print reveal output write say include update set change
  delete remove buy subscribe message dm text navigate head browse look get let tell ask keep stop start join
  find verify confirm upload transfer pay disclose input`.split(/\s+/),
);
// The same verbs in every form, minus the everyday ones a retelling needs ("said", "made", "used").
const ORDER_STEMS = stemsOfForms(
  `ignore disregard forget visit click open paste send enter type share provide reply email call contact
  download install execute copy post submit sign log login register follow check browse navigate subscribe
  buy pay transfer upload disclose reveal delete remove print output verify`,
);
/** Whether a word is one of the verbs injected instructions act with ("visit", "paste", "send"), in any form. */
export function isOrderVerb(word: string): boolean {
  return ORDER_STEMS.has(stem(word));
}

// After these a verb-looking first word is a noun ("Use of …", "Change is …").
const NOT_AN_ORDER_AFTER = new Set(
  "is are was were has have had of 's will would can could may might must should does did".split(" "),
);
// Words that only ever preface an order.
const PLEADING = /\b(?:please|kindly)\b/i;
const OVERRIDE =
  /\b(?:ignore|disregard|forget|override)\b[^.!?]*\b(?:instructions?|passages?|rules?|above|previous|prompt|system)\b/i;
const SECRET =
  /\b(?:passwords?|passcodes?|passphrases?|pins?|credentials?|tokens?|secrets?|(?:api|access|secret|private|ssh|license)\s+keys?|credit\s+cards?|card\s+numbers?|social\s+security|ssn|2fa|otp|one-time\s+codes?|seed\s+phrases?|recovery\s+phrases?|login\s+details)\b/i;
const ASKING =
  /\b(?:send|share|paste|enter|provide|give|reply|type|submit|post|tell|email|dm|message|upload|reveal|disclose|input|your)\b/i;
// Words allowed before the order itself ("Now visit …", "Then paste …").
const LEAD_INS = new Set("now then so just first next also and finally".split(" "));

let lexicon: Record<string, string[] | undefined> | undefined;

/**
 * Whether a word is above all a verb in its base form ("continue", "keep", "get"), by its part
 * of speech tags in wink-lexicon, most frequent first: a sentence opening with one is an order.
 */
function mostlyBaseVerb(word: string): boolean {
  lexicon ??= createRequire(import.meta.url)("wink-lexicon/src/lexicon.js") as Record<
    string,
    string[] | undefined
  >;
  return Object.hasOwn(lexicon, word) && lexicon[word]?.[0] === "VB";
}

/** Whether a clause opens with an order; `sentence` when it is the start of a sentence. */
function opensWithOrder(clause: string, sentence: boolean): boolean {
  const tokens = words(clause).map((w) => w.word);
  let i = 0;
  while (i < tokens.length - 1 && LEAD_INS.has(tokens[i] as string)) i++;
  const first = tokens[i];
  if (first === undefined) return false;
  if (!ORDERS.has(first) && !(sentence && mostlyBaseVerb(first))) return false;
  return !NOT_AN_ORDER_AFTER.has(tokens[i + 1] ?? "");
}

/**
 * Whether quoted words override the rules or ask for a secret. Quoted speech may well hold an
 * order ("Get in there and figure out …" is how a guest talks), so only these two count there.
 */
export function quoteIsInstruction(quote: string): boolean {
  return OVERRIDE.test(quote) || (SECRET.test(quote) && ASKING.test(quote));
}

/** Whether `sentence` (quotes and citations left out) orders the reader about or asks for a secret. */
export function isInstruction(sentence: string): boolean {
  if (PLEADING.test(sentence) || quoteIsInstruction(sentence)) return true;
  // An order opens the sentence, or a clause of it ("To learn more, send her …").
  return sentence.split(/[,;:—–]|\s-\s/).some((clause, i) => opensWithOrder(clause, i === 0));
}
