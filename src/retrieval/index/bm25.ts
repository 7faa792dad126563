import { IntList } from "./int-list.js";
import type { Sections, SectionValue } from "./sections.js";
import { TermTable } from "./term-table.js";

/**
 * Okapi BM25 over documents that are already lists of terms. Generic on
 * purpose: the retriever keeps one over passages, one over the question each
 * passage replies to. Stored as typed arrays (a sorted term table, each term's
 * [doc, tf, doc, tf, …] postings in one Int32Array): an archive's tens of
 * millions of numbers load as views of the file, outside the garbage collector.
 */

/** A query term with a weight (1 for the asked word, less for an expansion). */
export interface WeightedTerm {
  term: string;
  weight: number;
}

const EMPTY = new Int32Array(0);

/**
 * The first pair of flat [doc, tf, …] postings whose document is at least `doc` (pairs, not
 * integers), at pair `low` or after.
 */
function firstAtLeast(postings: Int32Array, doc: number, low = 0): number {
  let high = postings.length / 2;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((postings[2 * mid] as number) < doc) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Documents, each listed once, in the order first added. */
export class DocumentList {
  readonly documents: number[] = [];
  private readonly seen: Uint8Array;

  constructor(count: number) {
    this.seen = new Uint8Array(count);
  }

  add(doc: number): void {
    if (this.seen[doc] === 1) return;
    this.seen[doc] = 1;
    this.documents.push(doc);
  }
}

export interface Bm25Parts {
  k1: number;
  b: number;
  table: TermTable;
  /** Term position -> where its postings start in `postings` (n + 1 entries, in integers). */
  starts: Int32Array;
  postings: Int32Array;
  lengths: Int32Array;
  /** Term positions in the order `terms()` lists them (see `keyOrder`). */
  order: Int32Array;
}

/**
 * Documents from `from` up to (not including) `to`. `local`: a term's rarity is read among them
 * alone, as if they were the whole collection. An episode's own words ("docker" in the Docker
 * episode) are rare in an archive and said everywhere in it: among its passages they tell little.
 */
export interface DocumentRange {
  from: number;
  to: number;
  local?: boolean;
}

/** How telling a word is where a question is ranked: BM25's inverse document frequency there. */
export interface Rarity {
  idf(term: string): number;
}

/** BM25's inverse document frequency of a term `df` of `n` documents hold. */
function idfOf(df: number, n: number): number {
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

export class Bm25 {
  private readonly avgLength: number;
  private readonly table: TermTable;
  private readonly starts: Int32Array;
  private readonly postings: Int32Array;
  private readonly lengths: Int32Array;
  private readonly order: Int32Array;
  private readonly frequencies = new Map<string, number>();
  /** k1 · (1 − b + b · length / average length) per document: the length part of every score. */
  private readonly norms: Float64Array;

  private readonly k1: number;
  private readonly b: number;

  /**
   * `lengthFloor`: a document shorter than this many times the average length is scored as if it
   * were that long (0: BM25's own length normalisation; see `RetrievalSettings.archiveLengthFloor`).
   */
  private constructor(parts: Bm25Parts, lengthFloor = 0) {
    let total = 0;
    for (const length of parts.lengths) total += length;
    this.avgLength = parts.lengths.length ? total / parts.lengths.length || 1 : 1;
    this.table = parts.table;
    this.starts = parts.starts;
    this.postings = parts.postings;
    this.lengths = parts.lengths;
    this.order = parts.order;
    this.k1 = parts.k1;
    this.b = parts.b;
    const { k1, b, avgLength } = this;
    // A plain loop: Float64Array.from with a callback took 50 ms over an archive's 372,555 passages.
    const { lengths } = this;
    this.norms = new Float64Array(lengths.length);
    const shortest = lengthFloor * avgLength;
    for (let doc = 0; doc < lengths.length; doc++)
      this.norms[doc] = k1 * (1 - b + (b * Math.max(shortest, lengths[doc] as number)) / avgLength);
  }

  /** k1: how fast repeats of a term saturate; b: how much long documents are penalised. */
  static build(docs: string[][], k1 = 1.2, b = 0.75): Bm25 {
    const builder = new Bm25Builder();
    for (const doc of docs) builder.add(doc);
    return builder.finish(k1, b);
  }

  static fromParts(parts: Bm25Parts): Bm25 {
    return new Bm25(parts);
  }

  /**
   * The same index with a document shorter than `lengthFloor` times the average length scored
   * as if it were that long: the postings are shared, only the length part of the score is new.
   */
  withLengthFloor(lengthFloor: number): Bm25 {
    const { k1, b, table, starts, postings, lengths, order } = this;
    return new Bm25({ k1, b, table, starts, postings, lengths, order }, lengthFloor);
  }

  static fromSections(sections: Sections, prefix: string): Bm25 {
    const [k1, b] = sections.float64(`${prefix}.params`);
    return new Bm25({
      k1: k1 as number,
      b: b as number,
      table: TermTable.from(sections.bytesOf(`${prefix}.terms`), sections.int32(`${prefix}.termStarts`)),
      starts: sections.int32(`${prefix}.starts`),
      postings: sections.int32(`${prefix}.postings`),
      lengths: sections.int32(`${prefix}.lengths`),
      order: sections.int32(`${prefix}.order`),
    });
  }

  toSections(prefix: string): Record<string, SectionValue> {
    const { blob, starts } = this.table.parts();
    return {
      [`${prefix}.params`]: Float64Array.of(this.k1, this.b),
      [`${prefix}.terms`]: blob,
      [`${prefix}.termStarts`]: starts,
      [`${prefix}.starts`]: this.starts,
      [`${prefix}.postings`]: this.postings,
      [`${prefix}.lengths`]: this.lengths,
      [`${prefix}.order`]: this.order,
    };
  }

  get size(): number {
    return this.lengths.length;
  }

  private list(term: string): Int32Array | undefined {
    const at = this.table.find(term);
    if (at < 0) return undefined;
    return this.postings.subarray(this.starts[at] as number, this.starts[at + 1] as number);
  }

  /** Share of all the corpus's words that are this term (0 when absent). */
  frequency(term: string): number {
    let share = this.frequencies.get(term);
    if (share === undefined) {
      // A walk over the term's postings: an archive's common words are in most passages, so remember it.
      const list = this.list(term);
      let count = 0;
      for (let i = 1; list && i < list.length; i += 2) count += list[i] as number;
      share = count / (this.avgLength * this.size);
      if (this.frequencies.size < 10_000) this.frequencies.set(term, share);
    }
    return share;
  }

  /** Number of documents holding the term. */
  df(term: string): number {
    const at = this.table.find(term);
    return at < 0 ? 0 : ((this.starts[at + 1] as number) - (this.starts[at] as number)) / 2;
  }

  idf(term: string): number {
    return idfOf(this.df(term), this.size);
  }

  /**
   * Rarity among the documents of `range` alone, as if they were the whole collection (see
   * `DocumentRange.local`): a binary search in each term's postings, remembered.
   */
  within(range: { from: number; to: number }): Rarity {
    const known = new Map<string, number>();
    return {
      idf: (term) => {
        let value = known.get(term);
        if (value === undefined) {
          const list = this.postingsOf(term);
          const df = firstAtLeast(list, range.to) - firstAtLeast(list, range.from);
          value = idfOf(df, range.to - range.from);
          known.set(term, value);
        }
        return value;
      },
    };
  }

  /**
   * The documents that hold every one of `terms`, ascending: each of the rarest term's, looked up
   * in the other terms' postings by binary search from where the one before was found.
   */
  documentsWithAll(terms: string[]): number[] {
    const [rarest, ...others] = terms
      .map((term) => this.postingsOf(term))
      .sort((a, b) => a.length - b.length);
    const found: number[] = [];
    const at = others.map(() => 0);
    documents: for (let i = 0; rarest && i < rarest.length; i += 2) {
      const doc = rarest[i] as number;
      for (let k = 0; k < others.length; k++) {
        const list = others[k] as Int32Array;
        const pair = firstAtLeast(list, doc, at[k]);
        at[k] = pair;
        if (2 * pair >= list.length) break documents;
        if (list[2 * pair] !== doc) continue documents;
      }
      found.push(doc);
    }
    return found;
  }

  /** The term's postings, flat [doc, tf, doc, tf, …] (empty when absent); read-only. */
  postingsOf(term: string): Int32Array {
    return this.list(term) ?? EMPTY;
  }

  /** Every term that starts with `prefix` ("env" → "environ", "envoi"…). */
  termsStartingWith(prefix: string): string[] {
    return this.table.startingWith(prefix);
  }

  /** A document's length in terms. */
  length(doc: number): number {
    return this.lengths[doc] ?? 0;
  }

  /** Every term, in the order the index has always listed them (the query's vocabulary is built in it). */
  terms(): string[] {
    const all = this.table.terms();
    return Array.from(this.order, (position) => all[position] as string);
  }

  /**
   * Scores every document that holds at least one query term: dense scores
   * (typed array, one slot per document: no per-query Map to build on a large
   * archive), 0 for the others.
   */
  score(query: WeightedTerm[]): { scores: Float64Array } {
    return { scores: this.addScores(query, new Float64Array(this.norms.length)) };
  }

  /**
   * Adds each document's score for `query` to its slot of `scores` (one slot per document), and
   * returns it. With `raised`, also notes each document it added to (once); with `range`, only
   * documents from `range.from` up to (not including) `range.to` are scored, and with
   * `range.local` a term's rarity is read among them alone. With `best`, notes the highest score
   * it leaves in `best.max` (scores only grow, so the highest written is the highest there is).
   */
  addScores(
    query: WeightedTerm[],
    scores: Float64Array,
    raised?: DocumentList,
    range?: DocumentRange,
    best?: { max: number },
  ): Float64Array {
    const { k1, norms } = this;
    let max = best?.max ?? 0;
    for (const { term, weight } of query) {
      const all = this.list(term);
      if (!all) continue;
      // Postings are in document order: a range is a slice of them.
      const list = range
        ? all.subarray(2 * firstAtLeast(all, range.from), 2 * firstAtLeast(all, range.to))
        : all;
      const idf = range?.local ? idfOf(list.length / 2, range.to - range.from) : this.idf(term);
      const scale = weight * idf * (k1 + 1);
      for (let i = 0; i < list.length; i += 2) {
        const doc = list[i] as number;
        const tf = list[i + 1] as number;
        const score = (scores[doc] as number) + (scale * tf) / (tf + (norms[doc] as number));
        scores[doc] = score;
        if (score > max) max = score;
      }
      if (raised) for (let i = 0; i < list.length; i += 2) raised.add(list[i] as number);
    }
    if (best) best.max = max;
    return scores;
  }
}

/**
 * Adds documents one at a time, so a build never holds every document's terms:
 * per document only (term id, tf) pairs are kept, turned into postings at the end.
 */
export class Bm25Builder {
  private readonly ids = new Map<string, number>();
  private readonly names: string[] = [];
  /** (term id, tf) per distinct term of each document, documents in order. */
  private readonly pairs = new IntList(1 << 16);
  /** Where each document's pairs end in `pairs` (in pairs). */
  private readonly ends = new IntList();
  private readonly lengths = new IntList();

  add(doc: string[]): void {
    const counts = new Map<number, number>();
    for (const term of doc) {
      let id = this.ids.get(term);
      if (id === undefined) {
        id = this.names.length;
        this.ids.set(term, id);
        this.names.push(term);
      }
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    for (const [id, tf] of counts) {
      this.pairs.push(id);
      this.pairs.push(tf);
    }
    this.ends.push(this.pairs.length / 2);
    this.lengths.push(doc.length);
  }

  /** Every term seen so far, in the order first seen. */
  vocabulary(): string[] {
    return this.names;
  }

  finish(k1: number, b: number): Bm25 {
    const { table, order } = TermTable.build(this.names);
    const df = new Int32Array(this.names.length);
    for (let i = 0; i < this.pairs.length; i += 2) {
      const term = order[this.pairs.get(i)] as number;
      df[term] = (df[term] as number) + 1;
    }
    const starts = new Int32Array(this.names.length + 1);
    for (let t = 0; t < df.length; t++) starts[t + 1] = (starts[t] as number) + 2 * (df[t] as number);
    const postings = new Int32Array(starts[df.length] as number);
    const fill = starts.slice(0, df.length);
    let pair = 0;
    for (let doc = 0; doc < this.ends.length; doc++) {
      for (const end = this.ends.get(doc); pair < end; pair++) {
        const term = order[this.pairs.get(2 * pair)] as number;
        const at = fill[term] as number;
        postings[at] = doc;
        postings[at + 1] = this.pairs.get(2 * pair + 1);
        fill[term] = at + 2;
      }
    }
    const listed = Int32Array.from(keyOrder(this.names), (i) => order[i] as number);
    return Bm25.fromParts({ k1, b, table, starts, postings, lengths: this.lengths.toArray(), order: listed });
  }
}

/**
 * The order in which a JavaScript object lists these keys when inserted in
 * this order: array-index keys ("10", "2024") first, ascending, then the others
 * as inserted. The index once kept its postings in such an object, and parts of
 * the query analysis still walk the terms in that order (ties go to the first),
 * so it is kept to give the same answers.
 */
export function keyOrder(names: string[]): number[] {
  const numeric: number[] = [];
  const rest: number[] = [];
  names.forEach((name, i) => {
    if (/^(0|[1-9]\d*)$/.test(name) && Number(name) < 2 ** 32 - 1) numeric.push(i);
    else rest.push(i);
  });
  numeric.sort((a, b) => Number(names[a]) - Number(names[b]));
  return [...numeric, ...rest];
}
