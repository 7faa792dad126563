import type { EpisodeMeta } from "../corpus/types.js";
import { AppError } from "../errors.js";
import { describeScope, episodesInScope, isShowOf, showKey } from "../retrieval/query/scope.js";
import { fullEpisodeName } from "./episode-name.js";
import type { AskScope } from "./types.js";

/**
 * A show or an episode chosen by name: the channel's pin (CHANNEL_SCOPES) or the asker's
 * (`/ask in:gotime`), checked against the episodes of the index serving now.
 */

/** The episodes of the index serving now (it can be replaced while the bot runs). */
export type EpisodeCatalog = () => readonly EpisodeMeta[];

/** One show of the archive: its name, the corpus folder it sits in, and its episodes. */
export interface ArchiveShow {
  name: string;
  folder?: string;
  episodes: EpisodeMeta[];
}

/** The shows of `episodes`, in the order they first appear, each with its episodes newest first. */
export function showsOf(episodes: readonly EpisodeMeta[]): ArchiveShow[] {
  const shows = new Map<string, ArchiveShow>();
  for (const episode of episodes) {
    const key = showKey(episode.show);
    const show = shows.get(key) ?? { name: episode.show, folder: episode.folder, episodes: [] };
    show.episodes.push(episode);
    shows.set(key, show);
  }
  for (const show of shows.values()) show.episodes.sort((a, b) => b.number - a.number);
  return [...shows.values()];
}

/** "Go Time", or "The Changelog (podcast)" when the folder is spelt otherwise than the name. */
export function showLabel(show: ArchiveShow): string {
  return show.folder && showKey(show.folder) !== showKey(show.name)
    ? `${show.name} (${show.folder})`
    : show.name;
}

/** Longest list of shows or episodes a message names before "and N more". */
const LISTED = 12;

function list(names: string[]): string {
  const shown = names.slice(0, LISTED);
  const more = names.length - shown.length;
  return `${shown.join(", ")}${more > 0 ? ` and ${more} more` : ""}`;
}

/** What may be named where the question is asked: the shows, or the few episodes a channel is pinned to. */
function whatExists(allowed: readonly EpisodeMeta[], channel: AskScope | undefined): string {
  const shows = showsOf(allowed);
  const wholeShows = channel === undefined || (channel.shows?.length ?? 0) > 0;
  if (!wholeShows && allowed.length <= LISTED) {
    return `This channel covers ${list(allowed.map((e) => `${fullEpisodeName(e)} (${e.id})`))}.`;
  }
  const example = shows[0]?.episodes[0]?.id;
  return (
    `${shows.length === 1 ? "The show" : "The shows"}: ${list(shows.map(showLabel))}.` +
    (example ? ` An episode is named by its id, e.g. ${example}.` : "")
  );
}

/** The episodes a name means: an episode id, else a show (name or folder), else an episode title. */
function episodesNamed(
  name: string,
  episodes: readonly EpisodeMeta[],
): { label: string; episodes: EpisodeMeta[] } {
  const id = name.toLowerCase();
  const byId = episodes.find((e) => e.id.toLowerCase() === id);
  if (byId) return { label: fullEpisodeName(byId), episodes: [byId] };
  const show = showsOf(episodes).find((s) => s.episodes.some((e) => isShowOf(name, e)));
  if (show) return { label: show.name, episodes: show.episodes };
  const key = showKey(name);
  const byTitle = episodes.filter((e) => showKey(e.title) === key || showKey(fullEpisodeName(e)) === key);
  const first = byTitle[0];
  return { label: byTitle.length === 1 && first ? fullEpisodeName(first) : name, episodes: byTitle };
}

/**
 * The scope of a question asked about `name` (`/ask in:gotime`), within the channel's own scope:
 * the name may narrow what the channel covers, never widen it. A name the archive does not hold,
 * or one outside the channel, gives a sentence for the asker instead, saying what can be named.
 */
