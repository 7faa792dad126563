/**
 * The k best of the (position, value) pairs offered to it, positive values only, without keeping
 * the others: a min-heap of size k, so stage 1 over a 372,555-passage archive writes no array of
 * values. Best first means the higher value, and for the same value the earlier position.
 */
export class TopK {
  private readonly positions: number[] = [];
  private readonly values: number[] = [];
  /** The k-th best value so far (0 until k are held): a value below it cannot get in. */
  floor = 0;

  constructor(private readonly k: number) {}

  get size(): number {
    return this.positions.length;
  }

  offer(position: number, value: number): void {
    if (value <= 0 || value < this.floor || this.k === 0) return;
    const { positions, values } = this;
    if (positions.length < this.k) {
      positions.push(position);
      values.push(value);
      for (let i = positions.length - 1; i > 0 && this.below(i, (i - 1) >> 1); i = (i - 1) >> 1)
        this.swap(i, (i - 1) >> 1);
      if (positions.length === this.k) this.floor = values[0] as number;
      return;
    }
    const root = values[0] as number;
    if (value < root || (value === root && position > (positions[0] as number))) return;
    positions[0] = position;
    values[0] = value;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < positions.length && this.below(l, m)) m = l;
      if (r < positions.length && this.below(r, m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
    this.floor = values[0] as number;
  }

  /** The pairs held, best first. */
  best(): Array<{ position: number; value: number }> {
    return this.positions
      .map((position, i) => ({ position, value: this.values[i] as number }))
      .sort((a, b) => b.value - a.value || a.position - b.position);
  }

  /** Whether the pair at heap slot i ranks below the one at slot j. */
  private below(i: number, j: number): boolean {
    const a = this.values[i] as number;
    const b = this.values[j] as number;
    return a < b || (a === b && (this.positions[i] as number) > (this.positions[j] as number));
  }

  private swap(i: number, j: number): void {
    const { positions, values } = this;
    [positions[i], positions[j]] = [positions[j] as number, positions[i] as number];
    [values[i], values[j]] = [values[j] as number, values[i] as number];
  }
}
