import { createAsk, type StreamingAsk } from "./bot/ask.js";
import { ConversationStore } from "./bot/conversations.js";
import type { Config } from "./config.js";
import { embedderForBuild, embedderForIndex } from "./embeddings/select.js";
import { createLlm, type LlmParts } from "./llm/create.js";
import type { LlmStats } from "./llm/stats.js";
import type { Logger } from "./logger.js";
import { buildIndex } from "./retrieval/build.js";
import { loadIndex, readManifest } from "./retrieval/index-files.js";
import { DEFAULT_RETRIEVAL, type RetrievalSettings, Retriever } from "./retrieval/retriever.js";

export interface Engine {
  /** The use case; adapters that can update a message may also stream the summary through it. */
  ask: StreamingAsk;
  retriever: Retriever;
  /** Counters of the optional LLM (absent when it is off), for metrics. */
  llm?: LlmStats;
}

/**
 * Opens the index (building it first when there is none) and wires the
 * retriever and `ask`. Shared by the bot, the `ask` CLI and the evaluation.
 */
export async function openEngine(
  config: Config,
  log: Logger,
  settings: RetrievalSettings = DEFAULT_RETRIEVAL,
  /** Breaker and retry timing of the LLM; tests shorten them. */
  llmParts: LlmParts = {},
): Promise<Engine> {
  let manifest = await readManifest(config.indexDir);
  if (!manifest) {
    log.info(
      { indexDir: config.indexDir },
      `no index in ${config.indexDir}: building it from ${config.corpusDir}`,
    );
    const embedder = await embedderForBuild(config.embedder, log);
    const result = await buildIndex({ corpusDir: config.corpusDir, indexDir: config.indexDir, embedder });
    manifest = result.manifest;
    log.info({ passages: manifest.passageCount, ms: manifest.buildMs }, "index built");
  }
  const embedder = await embedderForIndex(manifest.embedder.id, config.embedder);
  const index = await loadIndex(config.indexDir, embedder);
  const retriever = new Retriever(index, embedder, settings);
  const llm = config.llm ? createLlm(config.llm, log, llmParts) : undefined;
  if (llm) log.info({ host: llm.host, model: llm.model }, `LLM summaries on: ${llm.model} at ${llm.host}`);
  else log.debug("LLM summaries off (set OPENAI_API_KEY or OPENAI_BASE_URL to turn them on)");
  return {
    ask: createAsk({
      retriever: () => retriever,
      conversations: new ConversationStore(),
      summarizer: llm?.summarizer,
      rewriter: llm?.rewriter,
      llmTimeoutMs: llm?.timeoutMs,
      maxQuestionChars: config.maxQuestionChars,
    }),
    retriever,
    llm: llm?.stats,
  };
}
