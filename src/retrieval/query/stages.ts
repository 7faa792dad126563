import { stem, terms, words } from "../analysis/tokens.js";
import type { LexicalIndex } from "../index/lexical.js";
import { FREQUENCY_WORDS, spellOut, WHO_IS } from "../profile/english.js";
import {
  ABOUT_VERBS,
  asksForEpisodes,
  asksWhatWasAsked,
  METADATA_WORDS,
  meansGuestSide,
} from "../profile/interview.js";
import type { RetrievalSettings } from "../settings.js";
import { expectedAnswerType } from "./answer-type.js";
import { isRare, keyness, salience } from "./information.js";
import { numberForms } from "./numbers.js";
import { longerForms, nearSpellings } from "./respelling.js";
import { namedShows, type ShowNames } from "./shows.js";
import { resolveSpeaker, type SpeakerDirectory, type SpeakerTarget } from "./speakers.js";
import type { QueryAnalysis } from "./types.js";
import { spelledOutInitialisms, wordNetPhrases } from "./word-groups.js";

/**
 * Reading a question, as an ordered list of named stages. Each stage reads what the stages before
 * it wrote into the draft and adds its own part; `QUERY_STAGES` is the order they run in, and
 * each names the settings it reads (its `run` sees only those). The analyser
 * (query/analyse.ts) runs them and hands the retriever and the refusal judge the result.
 */

/** What one index offers the stages: its words and what it knows about them, and its people. */
export interface QueryCorpus {
  /** Every index term of the passages and of the turns they reply to. */
  vocabulary: Set<string>;
  lexical: LexicalIndex;
  /** The episodes' speakers, to find the one a question names. */
  directory: SpeakerDirectory;
  /**
   * Words that stand for one episode's metadata ("show", "host") -> the words it holds: the
   * corpus's episode, or the question's when it is scoped to one; empty over an archive.
   */
  metadata: Map<string, string[]>;
  /** The speakers who are the guest of some episode (of the question's episode, when it has one). */
  guestSpeakers: Set<string>;
  /** The speakers of the one episode in view (the corpus's, or the question's scope): whom roles name. */
  roleScope?: Set<string>;
  /** Each show's speakers (by the episodes' `show`): whom roles name in a question naming the show. */
  showSpeakers: Map<string, Set<string>>;
  /** The names of the shows, to find one a question names. */
  shows: ShowNames;
}

/** The analysis while the stages build it. */
export interface Draft extends Omit<QueryAnalysis, "namesSpeaker"> {
  /** The question, and the one it follows up, as read (abbreviations spelled out). */
  text: string;
  previous?: string;
  /** The speaker the question (or the one it follows up) names. */
  speaker: SpeakerTarget | null;
  /** The question named its episode, and those words are out of `text` (Query.namedEpisode). */
  namedEpisode: boolean;
  /** Question words that named a show (left out of the topic words). */
  showWords: Set<string>;
  /** WordNet phrases of the question, with their corpus relatives. */
  phrases: Map<string, Array<[term: string, weight: number]>>;
}

export interface QueryStage<K extends keyof RetrievalSettings = keyof RetrievalSettings> {
  name: string;
  /** The settings the stage reads. */
  settings: readonly K[];
  run(draft: Draft, corpus: QueryCorpus, settings: Pick<RetrievalSettings, K>): void;
}

/** The draft a question starts as, before any stage has run. */
export function startDraft(text: string, previous: string | undefined, namedEpisode = false): Draft {
  return {
    text,
    previous,
    namedEpisode,
    speaker: null,
    showWords: new Set(),
    shows: null,
    asked: new Map(),
    expected: { type: "any" },
    aboutPerson: [],
    known: new Set(),
    respelled: new Map(),
    joined: new Map(),
    searched: new Map(),
    namesEpisode: false,
    phrases: new Map(),
    displaced: new Set(),
    salience: new Map(),
    keyness: Number.NEGATIVE_INFINITY,
    register: Number.NaN,
    speakers: null,
  };
}

