import type { EpisodeMeta } from "../../corpus/types.js";
import type { LoadedIndex } from "../index/storage.js";
import type { RetrievalSettings } from "../settings.js";
import { showNames } from "./shows.js";
import { metadataWords, speakerDirectory } from "./speakers.js";
import { finishDraft, QUERY_STAGES, type QueryCorpus, startDraft } from "./stages.js";
import type { Query, QueryAnalysis } from "./types.js";

/**
 * Reads a question against one index: its topic words and how telling each is, the corpus words
 * to search for them (expansions, misspellings, clippings, spelled-out initialisms), who it asks
 * about, and how characteristic of the episode it is. The retriever ranks with this; abstention
 * decides with it. The reading is the stages of query/stages.ts, run in order; what the index
 * offers them is gathered once, here.
 */
export class QueryAnalyser {
  private readonly corpus: QueryCorpus;
  private readonly episodes: Map<string, EpisodeMeta>;

  constructor(
    index: Pick<LoadedIndex, "lexical" | "episodes" | "passages">,
    private readonly settings: RetrievalSettings,
  ) {
    this.corpus = queryCorpus(index);
    this.episodes = new Map(index.episodes.map((episode) => [episode.id, episode]));
  }

  analyse(query: Query): QueryAnalysis {
    const draft = startDraft(query.text, query.previous, query.namedEpisode === true);
    const corpus = this.scoped(query.episodes);
    for (const stage of QUERY_STAGES) stage.run(draft, corpus, this.settings);
    return finishDraft(draft);
  }

  /**
   * A question scoped to one episode of an archive (a pinned channel, `/ask in:`) reads "the show",
   * "the host", "the guest" and "they" as that episode's; anyone can still be named by name. Scoped
   * to several episodes of one show, "the host" and "the guest" are the show's.
   */
  private scoped(episodes: Set<string> | undefined): QueryCorpus {
    if (!episodes || this.episodes.size === 1) return this.corpus;
    // Several episodes of one show (a channel pinned to it): "the host" is the show's.
    if (episodes.size > 1) {
      const shows = new Set([...episodes].map((id) => this.episodes.get(id)?.show));
      const [show] = shows;
      const speakers =
        shows.size === 1 && show !== undefined ? this.corpus.showSpeakers.get(show) : undefined;
      return speakers ? { ...this.corpus, roleScope: speakers } : this.corpus;
    }
    const episode = this.episodes.get([...episodes][0] as string);
    if (!episode) return this.corpus;
    const speakers = Object.values(episode.speakers);
    return {
      ...this.corpus,
      metadata: metadataWords([episode]),
      guestSpeakers: new Set(speakers.filter((s) => s.role === "guest").map((s) => s.name)),
      roleScope: new Set(speakers.map((s) => s.name)),
    };
  }
}

/** What the stages need of an index, gathered once. */
export function queryCorpus(index: Pick<LoadedIndex, "lexical" | "episodes" | "passages">): QueryCorpus {
  const vocabulary = new Set<string>();
  for (const bm25 of [index.lexical.text, index.lexical.context])
    for (const term of bm25.terms()) vocabulary.add(term);
  const guestSpeakers = new Set<string>();
  for (const { speaker } of index.passages) if (speaker.role === "guest") guestSpeakers.add(speaker.name);
  return {
    vocabulary,
    lexical: index.lexical,
    directory: speakerDirectory(index.episodes, index.passages),
    // "The show", "the host", "the guest" stand for one episode's: over an archive they name
    // hundreds ("how do I host a dinner party?" names no one), and are words like any other.
    metadata: index.episodes.length === 1 ? metadataWords(index.episodes) : new Map(),
    guestSpeakers,
    ...(index.episodes.length === 1
      ? { roleScope: new Set(Object.values(index.episodes[0]?.speakers ?? {}).map((s) => s.name)) }
      : {}),
    shows: showNames(index.episodes),
    showSpeakers: speakersByShow(index.episodes),
  };
}

function speakersByShow(episodes: EpisodeMeta[]): Map<string, Set<string>> {
  const byShow = new Map<string, Set<string>>();
  for (const episode of episodes) {
    const speakers = byShow.get(episode.show) ?? new Set<string>();
    for (const speaker of Object.values(episode.speakers)) speakers.add(speaker.name);
    byShow.set(episode.show, speakers);
  }
  return byShow;
}
