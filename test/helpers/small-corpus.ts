import type { EpisodeMeta, Speaker } from "../../src/corpus/types.js";
import { stem } from "../../src/retrieval/analysis/tokens.js";
import { buildLexical, type LexicalIndex } from "../../src/retrieval/index/lexical.js";
import type { Passage } from "../../src/retrieval/index/passage.js";

/**
 * A four-turn interview, small enough to reason about by hand, with its real lexical index
 * (BM25, collocations, initialisms) and a few chosen WordNet relatives and word informations.
 */

const jeremy: Speaker = { name: "Jeremy Daly", role: "host", pronouns: "he/him" };
const holly: Speaker = { name: "Holly Mesrobian", role: "guest", pronouns: "she/her" };

export const SMALL_EPISODE: EpisodeMeta = {
  id: "nk-4",
  show: "Night Kitchen",
  number: 4,
  title: "Warm workers",
  url: "https://example.com/nk-4",
  published: null,
  speakers: { Jeremy: jeremy, Holly: holly },
};

const TURNS: Array<[Speaker, string]> = [
  [jeremy, "Welcome to Night Kitchen. How do you fight a cold start? Is a cold start slow?"],
  [
    holly,
    "A cold start used to be slow. Provisioned concurrency keeps five workers warm, and EFS mounts are cheap.",
  ],
  [jeremy, "And how do you learn from incidents?"],
  [holly, "We review them every week as a team. Asynchronous retries help."],
];

export const SMALL_PASSAGES: Passage[] = TURNS.map(([speaker, text], turnIndex) => ({
  id: `nk-4#${turnIndex}`,
  episodeId: "nk-4",
  turnIndex,
  part: 0,
  parts: 1,
  label: speaker.name.split(" ")[0] as string,
  speaker,
  text,
  start: turnIndex * 200,
  end: turnIndex * 200 + text.length,
  timestamp: null,
  context: turnIndex > 0 ? (TURNS[turnIndex - 1]?.[1] ?? "") : "",
}));

/** WordNet relatives, as the index stores them: question word (stem) -> "corpus stem:weight …". */
const EXPANSIONS: Record<string, string> = {
  [stem("chilly")]: `${stem("cold")}:0.4`,
  [stem("cold")]: `${stem("slow")}:0.4`,
  [`${stem("go")}_${stem("over")}`]: `${stem("review")}:0.6`,
};

/** Information content (nats) in everyday speech of a few stems; the others are unseen. */
const INFORMATION = `\n${stem("warm")} 14\n${stem("slow")} 7\n${stem("cold")} 9\n${stem("workers")} 10\n`;

export function smallLexical(): LexicalIndex {
  return buildLexical(SMALL_PASSAGES, EXPANSIONS, INFORMATION);
}

export function smallIndex(): { lexical: LexicalIndex; episodes: EpisodeMeta[]; passages: Passage[] } {
  return { lexical: smallLexical(), episodes: [SMALL_EPISODE], passages: SMALL_PASSAGES };
}
