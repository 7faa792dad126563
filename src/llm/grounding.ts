import { isStopWord, stem, terms, words } from "../retrieval/analysis/tokens.js";
import { attributions, type Person } from "./attribution.js";
import { isInstruction, isOrderVerb, quoteIsInstruction } from "./instructions.js";
import { numberValue } from "./numbers.js";
import { normaliseForMatch, quoteFound } from "./quote-match.js";
import { summarySentences } from "./summary-sentences.js";
import { stemsOfForms } from "./word-forms.js";

/**
 * The sentence-by-sentence check of a summary against the passages it cites. Quotation marks
 * used to be the only thing checked; a model's own words are where it makes things up ("Holly
 * confirmed that GPU support will launch next month [1]"), moves words to another speaker, or
 * obeys an instruction planted in the data. So every sentence must:
 *   - not order the reader about or ask for a secret (instructions.ts);
 *   - quote only words found verbatim in a passage it cites;
 *   - attribute words only to the speaker of a passage it cites (attribution.ts);
 *   - use only numbers, names and content words found in the passages it cites: a word counts
 *     as found by its stem (the retriever's stemmer and irregular forms) or through a closely
 *     related word (WordNet synonyms and derived forms, from the index), never a broader one;
 *   - negate only what a cited passage negates ("no cold starts" is not "very low cold starts").
 * Function words, words for saying things ("explained", "noted"), the speakers' names and the
 * names used in any passage given or in the episode's title are free: the model was shown them,
 * and they say what the passages are about rather than what was said.
 */

/** A passage as the model saw it. */
export interface SourcePassage {
  text: string;
  speaker: string;
  role?: string;
}

/** What the check may know besides the passages; each part is optional and only widens what is found. */
export interface GroundingSources {
  /** Related corpus words of a word (the index's WordNet expansions), strongest first. */
  related?: (term: string) => Array<[term: string, weight: number]>;
  /** Everyone who speaks in the passages' episodes: named, they may only be given their own words. */
  people?: readonly Person[];
  /** The titles and show names of the passages' episodes, whose words may be used anywhere. */
  context?: readonly string[];
  /** How informative a stem is in everyday spoken English (the index's SUBTLEX table), for EVERYDAY_INFORMATION. */
  information?: (term: string) => number | undefined;
}

export type GroundingFailure = "bad_quote" | "ungrounded" | "misattributed" | "instruction";

export type GroundingResult =
  | { ok: true }
  | { ok: false; reason: GroundingFailure; sentence: number; detail: string };

/**
 * Relations as strong as "similar to" count (synonyms 0.6, derived forms 0.5, similar and
 * pertaining adjectives 0.4); broader, narrower and sister terms (0.3, 0.2) do not: "month" is
 * a sister of "week", and "a month" is not what "every week" said.
 */
export const RELATED_MIN_WEIGHT = 0.4;

const NEGATIONS = new Set(
  `not no never none nothing nobody neither nor cannot without don't doesn't didn't isn't aren't wasn't
  weren't won't can't couldn't shouldn't wouldn't haven't hasn't hadn't`.split(/\s+/),
);

// Words a faithful summary uses about the passages rather than from them, and function words
// the retriever's stop list (made for questions) does not hold.
const FREE = stemsOfForms(
  `say explain describe note mention add ask answer reply respond argue suggest stress emphasize emphasise
  point recall discuss talk comment remark observe highlight acknowledge elaborate outline clarify
  according episode passage podcast transcript speaker host guest interview conversation
  whether though although since unless yet via per across among within upon toward towards including
  include instead rather either own`,
);
/**
 * One word per sentence that is not in its passages is let through when it is an everyday word:
 * information content in spoken English (-ln p, SUBTLEX-US) at most this, which the 2,000 most
 * frequent word stems have ("team", "raise", "offer", "limit", "address"). A model cannot retell
 * a passage without a word of its own now and then; a made-up claim needs rarer words, a
 * number, a date or a name, and those are never let through. (The 1,000 most frequent, 9.5,
 * kept 45 of 52 faithful replies of the test set instead of 49; neither kept a wrong one.)
 */
export const EVERYDAY_INFORMATION = 10.5;

/** A negation applies to the first content word within this many words after it. */
const NEGATION_REACH = 4;

interface Evidence {
  stems: Set<string>;
  numbers: Set<string>;
  /** What the passages negate: the stem of the first content word after each negation. */
  negated: Set<string>;
  /** The passages' text as quotes are matched against it. */
  normalised: string[];
  speakers: Set<string>;
}

function evidenceOf(passages: readonly SourcePassage[]): Evidence {
  const evidence: Evidence = {
    stems: new Set(),
    numbers: new Set(),
    negated: new Set(),
    normalised: [],
    speakers: new Set(),
  };
  for (const passage of passages) {
    for (const term of terms(`${passage.text} ${passage.speaker}`)) evidence.stems.add(term);
    const tokens = words(passage.text).map((w) => w.word);
    tokens.forEach((word, i) => {
      for (const part of [word, ...word.split("-")]) {
        const value = numberValue(part);
        if (value !== undefined) evidence.numbers.add(value);
      }
      if (NEGATIONS.has(word)) evidence.negated.add(negatedAt(tokens, i));
    });
    evidence.normalised.push(normaliseForMatch(passage.text));
    evidence.speakers.add(passage.speaker);
  }
  return evidence;
}

function isFunctionWord(word: string): boolean {
  // "thinks" and "likes" are as empty as "think" and "like".
  return isStopWord(word) || isStopWord(stem(word)) || word.length < 2;
}