/** Searches `term` at `weight` for the asked word `from`, unless it is searched more strongly already. */
function search(draft: Draft, term: string, weight: number, from: string): void {
  if ((draft.searched.get(term)?.weight ?? 0) < weight) draft.searched.set(term, { weight, from });
}

/** "ppl", "w/o", "100%", "5 yrs": typed abbreviations, as the transcript spells them. */
export const spellOutStage: QueryStage<never> = {
  name: "spell out",
  settings: [],
  run(draft) {
    draft.text = spellOut(draft.text);
    if (draft.previous !== undefined) draft.previous = spellOut(draft.previous);
  },
};

/** The speaker the question names (by name, role or pronoun), else the one its predecessor named. */
export const speakerStage: QueryStage<never> = {
  name: "speaker",
  settings: [],
  run(draft, { directory, lexical, roleScope: episodeRoles, showSpeakers }) {
    const information = (word: string) => lexical.information(stem(word));
    const saidIn = (word: string) => lexical.text.df(stem(word));
    // "Who hosts Go Time?": with no episode in view, a question naming a show means its hosts.
    const roleScope =
      episodeRoles ??
      (draft.shows
        ? new Set([...draft.shows].flatMap((show) => [...(showSpeakers.get(show) ?? [])]))
        : undefined);
    draft.speaker =
      resolveSpeaker(draft.text, directory, information, saidIn, roleScope, draft.showWords) ??
      (draft.previous
        ? resolveSpeaker(draft.previous, directory, information, saidIn, roleScope, draft.showWords)
        : null);
  },
};

/** The shows the question (or the one it follows up) names: "On Go Time, what did…". */
export const showStage: QueryStage<never> = {
  name: "show",
  settings: [],
  run(draft, { shows }) {
    for (const text of [draft.text, draft.previous ?? ""]) {
      const found = namedShows(text, shows);
      if (found.shows.size === 0) continue;
      draft.shows = found.shows;
      draft.showWords = found.words;
      return;
    }
  },
};

/**
 * The topic words: the question's index terms, and a follow-up's predecessor's at less weight; not
 * the speaker's name, nor the show's. With no one episode in view, not the words for an archive's
 * parts either: "which episode talked about SQLite?" asks for an episode, and "episode" in a
 * passage ("your very first episode, yeah") is no sign of SQLite.
 */
export const askedWordsStage: QueryStage<"followUpWeight"> = {
  name: "asked words",
  settings: ["followUpWeight"],
  run(draft, { metadata }, { followUpWeight }) {
    const { speaker, asked } = draft;
    const nameStems = new Set(terms([...(speaker?.matchedWords ?? []), ...draft.showWords].join(" ")));
    if (metadata.size === 0) for (const term of ARCHIVE_PART_WORDS) nameStems.add(term);
    const add = (text: string, weight: number) => {
      for (const term of terms(text)) {
        if (nameStems.has(term)) continue;
        asked.set(term, Math.max(asked.get(term) ?? 0, weight));
      }
    };
    add(draft.text, 1);
    if (draft.previous) add(draft.previous, followUpWeight);
    // With one episode in view there is no list of them to give. "And Go?" after "which episodes
    // talk about Rust?" asks for episodes too.
    const list =
      asksForEpisodes(draft.text) || (draft.previous !== undefined && asksForEpisodes(draft.previous));
    if (metadata.size === 0 && list) {
      draft.episodeList = true;
      for (const term of ABOUT_TERMS) asked.delete(term);
    }
    if (asksWhatWasAsked(draft.text) || (draft.previous !== undefined && asksWhatWasAsked(draft.previous)))
      draft.aboutAsking = true;
  },
};

/**
 * The kind of answer asked for (query/answer-type.ts). "do they run game days regularly?": the
 * word asking for a frequency says what kind of answer is wanted, and the answer type looks for
 * one ("every week", "ongoing"). When the episode never says it, it is no foreign topic either
 * ("regularly" made that question off-topic). One the episode does say is searched as before.
 */
