/**
 * Positions of the `k` highest positive values, best first (the same value: the earlier position
 * first), without sorting them all: a min-heap of size k over a typed array, so ranking a
 * 372,555-passage archive stays cheap. `among` limits it to some positions, in any order.
 */
export function topPositions(values: Float64Array, k: number, among?: ArrayLike<number>): number[] {
  const heap: number[] = [];
  // Whether the position at heap slot i ranks below the one at slot j.
  const below = (a: number, b: number) =>
    (values[a] as number) < (values[b] as number) || (values[a] === values[b] && a > b);
  const less = (i: number, j: number) => below(heap[i] as number, heap[j] as number);
  const swap = (i: number, j: number) => {
    const tmp = heap[i] as number;
    heap[i] = heap[j] as number;
    heap[j] = tmp;
  };
  // The k-th best value so far, in a local: nearly every value of an archive is compared with it
  // and only a few hundred get past it.
  let floor = 0;
  const count = among ? among.length : values.length;
  for (let at = 0; at < count; at++) {
    const position = among ? (among[at] as number) : at;
    const value = values[position] as number;
    if (value <= 0 || value < floor) continue;
    if (heap.length < k) {
      heap.push(position);
      for (let i = heap.length - 1; i > 0 && less(i, (i - 1) >> 1); i = (i - 1) >> 1) swap(i, (i - 1) >> 1);
      if (heap.length === k) floor = values[heap[0] as number] as number;
    } else if (k > 0 && below(heap[0] as number, position)) {
      heap[0] = position;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && less(l, m)) m = l;
        if (r < heap.length && less(r, m)) m = r;
        if (m === i) break;
        swap(i, m);
        i = m;
      }
      floor = values[heap[0] as number] as number;
    }
  }
  return heap.sort((a, b) => (values[b] as number) - (values[a] as number) || a - b);
}
