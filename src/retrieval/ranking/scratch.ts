/**
 * Per-passage arrays (one slot per passage) handed back and reused from question to question. On
 * an archive each is 3 MB, and a fresh one costs a page fault per 4 KB on first write: about 1 ms
 * each, seven a question. A question takes them zeroed and gives them back when it is done; two
 * questions at once simply take different ones.
 */
export class ScratchArrays {
  private readonly free: Float64Array[] = [];

  constructor(
    private readonly length: number,
    /** At most this many are kept between questions. */
    private readonly keep = 16,
    /** Made at once, so the first questions do not pay for fresh memory (a question takes up to seven). */
    ready = 8,
  ) {
    for (let i = 0; i < ready; i++) this.free.push(new Float64Array(length).fill(0));
  }

  /**
   * An array of zeros, one slot per passage; with `range`, zeros only from `range.from` up to (not
   * including) `range.to`, for a caller that reads and writes nothing else (a question scoped to
   * one episode need not clear an archive's 3 MB).
   */
  take(range?: { from: number; to: number }): Float64Array {
    const array = this.free.pop();
    if (!array) return new Float64Array(this.length);
    if (range) array.fill(0, range.from, range.to);
    else array.fill(0);
    return array;
  }

  /** Arrays the caller no longer reads: the next question may overwrite them. */
  give(...arrays: Float64Array[]): void {
    for (const array of arrays) if (this.free.length < this.keep) this.free.push(array);
  }
}
