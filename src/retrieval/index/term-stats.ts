import { dictionary } from "./dictionary.js";

/**
 * BM25 statistics of a collection without its postings: enough to score a
 * document on demand (the sentence pairs of the few finalist passages) while
 * keeping an archive's index small.
 */
export interface TermStatsData {
  k1: number;
  b: number;
  documents: number;
  averageLength: number;
  /** term -> number of documents holding it */
  df: Record<string, number>;
}

export class TermStats {
  private constructor(private readonly data: TermStatsData) {}

  /** k1: how fast repeats of a term saturate; b: how much long documents are penalised. */
  static build(docs: string[][], k1 = 1.2, b = 0.3): TermStats {
    const df: Record<string, number> = Object.create(null);
    let total = 0;
    for (const doc of docs) {
      total += doc.length;
      for (const term of new Set(doc)) df[term] = (df[term] ?? 0) + 1;
    }
    return new TermStats({
      k1,
      b,
      documents: docs.length,
      averageLength: docs.length ? total / docs.length : 1,
      df,
    });
  }

  static fromJSON(data: TermStatsData): TermStats {
    return new TermStats({ ...data, df: dictionary(data.df) });
  }

  toJSON(): TermStatsData {
    return this.data;
  }

  idf(term: string): number {
    const df = this.data.df[term] ?? 0;
    return Math.log(1 + (this.data.documents - df + 0.5) / (df + 0.5));
  }

  /** BM25 score of one document (its terms, in order) for weighted query terms. */
  score(docTerms: string[], query: Map<string, number>): number {
    const { k1, b, averageLength } = this.data;
    const counts = new Map<string, number>();
    for (const term of docTerms) if (query.has(term)) counts.set(term, (counts.get(term) ?? 0) + 1);
    let score = 0;
    for (const [term, tf] of counts) {
      const norm = tf + k1 * (1 - b + (b * docTerms.length) / (averageLength || 1));
      score += (query.get(term) ?? 0) * this.idf(term) * ((tf * (k1 + 1)) / norm);
    }
    return score;
  }
}
