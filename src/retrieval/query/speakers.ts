import type { EpisodeMeta, SpeakerRole } from "../../corpus/types.js";
import { isStopWord, terms, words } from "../analysis/tokens.js";
import { PRONOUN_FORMS, withoutPossessive } from "../profile/english.js";
import { METADATA_WORDS, ROLE_WORDS } from "../profile/interview.js";

/** Who a question asks about, resolved from the episodes' speaker metadata. */
export interface SpeakerTarget {
  names: Set<string>;
  /** Question words that named the speaker (left out of the topic words). */
  matchedWords: Set<string>;
  /**
   * Named by a role word over an archive with no episode in view ("the host" of 2,000 episodes):
   * their turns are favoured, but the question names no one ("how do I host a dinner party?").
   */
  anyOfRole?: boolean;
  /**
   * Present when the question names several people by different words ("Mat Ryer, Mark Bates and
   * Jaana Dogan"): the named people grouped by the words that named them. Each group is one person
   * (or the several an ambiguous name may mean: every "Adam"), and the question is about an episode
   * with one of each.
   */
  together?: Array<Set<string>>;
}

interface SpeakerEntry {
  name: string;
  role: SpeakerRole;
  /** Lower-case words that refer to this speaker: first name, last name, label, pronoun forms. */
  nameWords: Set<string>;
  /** The first word of their name and of their label: what people call them by ("holly"). */
  callWords: Set<string>;
  pronounWords: Set<string>;
  /** Words of their name or label written in capitals ("TJ"): a question's capitals ("NASA's TESS") name only these. */
  capitalWords: Set<string>;
  /** Names they introduce themselves by ("kball"): a question naming one that is no English word names them. */
  selfNames: Set<string>;
  /** How many passages they speak (Infinity when not counted). */
  passages: number;
}

/** Every speaker of the episodes, with the words that refer to them. */
export type SpeakerDirectory = SpeakerEntry[];

/**
 * Speakers of fewer passages than this are found by a name written in lower case only when it
 * is no word of its own: a clip's "Monty Python" or "Chip Douglas" is not what "a ball python"
 * or "chocolate chip cookies" ask about.
 */
const MINOR_VOICE_PASSAGES = 5;

/**
 * A capitalised English word that more passages than this say is a topic of the corpus ("Python"
 * in 3,000 passages of the Changelog), not the name of a minor voice.
 */
const MINOR_NAME_PASSAGES = 20;

/**
 * One word of a voice's name names them only when they speak in at least this share as many
 * passages as say the word: "JS" is said in 900 passages of 508 episodes and "Horse JS" (a parody
 * account read out) speaks in 6, so "an alternative JS runtime" names no one; "Perris" (3 passages)
 * names Ron Perris (97), "Mat" (269) Mat Ryer (2,663), "Ben" (100) Ben Cohen (47).
 */
const NAME_SHARE = 0.05;

/**
 * Information (nats) under which an English word is an everyday one first and a name second:
 * "will" 5.5, "long" 7.3, "fix" 8.9 are; "ben" 9.2, "holly" 11.4 are not ("john", 8.5, is).
 */
const EVERYDAY_INFORMATION = 9;

