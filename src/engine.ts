import type { Ask } from "./answer/types.js";
import { createAsk } from "./bot/ask.js";
import { ConversationStore } from "./bot/conversations.js";
import type { Config } from "./config.js";
import { embedderForBuild, embedderForIndex } from "./embeddings/select.js";
import type { Logger } from "./logger.js";
import { buildIndex } from "./retrieval/build.js";
import { loadIndex, readManifest } from "./retrieval/index-files.js";
import { DEFAULT_RETRIEVAL, type RetrievalSettings, Retriever } from "./retrieval/retriever.js";

export interface Engine {
  ask: Ask;
  retriever: Retriever;
}

/**
 * Opens the index (building it first when there is none) and wires the
 * retriever and `ask`. Shared by the bot, the `ask` CLI and the evaluation.
 */
export async function openEngine(
  config: Config,
  log: Logger,
  settings: RetrievalSettings = DEFAULT_RETRIEVAL,
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
  return {
    ask: createAsk({ retriever: () => retriever, conversations: new ConversationStore() }),
    retriever,
  };
}
