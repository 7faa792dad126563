import type { AskScope } from "../../answer/types.js";
import type { EpisodeMeta } from "../../corpus/types.js";
import { nameWords, words } from "../analysis/tokens.js";
import { NAMES_EPISODE } from "../profile/english.js";
import { namedShows, showNames, titleShow } from "./shows.js";

/**
 * Which episodes a question is about: the channel's scope (configuration) and
 * an episode the question names — by number ("in episode 12", "Night Kitchen
 * #4"), or by guest or title words ("in the Priya Castellanos episode", "the
 * episode with Kenji Albright", "in the compost episode"). Resolved against the
 * metadata of the episodes in the index, so it follows the index as it changes.
 * How questions name an episode is English: `NAMES_EPISODE` in the profile.
 */
export interface ScopeResolution {
  /** Episode ids retrieval may return; undefined: every episode. */
  episodes?: Set<string>;
  /** The question without the words that name the episode: what retrieval searches for. */
  text: string;
  /** Set when the scope leaves no episode to search: a sentence for the asker instead of an answer. */
  problem?: string;
  /** The words that named an episode ("episode 12"), when the question named one. */
  named?: string;
}

/** A mention of an episode in a question: where it is, and the episodes it fits (maybe none). */
interface Named {
  ids: string[];
  /** The words as asked, without a leading "in the", for messages ("episode 99"). */
  phrase: string;
  start: number;
  end: number;
}

const { generic: GENERIC, sentenceWords: SENTENCE_WORDS, lead: LEAD } = NAMES_EPISODE;

/** Each episode's naming words, worked out once: an archive's 2,085 took 15 ms a question. */
const vocabularies = new WeakMap<EpisodeMeta, Set<string>>();

