/**
 * A sorted list of strings stored as one UTF-8 blob (each ended by a line
 * break, so the whole list decodes with one split) plus start offsets, found
 * by binary search over the bytes: an archive's hundreds of thousands of terms
 * are usable as soon as the file is read, without building a Map or a string
 * per term. Position i is the i-th term in byte order; tables of numbers
 * aligned with those positions hang off it (postings, document frequencies).
 */
/** At most this many looked-up terms are remembered (then forgotten all at once). */
const FOUND_MAX = 50_000;

export class TermTable {
  /** Terms looked up before: a question looks each up several times (postings, df, idf). */
  private readonly found = new Map<string, number>();

  private constructor(
    private readonly blob: Buffer,
    /** n + 1 offsets into blob. */
    private readonly starts: Int32Array,
  ) {}

  /** Sorts `terms` (byte order) and packs them; `order[i]` is the position the i-th given term went to. */
  static build(terms: string[]): { table: TermTable; order: Int32Array } {
    const encoded = terms.map((term, i) => {
      if (term.includes("\n")) throw new Error(`a term holds a line break: ${JSON.stringify(term)}`);
      return { bytes: Buffer.from(`${term}\n`), i };
    });
    encoded.sort((a, b) => Buffer.compare(a.bytes, b.bytes));
    const starts = new Int32Array(encoded.length + 1);
    const order = new Int32Array(encoded.length);
    let total = 0;
    encoded.forEach(({ bytes, i }, position) => {
      starts[position] = total;
      order[i] = position;
      total += bytes.length;
    });
    starts[encoded.length] = total;
    const blob = Buffer.allocUnsafe(total);
    encoded.forEach(({ bytes }, position) => {
      bytes.copy(blob, starts[position] as number);
    });
    return { table: new TermTable(blob, starts), order };
  }

  static from(blob: Buffer, starts: Int32Array): TermTable {
    return new TermTable(blob, starts);
  }

  get size(): number {
    return this.starts.length - 1;
  }

  /** The stored parts, for writing. */
  parts(): { blob: Buffer; starts: Int32Array } {
    return { blob: this.blob, starts: this.starts };
  }

  /** The position of `term`, or -1. */
  find(term: string): number {
    let at = this.found.get(term);
    if (at === undefined) {
      at = this.search(term);
      if (this.found.size >= FOUND_MAX) this.found.clear();
      this.found.set(term, at);
    }
    return at;
  }

  /** Binary search of the sorted table: about 20 byte comparisons. */
  private search(term: string): number {
    const key = Buffer.from(term);
    const { blob, starts } = this;
    let low = 0;
    let high = starts.length - 2;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const order = blob.compare(key, 0, key.length, starts[mid] as number, (starts[mid + 1] as number) - 1);
      // compare() orders the blob's slice against the key: < 0 when the slice sorts first.
      if (order === 0) return mid;
      if (order < 0) low = mid + 1;
      else high = mid - 1;
    }
    return -1;
  }

  /** Every term that starts with `prefix`, in byte order: the sorted table's run of them. */
  startingWith(prefix: string): string[] {
    const key = Buffer.from(prefix);
    const { blob, starts } = this;
    const end = (position: number) => (starts[position + 1] as number) - 1;
    let low = 0;
    let high = this.size;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (blob.compare(key, 0, key.length, starts[mid] as number, end(mid)) < 0) low = mid + 1;
      else high = mid;
    }
    const found: string[] = [];
    for (let position = low; position < this.size; position++) {
      const start = starts[position] as number;
      if (
        end(position) - start < key.length ||
        blob.compare(key, 0, key.length, start, start + key.length) !== 0
      )
        break;
      found.push(this.term(position));
    }
    return found;
  }

  term(position: number): string {
    return this.blob.toString(
      "utf8",
      this.starts[position] as number,
      (this.starts[position + 1] as number) - 1,
    );
  }

  /** Every term, in byte order: one decode and one split (a line break ends each term in the blob). */
  terms(): string[] {
    if (this.size === 0) return [];
    return this.blob.toString("utf8", 0, this.blob.length - 1).split("\n");
  }
}
