import { splitSentences } from "../analysis/sentences.js";
import { terms } from "../analysis/tokens.js";
import type { PackedInformation } from "../analysis/word-frequency.js";
import type { PackedExpansions } from "../analysis/wordnet.js";
import { INITIALISM } from "../profile/english.js";
import { Bm25, Bm25Builder } from "./bm25.js";
import { dictionary } from "./dictionary.js";
import { Expansions } from "./expansions.js";
import type { Passage } from "./passage.js";
import type { Sections, SectionValue } from "./sections.js";
import { TermStats, TermStatsBuilder } from "./term-stats.js";

export interface LexicalIndex {
  /** BM25 over each passage's own words. */
  text: Bm25;
  /** BM25 over the turn each passage replies to (the host's question before a guest's answer). */
  context: Bm25;
  /** BM25 statistics of pairs of adjacent sentences, to score the finalists' best spot on demand. */
  sentences: TermStats;
  /** Related corpus words of a question word, strongest first (WordNet; see analysis/wordnet.ts). */
  related(term: string): Array<[term: string, weight: number]>;
  /** The same expansions, as stored. */
  expansions: Expansions;
  /** Information content of a stem in spoken English (see analysis/word-frequency.ts), undefined when unseen. */
  information(term: string): number | undefined;
  /** The same table, packed ("\nstem value" per word) for writing. */
  packedInformation: string;
  /** Term -> the word that nearly always follows it in the corpus ("cold" -> "start"). */
  collocations: Record<string, string>;
  /** Initialisms the corpus uses (as index terms: "ef", "sam", "coe"), lower case letters -> term. */
  acronyms: Record<string, string>;
}

/**
 * Builds every lexical table in one pass over the passages, tokenising each
 * text once (and each context once: the windows of a turn share it, and it is
 * usually the passage before's text), so an archive's build never holds all
 * its passages' terms at once. `expansions` may be worked out from the
 * corpus's vocabulary once the pass has seen it.
 */
export function buildLexical(
  passages: Passage[],
  expansions: PackedExpansions | ((vocabulary: Set<string>) => PackedExpansions),
  information: PackedInformation,
): LexicalIndex {
  const text = new Bm25Builder();
  const context = new Bm25Builder();
  const sentences = new TermStatsBuilder();
  const collocations = new CollocationCounter();
  const acronyms: Record<string, string> = {};
  let previous: { text: string; terms: string[] } | undefined;
  let lastContext: { text: string; terms: string[] } | undefined;
  for (const passage of passages) {
    const own = terms(passage.text);
    text.add(own);
    collocations.add(own);
    let contextTerms: string[];
    if (lastContext?.text === passage.context) contextTerms = lastContext.terms;
    else if (previous?.text === passage.context) contextTerms = previous.terms;
    else contextTerms = terms(passage.context);
    context.add(contextTerms);
    lastContext = { text: passage.context, terms: contextTerms };
    previous = { text: passage.text, terms: own };
    const split = splitSentences(passage.text).map((s) => terms(s.text));
    // Sentences are short and similar in length: little length normalisation (see finish below).
    split.forEach((sentence, i) => {
      sentences.add([...sentence, ...(split[i + 1] ?? [])]);
    });
    for (const match of passage.text.matchAll(INITIALISM)) {
      const letters = (match[1] as string).toLowerCase();
      const [term] = terms(match[0]);
      if (term) acronyms[letters] = term;
    }
  }
  const packed =
    typeof expansions === "function"
      ? expansions(new Set([...text.vocabulary(), ...context.vocabulary()]))
      : expansions;
  const built = Expansions.build(packed);
  return {
    text: text.finish(1.2, 0.75),
    context: context.finish(1.2, 0.75),
    sentences: sentences.finish(1.2, 0.3),
    related: relatedFrom(built),
    expansions: built,
    information: informationFrom(information),
    packedInformation: information,
    collocations: dictionary(collocations.result()),
    acronyms: dictionary(acronyms),
  };
}

