import type { Hit } from "./hit.js";

/**
 * The archive's hits with the places `episodeId` holds among them filled, in order, by that
 * episode's own ranking (`local`, hits of that episode only): which episodes answer stays the
 * archive's call, and which of an episode's passages come first is read with the episode's own
 * word statistics. A place keeps its score, so scores still fall down the list.
 */
export function inEpisodeOrder(hits: Hit[], episodeId: string, local: Hit[]): Hit[] {
  const places = hits.filter((hit) => hit.passage.episodeId === episodeId);
  // The episode's own best, then any of the archive's it did not rank, for as many places.
  const best = local.slice(0, places.length);
  const taken = new Set(best.map((hit) => hit.position));
  const order = [...best, ...places.filter((hit) => !taken.has(hit.position))];
  let next = 0;
  return hits.map((hit) => {
    if (hit.passage.episodeId !== episodeId) return hit;
    return { ...(order[next++] as Hit), score: hit.score };
  });
}
