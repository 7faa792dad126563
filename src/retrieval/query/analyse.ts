import { distance } from "fastest-levenshtein";
import { isStopWord, phraseKey, stem, terms, words } from "../analysis/tokens.js";
import { UNSEEN_INFORMATION } from "../analysis/word-frequency.js";
import type { LoadedIndex } from "../index/storage.js";
import { FREQUENCY_WORDS } from "../profile/english.js";
import type { Query, RetrievalSettings } from "../retriever.js";
import { type ExpectedAnswer, expectedAnswerType } from "./answer-type.js";
import { metadataWords, resolveSpeaker, speakerDirectory } from "./speakers.js";

/** What the retriever understood of a question, for abstention and the answer's wording. */
export interface QueryAnalysis {
  /** Topic words of the question (stems), with the weight each was asked with. */
  asked: Map<string, number>;
  /** How telling each asked word (and WordNet phrase) is in everyday English, 0..1 (see english.ts). */
  salience: Map<string, number>;
  /** Asked words the corpus uses as they are. */
  known: Set<string>;
  /**
   * Asked words the corpus does not use that misspell words it does ("provisoned" ->
   * "provisioned") or write its numbers the other way ("5" -> "five"), with those words: they
   * are not foreign; nor are rare clippings of its words ("async" -> "asynchronous"). (A common
   * clipped word is: "sync" is also Kubernetes's word, and "synchronous" is this episode's.)
   */
  respelled: Map<string, string[]>;
  /** Known words asked in a phrase the corpus never uses ("cold" in "cold brew"): half foreign. */
  displaced: Set<string>;
  /** Every term searched for: asked words, expansions, near spellings. */
  searched: Map<string, { weight: number; from: string }>;
  /** The speakers whose turns are favoured: those the question names, or the guest for "they". */
  speakers: Set<string> | null;
  /**
   * The speakers a question asks about and nothing else ("who is Holly?"), else empty: the
   * passages that name them answer it, and the episode notes, which describe the people, are
   * favoured over anything the person said.
   */
  aboutPerson: string[];
  /** The question names a speaker, the show, its host or guest, or the episode. */
  namesEpisode: boolean;
  /** The question (or, in a follow-up, the one before it) names one of the episode's people. */
  namesSpeaker: boolean;
  /**
   * How characteristic of the episode the question's most characteristic word is: the log of
   * how much more often the episode says it than everyday spoken English does ("lambda" ~12,
   * "team" ~5, "work" ~2). Displaced words do not count; -Infinity when no word does.
   */
  keyness: number;
  /** The kind of answer the question asks for (an amount, a date, a frequency…; answer-type.ts). */
  expected: ExpectedAnswer;
}

/**
 * "Do they load test lambda?", "how do they learn from outages": in an interview, "they" (named by
 * no one) are the guest's side, whom the guest speaks for. Not "what did they say": that is
 * both speakers.
 */
function meansGuestSide(question: string): boolean {
  return (
    /\b(they|their|them)\b/i.test(question) &&
    !/\bthey\s+(say|said|talk|talked|mention|mentioned|discuss|discussed|think|thought|agree|disagree|chat|chatted)\b/i.test(
      question,
    )
  );
}

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

const NUMBER_WORDS: Record<string, number> = {
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
  fifteen: 15,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  ninety: 90,
  hundred: 100,
  thousand: 1000,
};
const DIGITS_OF = new Map(Object.entries(NUMBER_WORDS).map(([word, n]) => [stem(word), String(n)]));
const WORD_OF = new Map(Object.entries(NUMBER_WORDS).map(([word, n]) => [String(n), stem(word)]));

/** The other spelling of a number: "5" -> "five" (as a stem), "hundr" -> "100". */
function numberForms(term: string): string[] {
  const other = WORD_OF.get(term) ?? DIGITS_OF.get(term);
  return other === undefined ? [] : [other];
}

/**
 * Information (nats) at or above which an English word is rare enough to be taken for a typo of a
 * corpus word: fewer than about 1 in a million spoken words ("strat"). 13 also took "interval"
 * for "internal".
 */
const RARE_WORD_INFORMATION = 14;

