import { closeSync, openSync, readSync } from "node:fs";
import { open } from "node:fs/promises";

/**
 * Where a segment file, as hnswlib saves it, keeps each point's vector, so a few thousand of them
 * can be read straight from the file: hnswlib-node hands back one point at a time (about 35 µs
 * each), which made comparing a small show's passages one by one slower than searching the graph.
 *
 * hnswlib's `saveIndex` writes a 96-byte header (six size_t, an int, an unsigned int, three
 * size_t, a double, a size_t), then every point's level-0 record in insertion order: its links,
 * its vector (unit length in the cosine space) and its label. Every record read is checked
 * against the label it should hold; a file that does not look so is not read this way.
 */
export interface HnswFileLayout {
  file: string;
  count: number;
  dimensions: number;
  /** Bytes per record, and where in it the vector and the label are. */
  recordBytes: number;
  vectorOffset: number;
  labelOffset: number;
}

const HEADER_BYTES = 96;

/** The layout of a segment file hnswlib has read, or undefined when its header is not as expected. */
export async function readLayout(
  file: string,
  dimensions: number,
  count: number,
): Promise<HnswFileLayout | undefined> {
  const header = Buffer.alloc(HEADER_BYTES);
  const handle = await open(file);
  try {
    const { bytesRead } = await handle.read(header, 0, HEADER_BYTES, 0);
    if (bytesRead !== HEADER_BYTES) return undefined;
  } finally {
    await handle.close();
  }
  const field = (at: number) => Number(header.readBigUInt64LE(at));
  const layout = {
    file,
    count: field(16),
    dimensions,
    recordBytes: field(24),
    labelOffset: field(32),
    vectorOffset: field(40),
  };
  const fits =
    field(0) === 0 &&
    layout.count === count &&
    layout.recordBytes % 4 === 0 &&
    layout.vectorOffset % 4 === 0 &&
    layout.vectorOffset + dimensions * 4 <= layout.recordBytes &&
    layout.labelOffset + 8 <= layout.recordBytes;
  return fits ? layout : undefined;
}

/** Records read at once: about 2 MB for 512 dimensions. */
const CHUNK = 1024;

/**
 * Calls `visit` with the vector of each point from `from` up to `to` (insertion order) whose
 * record holds the label it should (hnswlib labels the points of a segment 0, 1, 2… in order).
 * The vector is a view of a buffer reused for the next chunk. False when the file cannot be read
 * (an update removed its data folder since it was loaded): the caller asks hnswlib instead.
 */
export function readPoints(
  layout: HnswFileLayout,
  from: number,
  to: number,
  visit: (label: number, vector: Float32Array) => void,
  wanted: (label: number) => boolean,
): boolean {
  if (from >= to) return true;
  let fd: number;
  try {
    fd = openSync(layout.file, "r");
  } catch {
    return false;
  }
  try {
    const buffer = new ArrayBuffer(Math.min(CHUNK, to - from) * layout.recordBytes);
    const bytes = new Uint8Array(buffer);
    const view = new DataView(buffer);
    for (let start = from; start < to; start += CHUNK) {
      const n = Math.min(CHUNK, to - start);
      const length = n * layout.recordBytes;
      if (readSync(fd, bytes, 0, length, HEADER_BYTES + start * layout.recordBytes) !== length) return false;
      for (let i = 0; i < n; i++) {
        const label = start + i;
        if (!wanted(label)) continue;
        const record = i * layout.recordBytes;
        if (Number(view.getBigUint64(record + layout.labelOffset, true)) !== label) return false;
        visit(label, new Float32Array(buffer, record + layout.vectorOffset, layout.dimensions));
      }
    }
    return true;
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}
