import { createAsk } from "./answer/ask.js";
import type { ConversationStore } from "./answer/conversations.js";
import type { StreamingAsk } from "./answer/types.js";
import type { Config } from "./config.js";
import { describeRepair } from "./corpus/problems.js";
import { embedderForBuild, embedderForIndex } from "./embeddings/select.js";
import type { LlmParts } from "./llm/create.js";
import type { LlmStats } from "./llm/stats.js";
import type { Logger } from "./logger.js";
import { INDEX_FORMAT_VERSION, loadIndex, type Manifest, readManifest } from "./retrieval/index/storage.js";
import {
  IndexWatcher,
  type ReloadOutcome,
  type ReloadStats,
  type WatchOptions,
} from "./retrieval/index/watcher.js";
import { DEFAULT_RETRIEVAL, type RetrievalSettings, type Retriever } from "./retrieval/retriever.js";

export interface Engine {
  /** The use case; adapters that can update a message may also stream the summary through it. */
  ask: StreamingAsk;
  /** The retriever over the index serving now (a newly published index replaces it). */
  readonly retriever: Retriever;
  /** Counters of the optional LLM (absent when it is off), for metrics. */
  llm?: LlmStats;
  /** The index serving now, and how its reloads went, for health and metrics. */
  readonly index: { readonly manifest: Manifest; readonly reloads: ReloadStats };
  /** Looks for a newly published index now and swaps it in if it passes the checks; never throws. */
  reload(): Promise<ReloadOutcome>;
  /** Stops watching the index folder. */
  close(): Promise<void>;
}

export interface EngineOptions {
  log: Logger;
  /** Ranking settings (default DEFAULT_RETRIEVAL); FUSION_WEIGHTS in the config still overrides the weights. */
  settings?: RetrievalSettings;
  /** Breaker and retry timing of the LLM (tests shorten them), and where its calls per minute are counted. */
  llm?: LlmParts;
  /** Where conversations are kept (Redis, shared by replicas); default this process's memory. */
  conversations?: ConversationStore;
  /**
   * Watch INDEX_DIR and swap in each newly published index (the long-running
   * bot). Off by default: a one-shot command has no use for it.
   */
  watchIndex?: boolean | WatchOptions;
}

/**
 * Opens the index (building it first when there is none) and wires the
 * retriever and `ask`. Shared by the bot, the `ask` CLI and the evaluation.
 * A corrupted, truncated or mismatched index is refused with an AppError that
 * names the file and what to run; nothing is loaded from it.
 */
export async function openEngine(config: Config, options: EngineOptions): Promise<Engine> {
  const { log, settings = DEFAULT_RETRIEVAL } = options;
  let manifest = await readManifest(config.indexDir);
  // An index from an older version of the bot is rebuilt like a missing one (an upgrade should not
  // stop the bot); one from a newer version is refused by loadIndex, with what to run.
  const outdated = manifest !== null && manifest.formatVersion < INDEX_FORMAT_VERSION;
  if (!manifest || outdated) {
    log.info(
      { indexDir: config.indexDir },
      outdated
        ? `the index in ${config.indexDir} has format ${manifest?.formatVersion}, older than this version's ${INDEX_FORMAT_VERSION}: rebuilding it from ${config.corpusDir}`
        : `no index in ${config.indexDir}: building it from ${config.corpusDir}`,
    );
    const embedder = await embedderForBuild(config.embedder, log);
    // The builder (corpus parsers, WordNet) is loaded only when there is something to build.
    const { buildIndex } = await import("./retrieval/index/build.js");
    const result = await buildIndex({ corpusDir: config.corpusDir, indexDir: config.indexDir, embedder });
    manifest = result.manifest;
    log.info({ passages: manifest.passageCount, ms: manifest.buildMs }, "index built");
    for (const problem of result.skipped) {
      log.warn(
        { file: problem.file, line: problem.line, code: problem.code },
        `left out of the index: ${problem.reason}`,
      );
    }
    for (const repair of result.repaired) {
      log.warn({ file: repair.file }, `repaired: ${describeRepair(repair)}`);
    }
  }
  const embedder = await embedderForIndex(manifest.embedder.id, config.embedder);
  // Another embedder may want other weights ("keep the fusion weights configurable"): FUSION_WEIGHTS.
  const retrieval = config.fusionWeights
    ? { ...settings, weights: { ...settings.weights, ...config.fusionWeights } }
    : settings;
  if (config.fusionWeights) log.info({ weights: retrieval.weights }, "fusion weights set by FUSION_WEIGHTS");
  const watcher = new IndexWatcher({
    indexDir: config.indexDir,
    embedder,
    settings: retrieval,
    initial: await loadIndex(config.indexDir, embedder),
    log: log.child({ component: "index" }),
  });
  if (options.watchIndex) watcher.watch(options.watchIndex === true ? {} : options.watchIndex);
  // Loaded only when configured: the openai client is the slowest module to load, and the
  // `ask` command must start fast without it.
  const llm = config.llm
    ? (await import("./llm/create.js")).createLlm(config.llm, log, options.llm)
    : undefined;
  if (llm) log.info({ host: llm.host, model: llm.model }, `LLM summaries on: ${llm.model} at ${llm.host}`);
  else log.debug("LLM summaries off (set OPENAI_API_KEY or OPENAI_BASE_URL to turn them on)");
  return {
    ask: createAsk({
      retriever: () => watcher.retriever,
      conversations: options.conversations,
      summarizer: llm?.summarizer,
      rewriter: llm?.rewriter,
      llmTimeoutMs: llm?.timeoutMs,
      maxQuestionChars: config.maxQuestionChars,
    }),
    get retriever() {
      return watcher.retriever;
    },
    llm: llm?.stats,
    index: {
      get manifest() {
        return watcher.manifest;
      },
      reloads: watcher.stats,
    },
    reload: () => watcher.check(),
    close: async () => watcher.close(),
  };
}