export function speakerDirectory(
  episodes: EpisodeMeta[],
  passages: ReadonlyArray<{ speaker: { name: string } }> = [],
): SpeakerDirectory {
  const counts = new Map<string, number>();
  for (const { speaker } of passages) counts.set(speaker.name, (counts.get(speaker.name) ?? 0) + 1);
  const entries = new Map<string, SpeakerEntry>();
  for (const episode of episodes) {
    for (const [label, speaker] of Object.entries(episode.speakers)) {
      const entry = entries.get(speaker.name) ?? {
        name: speaker.name,
        role: speaker.role,
        nameWords: new Set<string>(),
        callWords: new Set<string>(),
        pronounWords: new Set<string>(),
        capitalWords: new Set<string>(),
        selfNames: new Set<string>(),
        passages: passages.length > 0 ? (counts.get(speaker.name) ?? 0) : Number.POSITIVE_INFINITY,
      };
      for (const text of [label, speaker.name]) {
        const first = words(text)[0]?.word;
        if (first) entry.callWords.add(first);
      }
      const written = `${label} ${speaker.name}`;
      for (const { word, start, end } of words(written)) {
        // "The Joker", "Kent C. Dodds": "the" and "c" name no one in a question.
        if (word.length > 1 && !isStopWord(word)) entry.nameWords.add(word);
        if (inCapitals(written.slice(start, end))) entry.capitalWords.add(word);
      }
      for (const called of speaker.calledBy ?? []) entry.selfNames.add(called.toLowerCase());
      const first = speaker.pronouns?.split("/")[0]?.toLowerCase();
      for (const form of (first && PRONOUN_FORMS[first]) || []) entry.pronounWords.add(form);
      entries.set(speaker.name, entry);
    }
  }
  return [...entries.values()];
}

/**
 * Finds the speaker a question is about: by name first ("what did Jeremy say"),
 * then by role ("the host", "the guest"), then by pronoun ("her background"),
 * using a pronoun only when exactly one speaker goes by it.
 *
 * `information` is how common a word is in everyday English (nats; undefined for no English
 * word). An archive has thousands of speakers, and "how long can a swift fly" is about no one: a
 * common word ("long", "fix", "will", under `EVERYDAY_INFORMATION`) names someone only when
 * written with a capital inside the question, or beside another word of the same name ("josh
 * long"); an English word in lower case names only someone called by it (their first name,
 * "charity's take"): "less ram" is not about Karthik Ram; and a minor voice (a clip's "Monty
 * Python") is named by two words of its name, a word that is no English word, or a capitalised one
 * the corpus hardly says ("what did Python say?", not "models in Python" over an archive).
 */
