import { join } from "node:path";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { type Config, loadConfig } from "../../src/config.js";
import { type FakeOpenAI, startFakeOpenAI } from "./fake-openai.js";
import { buildTestIndex, CORPUS_DIR, makeTempDir, removeDir } from "./index-fixtures.js";

/** What the LLM test files share: a built index in a temp folder and a fake OpenAI server. */
export interface LlmFixture {
  readonly tempDir: string;
  readonly indexDir: string;
  readonly fake: FakeOpenAI;
}

/**
 * Registers the hooks (build the index once, start the fake, clear its recorded
 * requests before each test, clean up) and returns the fixture, filled in by `beforeAll`.
 */
export function useLlmFixture(name: string): LlmFixture {
  const state = {} as { tempDir: string; indexDir: string; fake: FakeOpenAI };
  beforeAll(async () => {
    state.tempDir = await makeTempDir(name);
    state.indexDir = join(state.tempDir, "index");
    await buildTestIndex(state.indexDir);
    state.fake = await startFakeOpenAI();
  });
  afterAll(async () => {
    await state.fake?.close();
    await removeDir(state.tempDir);
  });
  beforeEach(() => {
    state.fake.requests.length = 0;
  });
  return state;
}

/** The config of an engine over the fixture's index that asks the fixture's fake model, plus `env`. */
export function llmConfig(fixture: LlmFixture, env: Record<string, string> = {}): Config {
  return loadConfig({
    INDEX_DIR: fixture.indexDir,
    CORPUS_DIR,
    EMBEDDER: "offline",
    OPENAI_BASE_URL: fixture.fake.baseURL,
    LLM_TIMEOUT_MS: "10000",
    ...env,
  });
}
