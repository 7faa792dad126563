import { IntList } from "./int-list.js";
import type { Sections, SectionValue } from "./sections.js";
import { TermTable } from "./term-table.js";

/**
 * BM25 statistics of a collection without its postings: enough to score a
 * document on demand (the sentence pairs of the few finalist passages) while
 * keeping an archive's index small. Document frequencies are a typed array
 * aligned with a sorted term table.
 */
export class TermStats {
  private constructor(
    private readonly k1: number,
    private readonly b: number,
    private readonly documents: number,
    private readonly averageLength: number,
    private readonly table: TermTable,
    private readonly df: Int32Array,
  ) {}

  /** k1: how fast repeats of a term saturate; b: how much long documents are penalised. */
  static build(docs: string[][], k1 = 1.2, b = 0.3): TermStats {
    const builder = new TermStatsBuilder();
    for (const doc of docs) builder.add(doc);
    return builder.finish(k1, b);
  }

  static create(
    k1: number,
    b: number,
    documents: number,
    total: number,
    terms: string[],
    df: IntList,
  ): TermStats {
    const { table, order } = TermTable.build(terms);
    const sorted = new Int32Array(terms.length);
    for (let i = 0; i < terms.length; i++) sorted[order[i] as number] = df.get(i);
    return new TermStats(k1, b, documents, documents ? total / documents : 1, table, sorted);
  }

  static fromSections(sections: Sections, prefix: string): TermStats {
    const [k1, b, documents, averageLength] = sections.float64(`${prefix}.params`);
    return new TermStats(
      k1 as number,
      b as number,
      documents as number,
      averageLength as number,
      TermTable.from(sections.bytesOf(`${prefix}.terms`), sections.int32(`${prefix}.termStarts`)),
      sections.int32(`${prefix}.df`),
    );
  }

  toSections(prefix: string): Record<string, SectionValue> {
    const { blob, starts } = this.table.parts();
    return {
      [`${prefix}.params`]: Float64Array.of(this.k1, this.b, this.documents, this.averageLength),
      [`${prefix}.terms`]: blob,
      [`${prefix}.termStarts`]: starts,
      [`${prefix}.df`]: this.df,
    };
  }

  idf(term: string): number {
    const at = this.table.find(term);
    const df = at < 0 ? 0 : (this.df[at] as number);
    return Math.log(1 + (this.documents - df + 0.5) / (df + 0.5));
  }

  /** BM25 score of one document (its terms, in order) for weighted query terms. */
  score(docTerms: string[], query: Map<string, number>): number {
    const { k1, b, averageLength } = this;
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

/** Counts document frequencies one document at a time. */
export class TermStatsBuilder {
  private readonly ids = new Map<string, number>();
  private readonly names: string[] = [];
  private readonly df = new IntList();
  private documents = 0;
  private total = 0;

  add(doc: string[]): void {
    this.documents += 1;
    this.total += doc.length;
    for (const term of new Set(doc)) {
      const id = this.ids.get(term);
      if (id === undefined) {
        this.ids.set(term, this.names.length);
        this.names.push(term);
        this.df.push(1);
      } else this.df.set(id, this.df.get(id) + 1);
    }
  }

  finish(k1: number, b: number): TermStats {
    return TermStats.create(k1, b, this.documents, this.total, this.names, this.df);
  }
}