export function resolveSpeaker(
  question: string,
  directory: SpeakerDirectory,
  information: (word: string) => number | undefined = () => undefined,
  /** How many passages of the corpus say a word (0 when not known). */
  saidIn: (word: string) => number = () => 0,
  /**
   * The speakers "the host" and "the guest" may be: the question's episode's (or the corpus's, when
   * it has one episode); undefined over an archive, where a role names no one in particular.
   */
  roleScope?: Set<string>,
  /** Words the question names a show with ("On JS Party, …"): they name no one (a clip labelled "JS Party #269"). */
  showWords: ReadonlySet<string> = new Set(),
): SpeakerTarget | null {
  const spoken = words(question).filter(({ word }) => !showWords.has(withoutPossessive(word)));
  const found = spoken.map(({ word, start }) => {
    const bare = withoutPossessive(word);
    const written = question.slice(start, start + 1);
    const capitalised = start > 0 && written !== written.toLowerCase();
    const known = information(bare);
    const initials = inCapitals(question.slice(start, start + bare.length));
    const value = capitalised ? undefined : known;
    return {
      word: bare,
      capitalised,
      everyday: value !== undefined && value < EVERYDAY_INFORMATION,
      english: value !== undefined,
      // An English word however written: "Italian" is no one's name, though someone said "I'm Italian".
      englishWord: known !== undefined,
      // Capitalised, an English word names a minor voice only if the corpus hardly says it: "models
      // in Python" is about the language, not a clip's Monty Python.
      minorName: known === undefined || (capitalised && saidIn(bare) <= MINOR_NAME_PASSAGES),
      saidIn: saidIn(bare),
      initials,
    };
  });
  const asked = found.map((w) => w.word);
  // An archive has many Bens: "Ben Cohen" means the speaker both words name, not every Ben or Cohen.
  const selfNamed = (s: SpeakerEntry, w: (typeof found)[number]) => !w.englishWord && s.selfNames.has(w.word);
  // The words that name each speaker, for those some word names for sure (or two words do).
  const candidates: Array<{ speaker: SpeakerEntry; named: Set<string> }> = [];
  for (const s of directory) {
    const named = found.filter(
      (w) => (s.nameWords.has(w.word) && (!w.initials || s.capitalWords.has(w.word))) || selfNamed(s, w),
    );
    if (named.length === 0) continue;
    const strong = named.some(
      (w) =>
        selfNamed(s, w) ||
        (!w.everyday &&
          (s.passages >= MINOR_VOICE_PASSAGES
            ? (w.capitalised || !w.english || s.callWords.has(w.word)) && s.passages >= NAME_SHARE * w.saidIn
            : w.minorName)),
    );
    if (strong || named.length > 1) candidates.push({ speaker: s, named: new Set(named.map((w) => w.word)) });
  }
  // "Ben Cohen" is not Ben Johnson nor Mitchell Cohen: a speaker whom some of the words name is
  // out when another is named by those words and more. Speakers named by other words stay: "Mat
  // Ryer and Jaana Dogan" are two people.
  const byName = candidates.filter(
    ({ named }) =>
      !candidates.some(
        (other) => other.named.size > named.size && [...named].every((w) => other.named.has(w)),
      ),
  );
  if (byName.length > 0) {
    const matchedWords = new Set(byName.flatMap(({ named }) => [...named]));
    const together = mentions(byName);
    return {
      names: new Set(byName.map(({ speaker }) => speaker.name)),
      matchedWords,
      ...(together.length > 1 ? { together } : {}),
    };
  }
  for (const [role, word] of Object.entries(ROLE_WORDS)) {
    // "Who hosts Go Time?", "who were the guests?"
    const said = asked.find((w) => w === word || w === `${word}s`);
    if (said) {
      const matches = directory.filter((s) => s.role === role && (!roleScope || roleScope.has(s.name)));
      if (matches.length > 0)
        return {
          names: new Set(matches.map((s) => s.name)),
          matchedWords: new Set([said]),
          ...(roleScope ? {} : { anyOfRole: true }),
        };
    }
  }
  // "her" is one person only when everyone's pronouns are known (an archive's labels say none).
  const byPronoun = directory.filter((s) => asked.some((w) => s.pronounWords.has(w)));
  if (byPronoun.length === 1 && directory.every((s) => s.pronounWords.size > 0))
    return { names: new Set(byPronoun.map((s) => s.name)), matchedWords: new Set() };
  return null;
}

/** Two or more letters, all capitals: "TJ", "NASA", "TESS". */
function inCapitals(written: string): boolean {
  return written.length > 1 && /[A-Z]/.test(written) && written === written.toUpperCase();
}

/**
 * The named speakers grouped by the question words that named them: speakers named by the same
 * words are one mention ("Adam" names every Adam), speakers named by other words are other people
 * ("Ben Cohen and Mitchell Cohen").
 */
function mentions(named: Array<{ speaker: SpeakerEntry; named: Set<string> }>): Array<Set<string>> {
  const groups = new Map<string, Set<string>>();
  for (const { speaker, named: words } of named) {
    const key = [...words].sort().join(" ");
    groups.set(key, (groups.get(key) ?? new Set()).add(speaker.name));
  }
  return [...groups.values()];
}

/**
 * Words that stand for the episode's metadata ("the show", "the host") mapped to
 * the words that metadata holds, so "what show is this and who hosts it" finds
 * the turn where the host names himself and the show.
 */
export function metadataWords(episodes: EpisodeMeta[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  // Pushed, not copied: an archive's "guest" stands for thousands of names.
  const add = (keys: string[], text: string) => {
    for (const key of keys) {
      const list = map.get(key) ?? [];
      list.push(...terms(text));
      map.set(key, list);
    }
  };
  for (const episode of episodes) {
    add(METADATA_WORDS.show, episode.show);
    add(METADATA_WORDS.title, episode.title);
    for (const speaker of Object.values(episode.speakers)) {
      add(speaker.role === "host" ? METADATA_WORDS.host : METADATA_WORDS.guest, speaker.name);
    }
  }
  return map;
}
