import { AppError } from "../../errors.js";

/**
 * A file of named binary sections: the index's passages and lexical tables are
 * typed arrays and byte blobs, read back as views into the file's bytes (no
 * JSON to parse at start, no copy). Layout:
 *
 *   "EQBSECT1"                     8 bytes, the magic
 *   u32 little-endian              length of the header
 *   header                         JSON: { name: [offset, length, kind] }, offsets from the file's start
 *   sections                       each starting at a multiple of 8, so any typed array can view it
 *
 * Typed arrays are stored in the machine's byte order, checked by the header's
 * `littleEndian` flag (every machine this runs on is little-endian).
 */

const MAGIC = "EQBSECT1";

export type SectionValue = Uint8Array | Int32Array | Float64Array | string | object;
type Kind = "bytes" | "i32" | "f64" | "text" | "json";

const ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function kindOf(value: SectionValue): Kind {
  if (value instanceof Int32Array) return "i32";
  if (value instanceof Float64Array) return "f64";
  if (value instanceof Uint8Array) return "bytes";
  if (typeof value === "string") return "text";
  return "json";
}

function bytesOf(value: SectionValue): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (value instanceof Int32Array || value instanceof Float64Array)
    return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  return Buffer.from(typeof value === "string" ? value : JSON.stringify(value));
}

/** The file's bytes as a list of chunks (written one after another, never joined in memory). */
export function encodeSections(sections: Record<string, SectionValue>): Uint8Array[] {
  const entries = Object.entries(sections).map(([name, value]) => ({
    name,
    kind: kindOf(value),
    bytes: bytesOf(value),
  }));
  // The header's size depends on the offsets it holds: lay out with a generous guess, then fix.
  let headerBytes = Buffer.alloc(0);
  let start = 0;
  for (;;) {
    start = align(MAGIC.length + 4 + headerBytes.length);
    const header: Record<string, unknown> = { littleEndian: ENDIAN };
    let at = start;
    for (const { name, kind, bytes } of entries) {
      header[name] = [at, bytes.length, kind];
      at = align(at + bytes.length);
    }
    const next = Buffer.from(JSON.stringify(header));
    const settled = align(MAGIC.length + 4 + next.length) === start;
    headerBytes = next;
    if (settled) break;
  }
  const lead = Buffer.alloc(start);
  lead.write(MAGIC, 0, "latin1");
  lead.writeUInt32LE(headerBytes.length, MAGIC.length);
  headerBytes.copy(lead, MAGIC.length + 4);
  const chunks: Uint8Array[] = [lead];
  let at = start;
  for (const { bytes } of entries) {
    chunks.push(bytes);
    const padded = align(at + bytes.length);
    if (padded > at + bytes.length) chunks.push(Buffer.alloc(padded - at - bytes.length));
    at = padded;
  }
  return chunks;
}

function align(n: number): number {
  return Math.ceil(n / 8) * 8;
}

/** Sections read back from a file's bytes; each getter names the file when a section is missing or of another kind. */
export class Sections {
  private readonly header: Record<string, [number, number, Kind]>;

  constructor(
    private readonly bytes: Buffer,
    private readonly file: string,
  ) {
    if (bytes.length < MAGIC.length + 4 || bytes.toString("latin1", 0, MAGIC.length) !== MAGIC)
      throw this.corrupt("not a section file");
    const length = bytes.readUInt32LE(MAGIC.length);
    try {
      this.header = JSON.parse(bytes.toString("utf8", MAGIC.length + 4, MAGIC.length + 4 + length));
    } catch (error) {
      throw this.corrupt("its header is not valid JSON", error);
    }
    if ((this.header as unknown as { littleEndian: boolean }).littleEndian !== ENDIAN)
      throw this.corrupt("written on a machine of the other byte order");
  }

  has(name: string): boolean {
    return Array.isArray(this.header[name]);
  }

  bytesOf(name: string): Buffer {
    const [offset, length] = this.entry(name, "bytes");
    return this.bytes.subarray(offset, offset + length);
  }

  int32(name: string): Int32Array {
    const [offset, length] = this.entry(name, "i32");
    return view(this.bytes, offset, length, Int32Array);
  }

  float64(name: string): Float64Array {
    const [offset, length] = this.entry(name, "f64");
    return view(this.bytes, offset, length, Float64Array);
  }

  text(name: string): string {
    const [offset, length] = this.entry(name, "text");
    return this.bytes.toString("utf8", offset, offset + length);
  }

  json<T>(name: string): T {
    const [offset, length] = this.entry(name, "json");
    try {
      return JSON.parse(this.bytes.toString("utf8", offset, offset + length)) as T;
    } catch (error) {
      throw this.corrupt(`section ${name} is not valid JSON`, error);
    }
  }

  private entry(name: string, kind: Kind): [number, number] {
    const entry = this.header[name];
    if (!Array.isArray(entry) || entry[2] !== kind)
      throw this.corrupt(`section ${name} (${kind}) is missing`);
    const [offset, length] = entry;
    if (offset + length > this.bytes.length) throw this.corrupt(`section ${name} runs past the end`);
    return [offset, length];
  }

  private corrupt(what: string, cause?: unknown): AppError {
    return new AppError(
      "E_INDEX_CORRUPT",
      `${this.file}: ${what}. Run \`npm run build-index -- --force\` to rebuild it.`,
      { cause },
    );
  }
}

/** A typed array over the file's bytes without a copy when aligned (a large file's Buffer starts at 0), with one otherwise. */
function view<T extends Int32Array | Float64Array>(
  bytes: Buffer,
  offset: number,
  length: number,
  Type: { new (buffer: ArrayBufferLike, offset: number, length: number): T; BYTES_PER_ELEMENT: number },
): T {
  const at = bytes.byteOffset + offset;
  const count = length / Type.BYTES_PER_ELEMENT;
  if (at % Type.BYTES_PER_ELEMENT === 0) return new Type(bytes.buffer, at, count);
  const copy = new Uint8Array(length);
  copy.set(bytes.subarray(offset, offset + length));
  return new Type(copy.buffer, 0, count);
}