export const answerTypeStage: QueryStage<never> = {
  name: "answer type",
  settings: [],
  run(draft, { vocabulary }) {
    draft.expected = expectedAnswerType(draft.text);
    if (draft.expected.type !== "frequency") return;
    for (const term of terms(FREQUENCY_WORDS.join(" "))) if (!vocabulary.has(term)) draft.asked.delete(term);
  },
};

/**
 * "15-minute", "GB-month": the parts are asked; run together, a form the episode never writes is
 * no foreign word of its own.
 */
export const joinedFormsStage: QueryStage<never> = {
  name: "joined forms",
  settings: [],
  run(draft, { vocabulary }) {
    for (const text of [draft.text, draft.previous ?? ""]) {
      for (const { word } of words(text)) {
        if (!/[.-]/.test(word)) continue;
        const joined = stem(word.replace(/[.-]/g, ""));
        const parts = terms(word).filter((term) => term !== joined);
        if (parts.length === 0) continue;
        if (!vocabulary.has(joined)) draft.asked.delete(joined);
        else draft.joined.set(joined, parts);
      }
    }
  },
};

/** The words for being about something ("talk", "discuss", "cover"), as stems. */
const ABOUT_TERMS = new Set(terms(ABOUT_VERBS));

/** The words (stems) for a show or an episode as a part of the archive ("which episode", "on the show"). */
const ARCHIVE_PART_WORDS = [...METADATA_WORDS.show, ...METADATA_WORDS.title];

/** "who is / who's / who was [the] X", where X is one of the words that named the speaker. */
function asksWhoIs(question: string, speakerWords: Set<string>): boolean {
  for (const match of question.toLowerCase().matchAll(WHO_IS)) {
    if (speakerWords.has(match[1] as string)) return true;
  }
  return false;
}

/**
 * "Who is Holly?", "what show is this and who's the host?": who someone is is answered where they
 * are named (an introduction, the episode notes). When the person is the whole question, that
 * matters more than anything they said; their name is asked then.
 */
export const aboutPersonStage: QueryStage<never> = {
  name: "about a person",
  settings: [],
  run(draft) {
    const { speaker, asked } = draft;
    draft.aboutPerson = asked.size === 0 && speaker ? [...speaker.names] : [];
    if (speaker && (draft.aboutPerson.length > 0 || asksWhoIs(draft.text, speaker.matchedWords))) {
      for (const name of speaker.names) for (const term of terms(name)) asked.set(term, 1);
    }
  },
};

/**
 * "What was Go Time 100 about?", "what did they talk about in the latest episode?": once the
 * words naming the episode are taken out, a question about one episode may ask nothing else (or
 * only "talk", "discuss", "cover"). It asks what the episode is, as "what is this episode about?"
 * does: its title and show, which the welcome and the notes say.
 */
export const aboutEpisodeStage: QueryStage<never> = {
  name: "about the episode",
  settings: [],
  run(draft, { metadata }) {
    const [episode] = METADATA_WORDS.title;
    if (!draft.namedEpisode || metadata.size === 0 || !episode) return;
    if (![...draft.asked.keys()].every((term) => ABOUT_TERMS.has(term))) return;
    draft.asked.clear();
    draft.asked.set(episode, 1);
  },
};

/** A speaker found by name, pronoun, or a role in the one episode in view (not "the host" of an archive). */
function namesSomeone(speaker: SpeakerTarget | null): boolean {
  return speaker !== null && speaker.anyOfRole !== true;
}

/** The asked words the corpus uses as they are; a question naming a speaker names the episode. */
export const knownWordsStage: QueryStage<never> = {
  name: "known words",
  settings: [],
  run(draft, { vocabulary }) {
    draft.known = new Set([...draft.asked.keys()].filter((t) => vocabulary.has(t)));
    draft.namesEpisode = namesSomeone(draft.speaker) || draft.shows !== null;
  },
};

