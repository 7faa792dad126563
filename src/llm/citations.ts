/** How a summary points at the passages it was written from: `[1]`, `[1, 3]`, `[2-4]`, `[1][2]`. */
export const CITATION = /\[\s*(\d+(?:\s*(?:,|;|-|–|and)\s*\d+)*)\s*\]/gi;

/** Passage numbers (1-based) named by the body of one citation such as `1`, `1, 3` or `2-4`. */
export function citationNumbers(body: string): number[] {
  const numbers: number[] = [];
  for (const part of body.split(/\s*(?:,|;|and)\s*/i)) {
    const range = /^(\d+)\s*[-–]\s*(\d+)$/.exec(part);
    if (range) {
      const [from, to] = [Number(range[1]), Number(range[2])];
      // A wide range is not a citation anyone wrote in good faith; fail it rather than loop.
      if (to < from || to - from > 20) return [0];
      for (let n = from; n <= to; n++) numbers.push(n);
    } else numbers.push(Number(part));
  }
  return numbers;
}

/** Every passage number cited in `text`, in order of appearance (repeats kept). */
export function citedIn(text: string): number[] {
  return [...text.matchAll(CITATION)].flatMap((match) => citationNumbers(match[1] ?? ""));
}
