/**
 * The `k` items with the highest scores, best first, without sorting them all:
 * a min-heap of size k, so a 50,000-candidate archive query stays cheap.
 */
export function topK<T>(items: Iterable<T>, score: (item: T) => number, k: number): T[] {
  const heap: Array<{ item: T; value: number }> = [];
  const swap = (i: number, j: number) => {
    const tmp = heap[i] as { item: T; value: number };
    heap[i] = heap[j] as { item: T; value: number };
    heap[j] = tmp;
  };
  const value = (i: number) => (heap[i] as { value: number }).value;
  for (const item of items) {
    const v = score(item);
    if (heap.length < k) {
      heap.push({ item, value: v });
      for (let i = heap.length - 1; i > 0 && value((i - 1) >> 1) > value(i); i = (i - 1) >> 1)
        swap(i, (i - 1) >> 1);
    } else if (k > 0 && v > value(0)) {
      heap[0] = { item, value: v };
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && value(l) < value(m)) m = l;
        if (r < heap.length && value(r) < value(m)) m = r;
        if (m === i) break;
        swap(i, m);
        i = m;
      }
    }
  }
  return heap.sort((a, b) => b.value - a.value).map((e) => e.item);
}
