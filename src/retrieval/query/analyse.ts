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

  constructor(
    index: Pick<LoadedIndex, "lexical" | "episodes" | "passages">,
    private readonly settings: RetrievalSettings,
  ) {
    this.corpus = queryCorpus(index);
  }

  analyse(query: Query): QueryAnalysis {
    const draft = startDraft(query.text, query.previous);
    for (const stage of QUERY_STAGES) stage.run(draft, this.corpus, this.settings);
    return finishDraft(draft);
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
    metadata: metadataWords(index.episodes),
    guestSpeakers,
    shows: showNames(index.episodes),
  };
}