export function resolveScopeName(
  name: string,
  episodes: readonly EpisodeMeta[],
  channel?: AskScope,
): { scope: AskScope } | { problem: string } {
  const wanted = name.replace(/\s+/g, " ").trim();
  const allowed = channel ? episodesInScope(channel, episodes) : episodes;
  const named = episodesNamed(wanted, episodes);
  if (wanted === "" || named.episodes.length === 0) {
    return {
      problem: `There is no show or episode called "${wanted}" in the archive. ${whatExists(allowed, channel)}`,
    };
  }
  const inScope = new Set(allowed.map((e) => e.id));
  const ids = named.episodes.filter((e) => inScope.has(e.id)).map((e) => e.id);
  if (ids.length === 0) {
    return {
      problem: `This channel only covers ${describeScope(channel ?? {}, episodes)}; ${named.label} cannot be asked about here.`,
    };
  }
  return { scope: { episodes: ids, askedFor: named.label } };
}

/** One choice offered while a name is typed (Discord's autocomplete): what is shown, and what is sent. */
export interface ScopeChoice {
  name: string;
  value: string;
}

/**
 * The shows, then the episodes, whose name holds what was typed so far (all when nothing is),
 * among those the channel covers; each sends a value `resolveScopeName` reads back.
 */
export function scopeChoices(
  typed: string,
  episodes: readonly EpisodeMeta[],
  channel: AskScope | undefined,
  max: number,
): ScopeChoice[] {
  const key = showKey(typed);
  const allowed = channel ? episodesInScope(channel, episodes) : episodes;
  const shows = showsOf(allowed);
  const choices: ScopeChoice[] = shows
    .filter((s) => key === "" || [s.name, s.folder ?? ""].some((n) => showKey(n).includes(key)))
    .map((s) => ({ name: showLabel(s), value: s.folder ?? s.name }));
  for (const episode of shows.flatMap((s) => s.episodes)) {
    if (choices.length >= max) break;
    const full = fullEpisodeName(episode);
    if (key === "" || showKey(full).includes(key) || showKey(episode.id).includes(key)) {
      choices.push({ name: full, value: episode.id });
    }
  }
  return choices.slice(0, max);
}

/**
 * Checks CHANNEL_SCOPES against the index at start-up: a channel pinned to an episode or a show
 * the index does not hold would refuse every question asked there. Throws one AppError (E_CONFIG)
 * naming each such entry and listing the shows there are; a value that is one of `secrets` (a
 * token pasted in the wrong place) is never printed.
 */
export function checkChannelScopes(
  scopes: Record<string, AskScope> | undefined,
  episodes: readonly EpisodeMeta[],
  secrets: readonly string[] = [],
): void {
  const problems: string[] = [];
  const quoted = (value: string) => (secrets.includes(value) ? "(a value hidden here)" : `"${value}"`);
  for (const [channel, scope] of Object.entries(scopes ?? {})) {
    for (const id of scope.episodes ?? []) {
      if (episodes.some((e) => e.id === id)) continue;
      const show = episodes.some((e) => isShowOf(id, e))
        ? `; to pin the whole show, write ${channel}=show:${id}`
        : "";
      problems.push(
        `CHANNEL_SCOPES pins channel ${channel} to the episode ${quoted(id)}, which the index does not hold${show}`,
      );
    }
    for (const name of scope.shows ?? []) {
      if (episodes.some((e) => isShowOf(name, e))) continue;
      problems.push(
        `CHANNEL_SCOPES pins channel ${channel} to the show ${quoted(name)}, which the index does not hold`,
      );
    }
  }
  if (problems.length === 0) return;
  throw new AppError(
    "E_CONFIG",
    `configuration problems:\n  - ${problems.join("\n  - ")}\n  ${whatExists(episodes, undefined)} Fix CHANNEL_SCOPES, or build the index of the corpus that holds them.`,
  );
}
