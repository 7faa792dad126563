import { dictionary } from "./dictionary.js";

/**
 * Okapi BM25 over documents that are already lists of terms. Generic on
 * purpose: the retriever keeps one over passages, one over the question each
 * passage replies to.
 */

export interface Bm25Data {
  k1: number;
  b: number;
  lengths: number[];
  /** term -> flat [doc, tf, doc, tf, …] */
  postings: Record<string, number[]>;
}

/** A query term with a weight (1 for the asked word, less for an expansion). */
export interface WeightedTerm {
  term: string;
  weight: number;
}

const EMPTY = new Int32Array(0);

export class Bm25 {
  private readonly avgLength: number;
  /** Postings as typed arrays: an archive's millions of numbers stay out of the garbage collector's way. */
  private readonly lists: Map<string, Int32Array>;
  private readonly lengths: Int32Array;
  private readonly frequencies = new Map<string, number>();
  /** k1 · (1 − b + b · length / average length) per document: the length part of every score. */
  private readonly norms: Float64Array;

  private readonly k1: number;
  private readonly b: number;

  private constructor(data: Bm25Data) {
    const total = data.lengths.reduce((sum, n) => sum + n, 0);
    this.avgLength = data.lengths.length ? total / data.lengths.length || 1 : 1;
    this.lists = new Map(Object.entries(data.postings).map(([term, list]) => [term, Int32Array.from(list)]));
    this.lengths = Int32Array.from(data.lengths);
    this.k1 = data.k1;
    this.b = data.b;
    const { k1, b, avgLength } = this;
    this.norms = Float64Array.from(this.lengths, (length) => k1 * (1 - b + (b * length) / avgLength));
  }

  /** k1: how fast repeats of a term saturate; b: how much long documents are penalised. */
  static build(docs: string[][], k1 = 1.2, b = 0.75): Bm25 {
    const postings: Record<string, number[]> = Object.create(null);
    docs.forEach((doc, index) => {
      const counts = new Map<string, number>();
      for (const term of doc) counts.set(term, (counts.get(term) ?? 0) + 1);
      for (const [term, tf] of counts) {
        postings[term] ??= [];
        postings[term].push(index, tf);
      }
    });
    return new Bm25({ k1, b, lengths: docs.map((d) => d.length), postings });
  }

  static fromJSON(data: Bm25Data): Bm25 {
    return new Bm25({ ...data, postings: dictionary(data.postings) });
  }

  toJSON(): Bm25Data {
    const postings: Record<string, number[]> = {};
    for (const [term, list] of this.lists) postings[term] = Array.from(list);
    return { k1: this.k1, b: this.b, lengths: Array.from(this.lengths), postings };
  }

  get size(): number {
    return this.lengths.length;
  }

  /** Share of all the corpus's words that are this term (0 when absent). */
  frequency(term: string): number {
    let share = this.frequencies.get(term);
    if (share === undefined) {
      // A walk over the term's postings: an archive's common words are in most passages, so remember it.
      const list = this.lists.get(term);
      let count = 0;
      for (let i = 1; list && i < list.length; i += 2) count += list[i] as number;
      share = count / (this.avgLength * this.size);
      if (this.frequencies.size < 10_000) this.frequencies.set(term, share);
    }
    return share;
  }

  /** Number of documents holding the term. */
  df(term: string): number {
    return (this.lists.get(term)?.length ?? 0) / 2;
  }

  idf(term: string): number {
    const n = this.size;
    const df = this.df(term);
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** The term's postings, flat [doc, tf, doc, tf, …] (empty when absent); read-only. */
  postings(term: string): Int32Array {
    return this.lists.get(term) ?? EMPTY;
  }

  /** A document's length in terms. */
  length(doc: number): number {
    return this.lengths[doc] ?? 0;
  }

  terms(): string[] {
    return [...this.lists.keys()];
  }

  /**
   * Scores every document that holds at least one query term: dense scores
   * (typed array, one slot per document: no per-query Map to build on a large
   * archive), 0 for the others.
   */
  score(query: WeightedTerm[]): { scores: Float64Array } {
    const { k1, lists, norms } = this;
    const scores = new Float64Array(norms.length);
    for (const { term, weight } of query) {
      const list = lists.get(term);
      if (!list) continue;
      const scale = weight * this.idf(term) * (k1 + 1);
      for (let i = 0; i < list.length; i += 2) {
        const doc = list[i] as number;
        const tf = list[i + 1] as number;
        scores[doc] = (scores[doc] as number) + (scale * tf) / (tf + (norms[doc] as number));
      }
    }
    return { scores };
  }
}
