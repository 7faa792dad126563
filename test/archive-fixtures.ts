import { cp, mkdir, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { createAsk } from "../src/answer/ask.js";
import type { StreamingAsk } from "../src/answer/types.js";
import type { EpisodeMeta } from "../src/corpus/types.js";
import { createOfflineEmbedder } from "../src/embeddings/offline.js";
import type { Embedder } from "../src/embeddings/types.js";
import { loadIndex } from "../src/retrieval/index/storage.js";
import { Retriever } from "../src/retrieval/retriever.js";
import { REPO } from "./helpers/index-fixtures.js";

/** Shared by the archive tests: the made-up episodes under test/fixtures/episodes, in every format. */

export const EPISODES_DIR = join(REPO, "test", "fixtures", "episodes");
/** Real episodes cut from the Changelog archive, laid out as it is (`SHOW/FILE.md`); see its README. */
export const CHANGELOG_DIR = join(REPO, "test", "fixtures", "changelog");

export const GARDEN_12 = "garden-hour-012"; // WebVTT, YouTube watch URL with a playlist
export const GARDEN_13 = "garden-hour-013"; // SRT, an .mp3 URL (media fragment)
export const KITCHEN_4 = "night-kitchen-004"; // JSON segments, youtu.be URL with a share id
export const KITCHEN_5 = "night-kitchen-005"; // plain text, untimed

/** The transcript file of a fixture episode. */
export async function transcriptOf(id: string): Promise<string> {
  const name = (await readdir(EPISODES_DIR)).find((n) => n.startsWith(`${id}.`) && !n.endsWith(".meta.json"));
  if (!name) throw new Error(`no fixture transcript for ${id}`);
  return join(EPISODES_DIR, name);
}

export async function metaOf(id: string): Promise<EpisodeMeta> {
  return JSON.parse(await readFile(join(EPISODES_DIR, `${id}.meta.json`), "utf8")) as EpisodeMeta;
}

/** Copies the given fixture episodes (transcript and sidecar) into `dir`, a corpus folder of their own. */
export async function fixtureCorpus(dir: string, ids: string[]): Promise<string> {
  await mkdir(dir, { recursive: true });
  for (const id of ids) {
    const transcript = await transcriptOf(id);
    await cp(transcript, join(dir, transcript.slice(EPISODES_DIR.length + 1)));
    await cp(join(EPISODES_DIR, `${id}.meta.json`), join(dir, `${id}.meta.json`));
  }
  return dir;
}

/** The real offline embedder, counting its calls and keeping every text it was given. */
export interface CountingEmbedder extends Embedder {
  calls: number;
  texts: string[];
  reset(): void;
}

export function countingEmbedder(dimensions = 512): CountingEmbedder {
  const inner = createOfflineEmbedder(dimensions);
  const counting: CountingEmbedder = {
    id: inner.id,
    dimensions: inner.dimensions,
    calls: 0,
    texts: [],
    embed: (texts) => {
      counting.calls += 1;
      counting.texts.push(...texts);
      return inner.embed(texts);
    },
    reset: () => {
      counting.calls = 0;
      counting.texts = [];
    },
  };
  return counting;
}

/** `ask` over a built index, without an LLM. */
export async function askOver(
  indexDir: string,
  embedder: Embedder = createOfflineEmbedder(),
): Promise<StreamingAsk> {
  const retriever = new Retriever(await loadIndex(indexDir, embedder), embedder);
  return createAsk({ retriever: () => retriever });
}
