import type { ExpectedAnswer } from "./answer-type.js";

/** A question as the retriever is asked it. */
export interface Query {
  text: string;
  /** The earlier question of the conversation, when this one is a follow-up. */
  previous?: string;
  /** Only passages of these episode ids (scoping); every episode when absent. */
  episodes?: Set<string>;
  /**
   * The question named the episode it is about ("what was Go Time 100 about?"), and those words
   * were taken out of `text`: what is left may ask nothing else.
   */
  namedEpisode?: boolean;
  limit: number;
}

/** What the retriever understood of a question, for abstention and the answer's wording. */
export interface QueryAnalysis {
  /** Topic words of the question (stems), with the weight each was asked with. */
  asked: Map<string, number>;
  /** How telling each asked word (and WordNet phrase) is in everyday English, 0..1 (see analysis/word-frequency.ts). */
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
  /**
   * Asked words the question wrote joined ("on-call", "coverage.py") that the corpus also writes
   * so, with the words they join ("oncal" -> "on", "call"): where the corpus says the parts, it
   * may just write them apart.
   */
  joined: Map<string, string[]>;
  /** Known words asked in a phrase the corpus never uses ("cold" in "cold brew"): half foreign. */
  displaced: Set<string>;
  /** Every term searched for: asked words, expansions, near spellings. */
  searched: Map<string, { weight: number; from: string }>;
  /** The speakers whose turns are favoured: those the question names, or the guest for "they". */
  speakers: Set<string> | null;
  /** The shows the question names ("On Go Time, …"), as episodes' `show` values; null when none. */
  shows: Set<string> | null;
  /**
   * The speakers a question asks about and nothing else ("who is Holly?"), else empty: the
   * passages that name them answer it, and the episode notes, which describe the people, are
   * favoured over anything the person said.
   */
  aboutPerson: string[];
  /**
   * Several people named by different words ("with Mat Ryer and Jaana Dogan"), one set per person
   * (an ambiguous name's set holds everyone it may mean): the question is about an episode with
   * one of each. Absent when it names one person or none.
   */
  together?: Array<Set<string>>;
  /**
   * Over several episodes, the question asks for episodes ("which episodes talk about Rust?"): its
   * hits are the passages of the episodes that fit it best, episode by episode, and each episode
   * is quoted once.
   */
  episodeList?: boolean;
  /**
   * The question (or the one it follows up) is about what was asked ("what did Jeremy ask Holly
   * about cold starts?"): a passage that only asks may answer it.
   */
  aboutAsking?: boolean;
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
  /**
   * How much more often than everyday English the episode says the question's telling words, on
   * average: their keyness weighed by salience (a word it never says counts `UNSAID_KEYNESS`).
   * Everyday questions ("how long should I rest a sprained ankle?") are below 0 over a technology
   * archive; questions about it above. NaN when no word is telling.
   */
  register: number;
  /** The kind of answer the question asks for (an amount, a date, a frequency…; answer-type.ts). */
  expected: ExpectedAnswer;
}
