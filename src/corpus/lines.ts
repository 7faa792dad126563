/** A line of a transcript file with its place in the file. */
export interface Line {
  /** The line without its line break (and without a trailing "\r"). */
  text: string;
  /** Offset of the line's first character in the source. */
  start: number;
  /** 1-based, for error messages. */
  number: number;
}

/** Splits a source into lines that keep their offsets; a leading byte-order mark is not text. */
export function splitLines(source: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  let number = 1;
  while (start <= source.length) {
    let end = source.indexOf("\n", start);
    if (end === -1) end = source.length;
    let raw = source.slice(start, end);
    let offset = start;
    // A byte-order mark (Windows editors add one) is not text: without this the first label goes unseen.
    if (number === 1 && raw.startsWith("\ufeff")) {
      raw = raw.slice(1);
      offset += 1;
    }
    lines.push({ text: raw.endsWith("\r") ? raw.slice(0, -1) : raw, start: offset, number });
    start = end + 1;
    number += 1;
  }
  return lines;
}

/** A function giving the 1-based line of an offset in `source` (line starts found once, then searched). */
export function lineFinder(source: string): (offset: number) => number {
  const starts = [0];
  for (let i = source.indexOf("\n"); i !== -1; i = source.indexOf("\n", i + 1)) starts.push(i + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] as number) <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  };
}
