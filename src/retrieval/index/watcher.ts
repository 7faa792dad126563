import { type FSWatcher, watch } from "node:fs";
import type { Embedder } from "../../embeddings/types.js";
import { AppError, describeError } from "../../errors.js";
import type { Logger } from "../../logger.js";
import { type RetrievalSettings, Retriever } from "../retriever.js";
import { type LoadedIndex, loadIndex, type Manifest, readManifest } from "./storage.js";

export interface IndexWatcherOptions {
  indexDir: string;
  /** The embedder of the index serving now; a new index must have been built with it. */
  embedder: Embedder;
  settings: RetrievalSettings;
  /** The index loaded at start. */
  initial: LoadedIndex;
  log: Logger;
}

export interface WatchOptions {
  /**
   * How often the manifest is read even without a file-system event (default
   * 30 s): fs.watch misses changes on some network and container file systems.
   */
  pollMs?: number;
  /** Also react to file-system events at once (default true). */
  fsWatch?: boolean;
}

/** What a check found. */
export type ReloadOutcome = "unchanged" | "swapped" | "rejected";

/** Counters and the last refusal, for `/healthz` and `/metrics`. */
export interface ReloadStats {
  swapped: number;
  rejected: number;
  /** Why the last new index was refused (code and message), until one is swapped in. */
  lastRejection?: string;
}

/** Wait after a file-system event, so the burst of events one publication makes is read once. */
const SETTLE_MS = 100;
const DEFAULT_POLL_MS = 30_000;

/**
 * Keeps the newest good index serving. When a build publishes a new manifest
 * in INDEX_DIR (seen through fs.watch, or a slow poll), it is loaded into a new
 * object, checked (checksums and embedder by `loadIndex`, then a test query),
 * and only then swapped in; questions already running finish on the old one.
 * A bad publication is refused with one log line and the old index keeps serving.
 */
export class IndexWatcher {
  private current: Retriever;
  private rejectedDataDir: string | undefined;
  private rejectedError: string | undefined;
  private running: Promise<ReloadOutcome> | undefined;
  private again = false;
  private fsWatcher: FSWatcher | undefined;
  private poller: NodeJS.Timeout | undefined;
  private settle: NodeJS.Timeout | undefined;
  private closed = false;
  readonly stats: ReloadStats = { swapped: 0, rejected: 0 };

  constructor(private readonly options: IndexWatcherOptions) {
    this.current = new Retriever(options.initial, options.embedder, options.settings);
  }

  /** The retriever over the index serving now. */
  get retriever(): Retriever {
    return this.current;
  }

  get manifest(): Manifest {
    return this.current.index.manifest;
  }

  /** Starts watching; neither the watch nor the poll keeps the process alive. */
  watch(options: WatchOptions = {}): void {
    if (this.closed || this.poller) return;
    if (options.fsWatch ?? true) {
      try {
        this.fsWatcher = watch(this.options.indexDir, { persistent: false }, (_event, name) => {
          if (name === null || name === "manifest.json") this.soon();
        });
        // Without a listener an fs error (the folder removed) would end the process; the poll carries on.
        this.fsWatcher.on("error", (error) => {
          this.options.log.warn({ err: describeError(error) }, "index folder watch failed; polling only");
          this.fsWatcher?.close();
          this.fsWatcher = undefined;
        });
      } catch (error) {
        this.options.log.warn({ err: describeError(error) }, "cannot watch the index folder; polling only");
      }
    }
    this.poller = setInterval(() => void this.check(), options.pollMs ?? DEFAULT_POLL_MS);
    this.poller.unref();
  }

  /**
   * Reads the manifest and swaps in a newly published index if it passes the
   * checks. Checks never overlap: one asked for while another runs makes that
   * one look again when it ends. Never throws.
   */
  check(): Promise<ReloadOutcome> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.checkUntilSettled().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  close(): void {
    this.closed = true;
    this.fsWatcher?.close();
    clearInterval(this.poller);
    clearTimeout(this.settle);
  }