/**
 * The corpus words searched for each asked word, in this order: the metadata it stands for, the
 * word itself, its other spelling as a number, its WordNet relatives, and for a word the corpus
 * does not use, the words it may misspell or clip. Misspelt and clipped words are `respelled`.
 */
export const corpusWordsStage: QueryStage<
  "metadataWeight" | "expansionScale" | "knownExpansionScale" | "typoWeight" | "prefixWeight"
> = {
  name: "corpus words",
  settings: ["metadataWeight", "expansionScale", "knownExpansionScale", "typoWeight", "prefixWeight"],
  run(draft, { vocabulary, lexical, metadata }, settings) {
    const { known, respelled } = draft;
    for (const [term, weight] of draft.asked) {
      const meta = metadata.get(term);
      if (meta) {
        draft.namesEpisode = true;
        known.add(term);
        for (const target of meta) search(draft, target, weight * settings.metadataWeight, term);
      }
      const inCorpus = vocabulary.has(term);
      if (inCorpus) search(draft, term, weight, term);
      // "5" is "five" and "hundred" is "100": the same word, written the other way.
      const written = numberForms(term).filter((form) => vocabulary.has(form));
      for (const form of written) search(draft, form, weight, term);
      if (!inCorpus && written.length > 0) respelled.set(term, written);
      // A word the episode uses is searched as itself first; its relatives count for less.
      const scale = settings.expansionScale * (inCorpus ? settings.knownExpansionScale : 1);
      if (scale > 0) {
        for (const [target, w] of lexical.related(term)) search(draft, target, weight * w * scale, term);
      }
      if (inCorpus) continue;
      const near = nearSpellings(term, vocabulary, lexical);
      const longer = longerForms(term, vocabulary);
      for (const target of near) search(draft, target, weight * settings.typoWeight, term);
      for (const target of longer) search(draft, target, weight * settings.prefixWeight, term);
      if (near.length > 0) respelled.set(term, near);
      // "async", "config", "perf": a clipping that is no everyday word is the word it clips. A
      // common one keeps its own meaning ("sync" is Kubernetes's word too; "compose" is Docker's).
      else if (longer.length > 0 && isRare(term, lexical)) respelled.set(term, longer);
    }
  },
};

/** "file system" finds "EFS": the corpus initialisms the question spells out are searched. */
export const initialismsStage: QueryStage<never> = {
  name: "initialisms",
  settings: [],
  run(draft, { lexical }) {
    for (const [initialism, weight] of spelledOutInitialisms(draft.text, lexical))
      search(draft, initialism, weight, initialism);
  },
};

/**
 * "go over", "get in touch", "on purpose": a phrase means what its words alone do not, and its
 * words are stop words or everyday ones. WordNet's phrases are searched for their relatives.
 */
export const phrasesStage: QueryStage<"expansionScale"> = {
  name: "phrases",
  settings: ["expansionScale"],
  run(draft, { lexical }, { expansionScale }) {
    draft.phrases = wordNetPhrases(draft.text, lexical);
    for (const [phrase, relatives] of draft.phrases) {
      for (const [target, w] of relatives) search(draft, target, w * expansionScale, phrase);
    }
  },
};

/** "cold brew": a word the episode only uses in another phrase ("cold start") is not a match. */
export const displacedStage: QueryStage<never> = {
  name: "displaced words",
  settings: [],
  run(draft, { lexical, metadata }) {
    const { known } = draft;
    const sequence = terms(draft.text);
    for (let i = 0; i + 1 < sequence.length; i++) {
      const [word, next] = [sequence[i] as string, sequence[i + 1] as string];
      const bound = lexical.collocations[word];
      if (bound && bound !== next && known.has(word) && !known.has(next) && !metadata.has(next)) {
        draft.displaced.add(word);
      }
    }
  },
};

