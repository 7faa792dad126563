import type { EpisodeMeta, SpeakerRole } from "../../corpus/types.js";
import { terms, words } from "../analysis/tokens.js";
import { PRONOUN_FORMS, withoutPossessive } from "../profile/english.js";
import { METADATA_WORDS, ROLE_WORDS } from "../profile/interview.js";

/** Who a question asks about, resolved from the episodes' speaker metadata. */
export interface SpeakerTarget {
  names: Set<string>;
  /** Question words that named the speaker (left out of the topic words). */
  matchedWords: Set<string>;
}

interface SpeakerEntry {
  name: string;
  role: SpeakerRole;
  /** Lower-case words that refer to this speaker: first name, last name, label, pronoun forms. */
  nameWords: Set<string>;
  pronounWords: Set<string>;
}

/** Every speaker of the episodes, with the words that refer to them. */
export type SpeakerDirectory = SpeakerEntry[];

export function speakerDirectory(episodes: EpisodeMeta[]): SpeakerDirectory {
  const entries = new Map<string, SpeakerEntry>();
  for (const episode of episodes) {
    for (const [label, speaker] of Object.entries(episode.speakers)) {
      const entry = entries.get(speaker.name) ?? {
        name: speaker.name,
        role: speaker.role,
        nameWords: new Set<string>(),
        pronounWords: new Set<string>(),
      };
      for (const { word } of words(`${label} ${speaker.name}`)) entry.nameWords.add(word);
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
 */
export function resolveSpeaker(question: string, directory: SpeakerDirectory): SpeakerTarget | null {
  const asked = words(question).map((w) => withoutPossessive(w.word));
  const byName = directory.filter((s) => asked.some((w) => s.nameWords.has(w)));
  if (byName.length > 0) {
    const matchedWords = new Set(asked.filter((w) => byName.some((s) => s.nameWords.has(w))));
    return { names: new Set(byName.map((s) => s.name)), matchedWords };
  }
  for (const [role, word] of Object.entries(ROLE_WORDS)) {
    if (asked.includes(word)) {
      const matches = directory.filter((s) => s.role === role);
      if (matches.length > 0)
        return { names: new Set(matches.map((s) => s.name)), matchedWords: new Set([word]) };
    }
  }
  const byPronoun = directory.filter((s) => asked.some((w) => s.pronounWords.has(w)));
  if (byPronoun.length === 1)
    return { names: new Set(byPronoun.map((s) => s.name)), matchedWords: new Set() };
  return null;
}

/**
 * Words that stand for the episode's metadata ("the show", "the host") mapped to
 * the words that metadata holds, so "what show is this and who hosts it" finds
 * the turn where the host names himself and the show.
 */
export function metadataWords(episodes: EpisodeMeta[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  const add = (keys: string[], text: string) => {
    for (const key of keys) map.set(key, [...(map.get(key) ?? []), ...terms(text)]);
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