  private soon(): void {
    if (this.closed) return;
    clearTimeout(this.settle);
    this.settle = setTimeout(() => void this.check(), SETTLE_MS);
    this.settle.unref();
  }

  private async checkUntilSettled(): Promise<ReloadOutcome> {
    let outcome: ReloadOutcome = "unchanged";
    do {
      this.again = false;
      const result = await this.checkOnce();
      if (result !== "unchanged") outcome = result;
    } while (this.again && !this.closed);
    return outcome;
  }

  private async checkOnce(): Promise<ReloadOutcome> {
    const { indexDir, log } = this.options;
    let published: Manifest | null;
    try {
      published = await readManifest(indexDir);
    } catch (error) {
      return this.reject(undefined, error);
    }
    this.rejectedError = undefined;
    if (published === null || published.dataDir === this.manifest.dataDir) return "unchanged";
    if (published.dataDir === this.rejectedDataDir) return "unchanged";
    let candidate: Retriever;
    try {
      const index = await loadIndex(indexDir, this.options.embedder);
      candidate = new Retriever(index, this.options.embedder, this.options.settings);
      await probe(candidate, this.options.embedder);
    } catch (error) {
      // A build that published again meanwhile (and removed this data folder) is not a bad index.
      const now = await readManifest(indexDir).catch(() => null);
      if (now && now.dataDir !== published.dataDir) {
        this.again = true;
        return "unchanged";
      }
      return this.reject(published.dataDir, error);
    }
    const previous = this.manifest;
    this.current = candidate;
    this.stats.swapped += 1;
    this.stats.lastRejection = undefined;
    this.rejectedDataDir = undefined;
    this.rejectedError = undefined;
    log.info(
      {
        dataDir: candidate.index.manifest.dataDir,
        previous: previous.dataDir,
        passages: candidate.index.manifest.passageCount,
        builtAt: candidate.index.manifest.builtAt,
      },
      "new index loaded, checked and serving",
    );
    return "swapped";
  }

  private reject(dataDir: string | undefined, error: unknown): ReloadOutcome {
    const reason = describeError(error);
    // The same bad publication is read again at every poll: refuse it once, log it once.
    if (dataDir === undefined ? reason === this.rejectedError : dataDir === this.rejectedDataDir)
      return "unchanged";
    this.rejectedDataDir = dataDir;
    this.rejectedError = reason;
    this.stats.rejected += 1;
    this.stats.lastRejection = reason;
    this.options.log.error(
      {
        code: error instanceof AppError ? error.code : undefined,
        err: reason,
        serving: this.manifest.dataDir,
      },
      "new index refused; the previous one keeps serving",
    );
    return "rejected";
  }
}

/**
 * The test query: the longest passage's own text (long, so no other passage
 * shares its vector) must find that passage among the nearest vectors, so the
 * vectors belong to these passages; a search by its opening words must return hits.
 */
async function probe(retriever: Retriever, embedder: Embedder): Promise<void> {
  const { passages, vectors, manifest } = retriever.index;
  let label = 0;
  for (const [i, p] of passages.entries()) if (p.text.length > (passages[label]?.text.length ?? 0)) label = i;
  const passage = passages[label];
  if (!passage) throw new AppError("E_INDEX_CORRUPT", `${manifest.dataDir}: the index holds no passages.`);
  const [vector] = await embedder.embed([passage.text]);
  const near = vector ? vectors.search(vector, 5) : [];
  if (!near.some((hit) => hit.label === label)) {
    throw new AppError(
      "E_INDEX_CORRUPT",
      `${manifest.dataDir}: the test query did not find passage ${passage.id} by its own text. Run \`npm run build-index -- --force\`.`,
    );
  }
  const opening = passage.text.split(/\s+/).slice(0, 12).join(" ");
  const { hits } = await retriever.retrieve({ text: opening, limit: 3 });
  if (hits.length === 0) {
    throw new AppError(
      "E_INDEX_CORRUPT",
      `${manifest.dataDir}: the test query "${opening}" found nothing. Run \`npm run build-index -- --force\`.`,
    );
  }
}