/** The stem of the first content word after the negation at `i` ("" when there is none). */
function negatedAt(tokens: readonly string[], i: number): string {
  for (let j = i + 1; j < tokens.length && j <= i + NEGATION_REACH; j++) {
    const token = tokens[j] as string;
    if (NEGATIONS.has(token)) return "";
    if (!isFunctionWord(token)) return stem(token);
  }
  return "";
}

/** Stems of the words written with a capital inside a sentence (names: "Lambda", "re:Invent"). */
function capitalisedStems(text: string): string[] {
  const found: string[] = [];
  for (const { word, start } of words(text)) {
    const before = text.slice(0, start).trimEnd();
    const name = /\p{Lu}/u.test(text.charAt(start)) && before !== "" && !/[.!?:"“]$/.test(before);
    if (name && !isFunctionWord(word)) found.push(stem(word));
  }
  return found;
}

interface WordCheck {
  evidence: Evidence;
  /** Stems of every person's name and role, of the names in any passage given and in the episode's title. */
  names: Set<string>;
  related: GroundingSources["related"];
  information: GroundingSources["information"];
}

/** Whether one word (no hyphen) of a sentence is found; `name` when written as a proper noun. */
function found(part: string, name: boolean, { evidence, names, related }: WordCheck): boolean {
  const value = numberValue(part);
  if (value !== undefined) return evidence.numbers.has(value);
  if (isFunctionWord(part)) return true;
  const key = stem(part);
  if (evidence.stems.has(key) || names.has(key)) return true;
  // A name must be there as written; an ordinary word may also be there as a close relative.
  if (name) return false;
  if (FREE.has(key)) return true;
  return (related?.(key) ?? []).some(
    ([target, weight]) => weight >= RELATED_MIN_WEIGHT && evidence.stems.has(target),
  );
}

// Words of dates and times: like numbers, a summary must take them from the passages.
const DATES = stemsOfForms(
  `second minute hour day week month quarter year decade century today tomorrow yesterday tonight
  daily weekly monthly quarterly yearly annual annually hourly soon recently previously formerly later
  earlier ago next last upcoming january february march april may june july august september october
  november december monday tuesday wednesday thursday friday saturday sunday spring summer autumn fall winter`,
);

/** Whether an unfound word is an everyday one (never a number, a date, a name or a verb of orders). */
function everyday(word: string, name: boolean, information: WordCheck["information"]): boolean {
  if (name || /\d/.test(word) || numberValue(word) !== undefined || DATES.has(stem(word))) return false;
  // "Holly wants everyone to visit right away" is an obeyed instruction, not a retelling.
  if (isOrderVerb(word)) return false;
  const value = information?.(stem(word));
  return value !== undefined && value <= EVERYDAY_INFORMATION;
}

/** The word of `own` (a sentence in the summary's words) that is not found in the evidence, if any. */
function unfoundWord(own: string, check: WordCheck): string | undefined {
  const tokens = words(own);
  const plain = tokens.map((t) => t.word);
  let spared = false;
  for (const [i, { word, start }] of tokens.entries()) {
    if (NEGATIONS.has(word)) {
      if (!check.evidence.negated.has(negatedAt(plain, i))) return word;
      continue;
    }
    // A capital inside a sentence marks a name ("Stanford", "EC2"); the first word may be any word.
    const name = i > 0 && /\p{Lu}/u.test(own.charAt(start)) && word !== "i";
    const parts = word.split("-").filter(Boolean);
    const whole = word.replace(/-/g, "");
    if (found(whole, name, check) || parts.every((part) => found(part, name, check))) continue;
    if (!spared && everyday(word, name, check.information)) {
      spared = true;
      continue;
    }
    return word;
  }
  return undefined;
}

/** Checks every sentence of `summary` (already stripped of links and markup) against the passages it cites. */
export function checkGrounding(
  summary: string,
  passages: readonly SourcePassage[],
  sources: GroundingSources = {},
): GroundingResult {
  const people: Person[] = [
    ...(sources.people ?? []),
    ...passages.map((p) => ({ name: p.speaker, role: p.role })),
  ];
  const names = new Set([
    ...terms([...people.map((p) => `${p.name} ${p.role ?? ""}`), ...(sources.context ?? [])].join(" ")),
    ...passages.flatMap((p) => capitalisedStems(p.text)),
  ]);
  const attributed = attributions(people);
  const sentences = summarySentences(summary);
  for (const [i, sentence] of sentences.entries()) {
    const fail = (reason: GroundingFailure, detail: string): GroundingResult => ({
      ok: false,
      reason,
      sentence: i + 1,
      detail,
    });
    const cited = sentence.cited.map((n) => passages[n - 1]).filter((p) => p !== undefined);
    const evidence = evidenceOf(cited);
    if (isInstruction(sentence.own) || sentence.quotes.some(quoteIsInstruction)) {
      return fail("instruction", "speaks to the reader");
    }
    if (sentence.quotes.some((quote) => !quoteFound(quote, evidence.normalised))) {
      return fail("bad_quote", "a quote is not in the passages it cites");
    }
    for (const speakers of attributed.speakersOf(sentence.own)) {
      if (![...speakers].some((name) => evidence.speakers.has(name))) {
        return fail("misattributed", `gives words to ${[...speakers].join(" or ")}`);
      }
    }
    const word = unfoundWord(sentence.own, {
      evidence,
      names,
      related: sources.related,
      information: sources.information,
    });
    if (word !== undefined) return fail("ungrounded", `"${word}" is not in the passages it cites`);
  }
  return { ok: true };
}