/** The words an episode can be named by: its title's, its show's and its speakers' names. */
function vocabulary(meta: EpisodeMeta): Set<string> {
  let known = vocabularies.get(meta);
  if (!known) {
    const names = Object.values(meta.speakers).map((s) => s.name);
    known = new Set(nameWords([meta.title, meta.show, ...names].join(" ")));
    vocabularies.set(meta, known);
  }
  return known;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A mention without the preposition and article before it: "in the episode 12" -> "episode 12". */
function bare(text: string): string {
  return text.replace(NAMES_EPISODE.leadAtStart, "").trim();
}

/** Each show's names as a question may write them, worked out once per list of episodes. */
const showSpellings = new WeakMap<EpisodeMeta[], Array<{ show: string; name: RegExp; title: boolean }>>();

/**
 * A show's `show` value, and the names its episode titles give it ("Go Time #100" → "Go Time"):
 * over an archive the value is the folder ("gotime"), and people write "Go Time 100".
 */
function spellings(episodes: EpisodeMeta[]): Array<{ show: string; name: RegExp; title: boolean }> {
  let known = showSpellings.get(episodes);
  if (known) return known;
  const pattern = (name: string) =>
    new RegExp(`${LEAD}\\b${name}\\s*(${NAMES_EPISODE.afterShow})(\\d{1,5})\\b`, "i");
  const shows = [...new Set(episodes.map((e) => e.show))];
  known = shows.map((show) => ({ show, name: pattern(escapeRegExp(show)), title: false }));
  for (const [name, named] of showNames(episodes))
    for (const show of named)
      known.push({ show, name: pattern(name.split(" ").map(escapeRegExp).join("[\\s-]*")), title: true });
  showSpellings.set(episodes, known);
  return known;
}

function byNumber(question: string, episodes: EpisodeMeta[]): Named | null {
  for (const { show, name, title } of spellings(episodes)) {
    const match = name.exec(question);
    if (match) {
      const n = Number(match[2]);
      const ids = episodes.filter((e) => e.show === show && e.number === n).map((e) => e.id);
      // "Go Time 2024 predictions" names no episode; "Go Time #2024" or "Go Time episode 2024" does.
      if (title && ids.length === 0 && !match[1]) continue;
      return {
        ids,
        phrase: bare(match[0]),
        start: match.index,
        end: match.index + match[0].length,
      };
    }
  }
  const match = new RegExp(`${LEAD}${NAMES_EPISODE.byNumber}`, "i").exec(question);
  if (!match) return null;
  const n = Number(match[1]);
  let found = episodes.filter((e) => e.number === n);
  // "episode 4" of several shows: a show named elsewhere in the question decides.
  const named = found.filter((e) => question.toLowerCase().includes(e.show.toLowerCase()));
  if (named.length > 0) found = named;
  return {
    ids: found.map((e) => e.id),
    phrase: bare(match[0]),
    start: match.index,
    end: match.index + match[0].length,
  };
}

/** The episodes whose guest, host, show or title words the phrase's words fit best (at least half of them). */
function bestFit(phrase: string, episodes: EpisodeMeta[]): string[] {
  const asked = nameWords(phrase).filter((w) => !GENERIC.has(w));
  if (asked.length === 0) return [];
  let best = 0;
  let ids: string[] = [];
  for (const episode of episodes) {
    const known = vocabulary(episode);
    const share = asked.filter((w) => known.has(w)).length / asked.length;
    if (share > best) {
      best = share;
      ids = [episode.id];
    } else if (share === best && share > 0) ids.push(episode.id);
  }
  return best >= 0.5 ? ids : [];
}

function byName(question: string, episodes: EpisodeMeta[]): Named | null {
  const before = NAMES_EPISODE.nameBefore.exec(question);
  if (before?.[1]) {
    const generic = nameWords(before[1]).every((w) => GENERIC.has(w));
    if (!generic && !words(before[1]).some(({ word }) => SENTENCE_WORDS.has(word))) {
      const ids = bestFit(before[1], episodes);
      if (ids.length > 0) {
        return {
          ids,
          phrase: bare(before[0]),
          start: before.index,
          end: before.index + before[0].length,
        };
      }
    }
  }
  const after = NAMES_EPISODE.nameAfter.exec(question);
  if (after?.[1]) {
    const ids = bestFit(after[1], episodes);
    if (ids.length > 0) {
      return {
        ids,
        phrase: bare(after[0]),
        start: after.index,
        end: after.index + after[0].length,
      };
    }
  }
  return null;
}

/** A show as its episode titles name it ("Go Time #100" → "Go Time"), else its `show` value. */
function showTitle(episode: EpisodeMeta): string {
  return titleShow(episode.title) ?? episode.show;
}

/** A show's name as most of its episode titles give it ("Go Time", not a special's "Go Time Bonus"). */
function showName(episodes: EpisodeMeta[]): string {
  const counts = new Map<string, number>();
  for (const episode of episodes) counts.set(showTitle(episode), (counts.get(showTitle(episode)) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "";
}

/**
 * Which of two episodes of a show came first: by date when both have one, else by season (an id
 * ending "s2e4") and number.
 */
function olderFirst(a: EpisodeMeta, b: EpisodeMeta): number {
  if (a.published && b.published && a.published !== b.published) return a.published < b.published ? -1 : 1;
  const season = (e: EpisodeMeta) => Number(/s(\d+)e\d+$/i.exec(e.id)?.[1] ?? 0);
  return season(a) - season(b) || a.number - b.number;
}

/** How many show names a question naming none is offered (the Changelog network has 16). */
const SHOWS_LISTED = 24;

/**
 * A show's numbered run: the episodes whose ids share the show's most common stem (`go-time-` of
 * `go-time-100`, `big-tent-` of `big-tent-s2e6`), not a special numbered by its year
 * (`go-time-funny-bits-2021`).
 */
function regular(episodes: EpisodeMeta[]): EpisodeMeta[] {
  const stem = (e: EpisodeMeta) => e.id.replace(/(?:s\d+e)?\d+$/i, "");
  const counts = new Map<string, number>();
  for (const e of episodes) counts.set(stem(e), (counts.get(stem(e)) ?? 0) + 1);
  const most = Math.max(0, ...counts.values());
  return episodes.filter((e) => counts.get(stem(e)) === most);
}

/**
 * "the latest Go Time episode", "in the first episode": the newest or oldest episode of the show
 * the question (or the channel) is about. Over several shows and none named, the asker is asked
 * which (`problem`).
 */
function byRecency(question: string, episodes: EpisodeMeta[], allowed: EpisodeMeta[]): Named | string | null {
  const match = NAMES_EPISODE.byRecency.exec(question);
  if (!match) return null;
  const { shows } = namedShows(question, showNames(episodes));
  const candidates = shows.size > 0 ? allowed.filter((e) => shows.has(e.show)) : allowed;
  const ofShow = [...new Set(candidates.map((e) => e.show))];
  if (ofShow.length > 1) {
    const names = ofShow.map((show) => showName(candidates.filter((e) => e.show === show))).sort();
    // The asker needs the names to answer; past a screenful, the first of them and how many more.
    const listed =
      names.length <= SHOWS_LISTED
        ? names.join(", ")
        : `${names.slice(0, SHOWS_LISTED).join(", ")} and ${names.length - SHOWS_LISTED} more`;
    return `Which show's ${match[1]?.toLowerCase()} episode? Name the show: ${listed}.`;
  }
  const sorted = regular(candidates).sort(olderFirst);
  const chosen = NAMES_EPISODE.newest.test(match[1] ?? "") ? sorted[sorted.length - 1] : sorted[0];
  if (!chosen) return null;
  return { ids: [chosen.id], phrase: bare(match[0]), start: match.index, end: match.index + match[0].length };
}

/**
 * How a show's name is compared: letters and digits only, any case, so "Go Time", "go-time" and
 * the folder `gotime` are one show, and "Ship It!" is `shipit`.
 */
export function showKey(name: string): string {
  return name.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
}

/** Whether `show` (a name or a show folder, as a channel or an asker writes it) is the episode's show. */
export function isShowOf(show: string, episode: EpisodeMeta): boolean {
  const key = showKey(show);
  return key !== "" && (key === showKey(episode.show) || key === showKey(episode.folder ?? ""));
}

/** The episodes a scope covers: those named by id and every episode of the shows named. */
export function episodesInScope(scope: AskScope, episodes: readonly EpisodeMeta[]): EpisodeMeta[] {
  const ids = new Set(scope.episodes ?? []);
  const shows = scope.shows ?? [];
  return episodes.filter((e) => ids.has(e.id) || shows.some((show) => isShowOf(show, e)));
}

/** A scope in words: what the asker named, else each show by the name the archive gives it, and the episode ids. */
export function describeScope(scope: AskScope, episodes: readonly EpisodeMeta[]): string {
  if (scope.askedFor) return scope.askedFor;
  const show = (name: string) => episodes.find((e) => isShowOf(name, e))?.show ?? name;
  const parts = [...(scope.shows ?? []).map((s) => `the show "${show(s)}"`), ...(scope.episodes ?? [])];
  return parts.join(", ") || "no episode";
}

function withoutPhrase(question: string, named: Named): string {
  const rest = `${question.slice(0, named.start)} ${question.slice(named.end)}`
    .replace(/\s+([,.?!;:])/g, "$1")
    .replace(/^[\s,;:]+/, "")
    .replace(/\s+/g, " ")
    .trim();
  // "Summarise episode 12" leaves too little to search for: keep the question whole.
  return words(rest).filter(({ word }) => /\p{L}/u.test(word)).length >= 2 ? rest : question;
}

/**
 * Resolves a question's scope against the index's episodes. `channel` is the
 * scope the question's channel is pinned to (configuration), if any; the
 * question may narrow it by naming an episode, never widen it.
 */
export function resolveScope(question: string, episodes: EpisodeMeta[], channel?: AskScope): ScopeResolution {
  const allowed = channel ? episodesInScope(channel, episodes) : episodes;
  if (channel && allowed.length === 0) {
    return {
      text: question,
      problem: channel.askedFor
        ? `${channel.askedFor} is no longer in the archive.`
        : `This channel is set to ${describeScope(channel, episodes)}, which is not in the archive. Ask the bot's maintainer to check CHANNEL_SCOPES.`,
    };
  }
  const numbered = byNumber(question, episodes);
  const recent = numbered ? null : byRecency(question, episodes, allowed);
  if (typeof recent === "string") return { text: question, problem: recent };
  const named = numbered ?? recent ?? byName(question, episodes);
  if (!named) return { text: question, episodes: channel ? new Set(allowed.map((e) => e.id)) : undefined };
  if (named.ids.length === 0) {
    const numbers = [...new Set(allowed.map((e) => e.number))].sort((a, b) => a - b);
    const list = numbers.length <= 12 ? ` (its episode numbers: ${numbers.join(", ")})` : "";
    return { text: question, problem: `There is no ${named.phrase} in the archive${list}.` };
  }
  const inScope = new Set(allowed.map((e) => e.id));
  const ids = named.ids.filter((id) => inScope.has(id));
  if (ids.length === 0) {
    const phrase = named.phrase.trim();
    return {
      text: question,
      problem: channel?.askedFor
        ? `You asked about ${channel.askedFor} only, and ${phrase} is not in it.`
        : `This channel only covers ${describeScope(channel ?? {}, episodes)}; ask about ${phrase} elsewhere.`,
    };
  }
  return { text: withoutPhrase(question, named), episodes: new Set(ids), named: named.phrase };
}

/**
 * `resolveScope` for a question that may follow up an earlier one: a follow-up
 * that names no episode ("and what about bees?") stays in the episodes the
 * earlier question named. `previous` comes back without its episode words too.
 */
export function resolveFollowUpScope(
  question: string,
  previous: string | undefined,
  episodes: EpisodeMeta[],
  channel?: AskScope,
): ScopeResolution & { previous?: string } {
  const own = resolveScope(question, episodes, channel);
  if (previous === undefined || own.problem) return own;
  const before = resolveScope(previous, episodes, channel);
  if (before.problem) return { ...own, previous };
  return own.named
    ? { ...own, previous: before.text }
    : { ...own, episodes: before.episodes, previous: before.text };
}