/** How telling a WordNet phrase of the question is, as salience (0.1..1) is for its words. */
const PHRASE_SALIENCE = 0.5;

/** Information (nats) of a number in digits with no number word of its own: about "thirty"'s (10.9). 8–10 measured alike. */
const NUMBER_INFORMATION = 10;

/** "strat" for "start": the commonest slip, which edit distance counts as two. */
function swapsTwoLetters(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const i = [...a].findIndex((letter, k) => letter !== b[k]);
  return (
    i >= 0 && i + 1 < a.length && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2)
  );
}

/** "who is / who's / who was [the] X", where X is one of the words that named the speaker. */
function asksWhoIs(question: string, speakerWords: Set<string>): boolean {
  for (const match of question
    .toLowerCase()
    .matchAll(/\bwho(?:'s|’s|s| is| was)\s+(?:the\s+)?([\p{L}]+)/gu)) {
    if (speakerWords.has(match[1] as string)) return true;
  }
  return false;
}

/**
 * Reads a question against one index: its topic words and how telling each is, the corpus words
 * to search for them (expansions, misspellings, clippings, spelled-out initialisms), who it asks
 * about, and how characteristic of the episode it is. The retriever ranks with this; abstention
 * decides with it.
 */
export class QueryAnalyser {
  private readonly vocabulary = new Set<string>();
  private readonly directory;
  private readonly metadata: Map<string, string[]>;
  private readonly guestSpeakers = new Set<string>();

  constructor(
    private readonly index: LoadedIndex,
    private readonly settings: RetrievalSettings,
  ) {
    for (const bm25 of [index.lexical.text, index.lexical.context])
      for (const term of bm25.terms()) this.vocabulary.add(term);
    this.directory = speakerDirectory(index.episodes);
    this.metadata = metadataWords(index.episodes);
    for (const { speaker } of index.passages)
      if (speaker.role === "guest") this.guestSpeakers.add(speaker.name);
  }

  analyse(original: Query): QueryAnalysis {
    const query = {
      ...original,
      text: spellOut(original.text),
      previous: original.previous === undefined ? undefined : spellOut(original.previous),
    };
    const speaker =
      resolveSpeaker(query.text, this.directory) ??
      (query.previous ? resolveSpeaker(query.previous, this.directory) : null);
    const asked = new Map<string, number>();
    const addAsked = (text: string, weight: number) => {
      const nameStems = new Set(speaker ? terms([...speaker.matchedWords].join(" ")) : []);
      for (const term of terms(text)) {
        if (nameStems.has(term)) continue;
        asked.set(term, Math.max(asked.get(term) ?? 0, weight));
      }
    };
    addAsked(query.text, 1);
    if (query.previous) addAsked(query.previous, this.settings.followUpWeight);
    // "do they run game days regularly?": the word asking for a frequency says what kind of answer
    // is wanted, and the answer type looks for one ("every week", "ongoing"). When the episode never
    // says it, it is no foreign topic either ("regularly" made that question off-topic). One the
    // episode does say is searched as before.
    const expected = expectedAnswerType(query.text);
    if (expected.type === "frequency") {
      for (const term of terms(FREQUENCY_WORDS.join(" "))) if (!this.vocabulary.has(term)) asked.delete(term);
    }
    // "15-minute", "GB-month": the parts are asked; run together, a form the episode never
    // writes is no foreign word of its own.
    for (const text of [query.text, query.previous ?? ""]) {
      for (const { word } of words(text)) {
        if (!/[.-]/.test(word)) continue;
        const joined = stem(word.replace(/[.-]/g, ""));
        const parts = terms(word).filter((term) => term !== joined);
        if (parts.length > 0 && !this.vocabulary.has(joined)) asked.delete(joined);
      }
    }
    // "Who is Holly?", "what show is this and who's the host?": who someone is is answered where
    // they are named (an introduction, the episode notes). When the person is the whole question,
    // that matters more than anything they said.
    const aboutPerson = asked.size === 0 && speaker ? [...speaker.names] : [];
    if (speaker && (aboutPerson.length > 0 || asksWhoIs(query.text, speaker.matchedWords))) {
      for (const name of speaker.names) for (const term of terms(name)) asked.set(term, 1);
    }

    const searched = new Map<string, { weight: number; from: string }>();
    const search = (term: string, weight: number, from: string) => {
      if ((searched.get(term)?.weight ?? 0) < weight) searched.set(term, { weight, from });
    };
    const known = new Set([...asked.keys()].filter((t) => this.vocabulary.has(t)));
    const respelled = new Map<string, string[]>();
    let namesEpisode = speaker !== null;
    for (const [term, weight] of asked) {
      const meta = this.metadata.get(term);
      if (meta) {
        namesEpisode = true;
        known.add(term);
        for (const target of meta) search(target, weight * this.settings.metadataWeight, term);
      }
      const inCorpus = this.vocabulary.has(term);
      if (inCorpus) search(term, weight, term);
      // "5" is "five" and "hundred" is "100": the same word, written the other way.
      const written = numberForms(term).filter((form) => this.vocabulary.has(form));
      for (const form of written) search(form, weight, term);
      if (!inCorpus && written.length > 0) respelled.set(term, written);
      // A word the episode uses is searched as itself first; its relatives count for less.
      const scale = this.settings.expansionScale * (inCorpus ? this.settings.knownExpansionScale : 1);
      if (scale > 0) {
        for (const [target, w] of this.index.lexical.related(term)) search(target, weight * w * scale, term);
      }
      if (inCorpus) continue;
      const near = this.nearSpellings(term);
      const longer = this.longerForms(term);
      for (const target of near) search(target, weight * this.settings.typoWeight, term);
      for (const target of longer) search(target, weight * this.settings.prefixWeight, term);
      if (near.length > 0) respelled.set(term, near);
      // "async", "config", "perf": a clipping that is no everyday word is the word it clips. A
      // common one keeps its own meaning ("sync" is Kubernetes's word too; "compose" is Docker's).
      else if (longer.length > 0 && this.isRare(term)) respelled.set(term, longer);
    }
    for (const [acronym, weight] of this.spelledOutAcronyms(query.text)) search(acronym, weight, acronym);
    // "go over", "get in touch", "on purpose": a phrase means what its words alone do not, and its
    // words are stop words or everyday ones. WordNet's phrases are searched for their relatives.
    const phrases = this.phrases(query.text);
    for (const [phrase, relatives] of phrases) {
      for (const [target, w] of relatives) search(target, w * this.settings.expansionScale, phrase);
    }
    // "cold brew": a word the episode only uses in another phrase ("cold start") is not a match.
    const sequence = terms(query.text);
    const displaced = new Set<string>();
    for (let i = 0; i + 1 < sequence.length; i++) {
      const [word, next] = [sequence[i] as string, sequence[i + 1] as string];
      const bound = this.index.lexical.collocations[word];
      if (bound && bound !== next && known.has(word) && !known.has(next) && !this.metadata.has(next)) {
        displaced.add(word);
      }
    }
    const salience = new Map<string, number>();
    for (const term of asked.keys()) salience.set(term, this.salience(term));
    for (const phrase of phrases.keys()) salience.set(phrase, PHRASE_SALIENCE);
    let keyness = Number.NEGATIVE_INFINITY;
    for (const term of known) {
      if (displaced.has(term)) continue;
      keyness = Math.max(keyness, this.keyness(term));
    }
    for (const targets of respelled.values())
      for (const target of targets) keyness = Math.max(keyness, this.keyness(target));
    return {
      asked,
      salience,
      known,
      respelled,
      displaced,
      searched,
      speakers:
        aboutPerson.length > 0
          ? null
          : (speaker?.names ?? (meansGuestSide(query.text) ? this.guestSpeakers : null)),
      aboutPerson,
      namesEpisode,
      namesSpeaker: speaker !== null,
      keyness,
      expected,
    };
  }

  /** WordNet phrases of two to four words in a question ("go_over"), with their corpus relatives. */
  private phrases(question: string): Map<string, Array<[term: string, weight: number]>> {
    const sequence = words(question).map(({ word }) => word);
    const found = new Map<string, Array<[term: string, weight: number]>>();
    for (let n = 2; n <= 4; n++) {
      for (let i = 0; i + n <= sequence.length; i++) {
        const key = phraseKey(sequence.slice(i, i + n));
        const relatives = this.index.lexical.related(key);
        if (relatives.length > 0) found.set(key, relatives);
      }
    }
    return found;
  }

  /**
   * Corpus initialisms a question spells out: "file system" finds "EFS" (the
   * initials of two or more consecutive words are the initialism or its end).
   */
  private spelledOutAcronyms(question: string): Array<[string, number]> {
    const { acronyms } = this.index.lexical;
    const asked = words(question).map((w) => w.word);
    const initials = asked.map((w) => w[0] ?? "");
    const found: Array<[string, number]> = [];
    for (let i = 0; i < initials.length; i++) {
      for (let k = 2; k <= 5 && i + k <= initials.length; k++) {
        // Spelled-out names start and end with content words ("correction of errors").
        if (isStopWord(asked[i] as string) || isStopWord(asked[i + k - 1] as string)) continue;
        const spelled = initials.slice(i, i + k).join("");
        for (const [letters, term] of Object.entries(acronyms)) {
          if (letters.length < 3) continue;
          if (letters === spelled) found.push([term, 1]);
          else if (letters.length > spelled.length && letters.endsWith(spelled)) found.push([term, 0.6]);
        }
      }
    }
    return found;
  }

  /**
   * Information content in spoken English. Subtitles spell numbers out, so a number in digits
   * counts as its spoken form ("5" as "five"), or as a number word of middling frequency: "2018"
   * and "30" are no rarer in speech than "thirty", and do not make "who won the 2018 world cup?"
   * characteristic of an episode that mentions re:Invent 2018.
   */
  private information(term: string): number {
    const known = this.index.lexical.information(term);
    if (known !== undefined || !/^\d+$/.test(term)) return known ?? UNSEEN_INFORMATION;
    const word = numberForms(term)[0];
    return (word === undefined ? undefined : this.index.lexical.information(word)) ?? NUMBER_INFORMATION;
  }

  /** log(share of the episode's words / share of everyday spoken English's words), for a corpus word. */
  private keyness(term: string): number {
    const share = this.index.lexical.text.frequency(term);
    if (share === 0) return Number.NEGATIVE_INFINITY;
    // Information is -log(share in spoken English).
    return Math.log(share) + this.information(term);
  }

  /** 0.1 for everyday words ("big", "look"), 1 for rare ones ("ephemeral", "Mongolia"). */
  salience(term: string): number {
    const information = this.information(term);
    const { low, high } = this.settings.salience;
    return Math.min(1, Math.max(0.1, (information - low) / (high - low)));
  }

  /** Clipped words ("sync", "config", "perf") find the corpus words they clip ("synchronous"). */
  private longerForms(term: string): string[] {
    if (term.length < 4 || /^\d/.test(term)) return [];
    const result: string[] = [];
    for (const candidate of this.vocabulary) {
      if (candidate.length > term.length + 1 && candidate.startsWith(term)) result.push(candidate);
    }
    // A short prefix of many words ("inter") is not a clipping of any one of them.
    return result.length <= 3 ? result : [];
  }

  /** Not an everyday English word: too rare in speech (or unknown) to have a meaning of its own here. */
  private isRare(term: string): boolean {
    const information = this.index.lexical.information(term);
    return information === undefined || information >= RARE_WORD_INFORMATION;
  }

  private nearSpellings(term: string): string[] {
    // A real English word is not a typo of a corpus word ("bread" is not "break"), unless it is
    // so rare in speech that a slip of the keyboard is likelier ("strats" stems to "strat").
    if (term.length < 5 || /^\d/.test(term) || !this.isRare(term)) return [];
    const limit = term.length >= 8 ? 2 : 1;
    const result: string[] = [];
    for (const candidate of this.vocabulary) {
      if (Math.abs(candidate.length - term.length) > limit || candidate[0] !== term[0]) continue;
      if (distance(candidate, term) <= limit || swapsTwoLetters(candidate, term)) result.push(candidate);
    }
    return result;
  }
}
