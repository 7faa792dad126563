import type { EpisodeMeta } from "../../corpus/types.js";
import { words } from "../analysis/tokens.js";

/**
 * The names a show goes by, to find one in a question ("On Go Time, what did…", "on the
 * changelog"): its `show` field, and its episodes' titles that are a name and a number, without
 * the number ("Go Time #100" → "go time"; a title of its own is no show's name). Only names of two words or more: a one-word name ("friends", "podcast", "news") is
 * too often just a word of the question.
 */
export type ShowNames = Map<string, Set<string>>;

/**
 * The show a title names before its number: "Go Time #100", "Go Time episode 100" and "Big Tent
 * S1E3" are Go Time's and Big Tent's; a title of its own ("Compost, Worms and Patience") names none.
 */
export function titleShow(title: string): string | undefined {
  return /^(.*?)\s*(?:#|episode\s+|ep\.?\s*|s\d+e)?\d+\s*$/i.exec(title)?.[1] || undefined;
}

export function showNames(episodes: EpisodeMeta[]): ShowNames {
  const names: ShowNames = new Map();
  for (const episode of episodes) {
    for (const name of [episode.show, titleShow(episode.title) ?? ""]) {
      const key = words(name)
        .map(({ word }) => word)
        .join(" ");
      // "The Garden Hour" is also written "Garden Hour" (not "The Changelog" "Changelog": one word).
      for (const spelling of [key, key.replace(/^the /, "")]) {
        if (!spelling.includes(" ")) continue;
        const shows = names.get(spelling) ?? new Set<string>();
        shows.add(episode.show);
        names.set(spelling, shows);
      }
    }
  }
  return names;
}

/** The shows a question names, and the question's words that named them (lower case). */
export function namedShows(question: string, names: ShowNames): { shows: Set<string>; words: Set<string> } {
  const sequence = words(question).map(({ word }) => word.replace(/['’]s$/, ""));
  const shows = new Set<string>();
  const matched = new Set<string>();
  for (const [name, showsOfName] of names) {
    const parts = name.split(" ");
    for (let i = 0; i + parts.length <= sequence.length; i++) {
      if (parts.every((part, j) => sequence[i + j] === part)) {
        for (const show of showsOfName) shows.add(show);
        for (const part of parts) matched.add(part);
      }
    }
  }
  return { shows, words: matched };
}