function relatedFrom(expansions: Expansions): LexicalIndex["related"] {
  return (term) => {
    const entry = expansions.get(term);
    if (!entry) return [];
    return entry.split(" ").map((pair) => {
      const at = pair.lastIndexOf(":");
      return [pair.slice(0, at), Number(pair.slice(at + 1))] as [string, number];
    });
  };
}

/**
 * The packed table read into a map on the first look-up (about 10 ms for 41,000 stems): an
 * archive's questions look up hundreds of words, and a scan of the 500 kB string took 0.3 ms each.
 */
function informationFrom(packed: string): LexicalIndex["information"] {
  let table: Map<string, number> | undefined;
  return (term) => {
    table ??= unpackInformation(packed);
    return table.get(term);
  };
}

function unpackInformation(packed: string): Map<string, number> {
  const table = new Map<string, number>();
  for (let at = packed.indexOf("\n") + 1; at > 0 && at < packed.length; ) {
    const end = packed.indexOf("\n", at);
    const space = packed.lastIndexOf(" ", end);
    if (space > at) table.set(packed.slice(at, space), Number(packed.slice(space + 1, end)));
    at = end + 1;
  }
  return table;
}

/** The lexical index as sections of the index's binary file. */
export function lexicalSections(index: LexicalIndex): Record<string, SectionValue> {
  return {
    ...index.text.toSections("text"),
    ...index.context.toSections("context"),
    ...index.sentences.toSections("sentences"),
    ...index.expansions.toSections("expansions"),
    information: index.packedInformation,
    collocations: index.collocations,
    acronyms: index.acronyms,
  };
}

export function lexicalFromSections(sections: Sections): LexicalIndex {
  const expansions = Expansions.fromSections(sections, "expansions");
  const information = sections.text("information");
  return {
    text: Bm25.fromSections(sections, "text"),
    context: Bm25.fromSections(sections, "context"),
    sentences: TermStats.fromSections(sections, "sentences"),
    related: relatedFrom(expansions),
    expansions,
    information: informationFrom(information),
    packedInformation: information,
    collocations: dictionary(sections.json<Record<string, string>>("collocations")),
    acronyms: dictionary(sections.json<Record<string, string>>("acronyms")),
  };
}

/** A word is bound to the next when it occurs this often and is followed by the same word this share of the time. */
const COLLOCATION_MIN_COUNT = 3;
const COLLOCATION_MIN_SHARE = 0.6;

/**
 * Words the corpus uses almost only in one fixed phrase ("cold" in "cold
 * start"). A question that puts such a word in another phrase ("cold brew")
 * is not about what the corpus means by it. Counted by term ids of the text
 * index's builder, one passage at a time.
 */
class CollocationCounter {
  private readonly ids = new Map<string, number>();
  /** Head term id -> next term id -> count, both in the order first seen (ties go to the first). */
  private readonly next: Array<Map<number, number> | undefined> = [];
  /** Head ids in the order each was first followed by a word (the order of the result's keys). */
  private readonly heads: number[] = [];

  add(sequence: string[]): void {
    let head = sequence.length ? this.id(sequence[0] as string) : 0;
    for (let i = 0; i + 1 < sequence.length; i++) {
      const following = this.id(sequence[i + 1] as string);
      let counts = this.next[head];
      if (!counts) {
        counts = new Map();
        this.next[head] = counts;
        this.heads.push(head);
      }
      counts.set(following, (counts.get(following) ?? 0) + 1);
      head = following;
    }
  }

  private id(term: string): number {
    let id = this.ids.get(term);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(term, id);
    }
    return id;
  }

  result(): Record<string, string> {
    const names = [...this.ids.keys()];
    const result: Record<string, string> = {};
    for (const head of this.heads) {
      const counts = this.next[head] as Map<number, number>;
      let total = 0;
      let best = -1;
      let bestCount = 0;
      for (const [following, count] of counts) {
        total += count;
        if (count > bestCount) {
          best = following;
          bestCount = count;
        }
      }
      if (total >= COLLOCATION_MIN_COUNT && bestCount / total >= COLLOCATION_MIN_SHARE)
        result[names[head] as string] = names[best] as string;
    }
    return result;
  }
}