/** How telling a WordNet phrase of the question is, as salience (0.1..1) is for its words. */
const PHRASE_SALIENCE = 0.5;

/** How telling each asked word is in everyday English (0.1..1), and each phrase (`PHRASE_SALIENCE`). */
export const salienceStage: QueryStage<"salience"> = {
  name: "salience",
  settings: ["salience"],
  run(draft, { lexical }, settings) {
    for (const term of draft.asked.keys())
      draft.salience.set(term, salience(term, lexical, settings.salience));
    for (const phrase of draft.phrases.keys()) draft.salience.set(phrase, PHRASE_SALIENCE);
  },
};

/** A telling word the corpus never says, in the register (see QueryAnalysis). */
const UNSAID_KEYNESS = -3;

/** How telling (salience × the weight it was asked with) a word must be to count in the register. */
const REGISTER_SALIENCE = 0.3;

/** How characteristic of the episode the question's most characteristic word is, and its words on average (see QueryAnalysis). */
export const keynessStage: QueryStage<never> = {
  name: "keyness",
  settings: [],
  run(draft, { lexical }) {
    let weight = 0;
    let sum = 0;
    for (const [term, asked] of draft.asked) {
      const telling = (draft.salience.get(term) ?? 1) * asked;
      if (telling < REGISTER_SALIENCE) continue;
      const said = draft.known.has(term) && !draft.displaced.has(term);
      const value = said ? keyness(term, lexical, draft.joined.get(term)) : UNSAID_KEYNESS;
      weight += telling;
      sum += telling * Math.max(UNSAID_KEYNESS, value);
    }
    draft.register = weight > 0 ? sum / weight : Number.NaN;
    for (const term of draft.known) {
      if (draft.displaced.has(term)) continue;
      draft.keyness = Math.max(draft.keyness, keyness(term, lexical, draft.joined.get(term)));
    }
    for (const targets of draft.respelled.values())
      for (const target of targets) draft.keyness = Math.max(draft.keyness, keyness(target, lexical));
  },
};

/**
 * The speakers whose turns are favoured: those the question names, or the guest's side for an
 * unnamed "they" (profile/interview.ts); none when the question is about the person themselves.
 */
export const favouredSpeakersStage: QueryStage<never> = {
  name: "favoured speakers",
  settings: [],
  run(draft, { guestSpeakers }) {
    draft.speakers =
      draft.aboutPerson.length > 0
        ? null
        : (draft.speaker?.names ?? (meansGuestSide(draft.text) ? guestSpeakers : null));
  },
};

/** The stages, in the order they run: each may read what any stage before it wrote. */
export const QUERY_STAGES: readonly QueryStage[] = [
  spellOutStage,
  showStage,
  speakerStage,
  askedWordsStage,
  answerTypeStage,
  joinedFormsStage,
  aboutPersonStage,
  aboutEpisodeStage,
  knownWordsStage,
  corpusWordsStage,
  initialismsStage,
  phrasesStage,
  displacedStage,
  salienceStage,
  keynessStage,
  favouredSpeakersStage,
];

/** The finished analysis: the draft without its working parts. */
export function finishDraft(draft: Draft): QueryAnalysis {
  return {
    asked: draft.asked,
    salience: draft.salience,
    known: draft.known,
    respelled: draft.respelled,
    joined: draft.joined,
    displaced: draft.displaced,
    searched: draft.searched,
    speakers: draft.speakers,
    shows: draft.shows,
    aboutPerson: draft.aboutPerson,
    namesEpisode: draft.namesEpisode,
    namesSpeaker: namesSomeone(draft.speaker),
    ...(draft.episodeList ? { episodeList: true } : {}),
    ...(draft.aboutAsking ? { aboutAsking: true } : {}),
    ...(draft.speaker?.together && namesSomeone(draft.speaker) ? { together: draft.speaker.together } : {}),
    keyness: draft.keyness,
    register: draft.register,
    expected: draft.expected,
  };
}
