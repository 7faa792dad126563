import { showKey } from "../retrieval/query/scope.js";
import type { Answer, EpisodeRef } from "./types.js";

/**
 * An episode's name that says which show and which number it is: its title when the title says
 * both already, or numbers it (`Go Time #100`, made from an archive's file name), else the show and number
 * before it (`The Garden Hour #13: Bees on a City Balcony`). For quotes of several episodes,
 * where a title alone does not tell one show's episode from another's.
 */
export function fullEpisodeName(episode: Pick<EpisodeRef, "title" | "show" | "number">): string {
  const { title, show, number } = episode;
  if (!show) return title;
  // "#100" in a title is an archive's own numbering (`the-changelog-500` in the folder `podcast`).
  if (number && title.includes(`#${number}`)) return title;
  const hasShow = showKey(title).includes(showKey(show));
  const hasNumber = !number || new RegExp(`(^|\\D)${number}(\\D|$)`).test(title);
  if (hasShow && hasNumber) return title;
  return `${show}${number ? ` #${number}` : ""}: ${title}`;
}

/** Whether the answer quotes more than one episode (its quotes then each say which one). */
export function quotesSeveralEpisodes(answer: Pick<Answer, "passages">): boolean {
  return new Set(answer.passages.map((p) => p.episode.id)).size > 1;
}

/** How a quote names its episode: the title alone in an answer from one episode, as before. */
export function quoteEpisodeName(episode: EpisodeRef, several: boolean): string {
  return several ? fullEpisodeName(episode) : episode.title;
}
