/** A growing list of 32-bit integers in one typed array: millions of postings without a JS number each. */
export class IntList {
  private data: Int32Array;
  length = 0;

  constructor(capacity = 1024) {
    this.data = new Int32Array(capacity);
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }

  set(i: number, value: number): void {
    this.data[i] = value;
  }

  get(i: number): number {
    return this.data[i] as number;
  }

  /** The values, trimmed to length (a copy: the list's spare capacity is not kept). */
  toArray(): Int32Array {
    return this.data.slice(0, this.length);
  }
}
