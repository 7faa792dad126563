import { spawn } from "node:child_process";
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createOfflineEmbedder } from "../../src/embeddings/offline.js";
import type { Embedder } from "../../src/embeddings/types.js";
import { type BuildResult, buildIndex } from "../../src/retrieval/index/build.js";

/** Shared set-up for tests that need the real corpus, a built index or a CLI run in a child process. */

export const REPO = fileURLToPath(new URL("../../", import.meta.url));
export const CORPUS_DIR = join(REPO, "corpus");
export const TRANSCRIPT = join(CORPUS_DIR, "serverless-chats-065.txt");
export const META = join(CORPUS_DIR, "serverless-chats-065.meta.json");
export const EPISODE_ID = "serverless-chats-065";
const TSX = join(REPO, "node_modules", ".bin", "tsx");
/** For `node --import`: runs TypeScript in the very process spawned (the tsx CLI adds a second one). */
export const TSX_LOADER = pathToFileURL(join(REPO, "node_modules", "tsx", "dist", "loader.mjs")).href;

/** A fresh folder under the system temp dir; remove it with `removeDir`. */
export function makeTempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `${prefix}-`));
}

export function removeDir(dir: string | undefined): Promise<void> {
  return dir ? rm(dir, { recursive: true, force: true }) : Promise.resolve();
}

/** Copies the bundled corpus into `dir` (so a test can change it without touching the real one). */
export async function copyCorpus(dir: string): Promise<string> {
  await cp(CORPUS_DIR, dir, { recursive: true });
  return dir;
}

/** Builds an index of `corpusDir` (default: the bundled corpus) with the offline embedder. */
export function buildTestIndex(
  indexDir: string,
  options: { corpusDir?: string; embedder?: Embedder; force?: boolean; strict?: boolean } = {},
): Promise<BuildResult> {
  return buildIndex({
    corpusDir: options.corpusDir ?? CORPUS_DIR,
    indexDir,
    embedder: options.embedder ?? createOfflineEmbedder(),
    force: options.force,
    strict: options.strict,
  });
}

/**
 * The environment for a child process: this process's, minus every chat or LLM
 * setting (a developer's real tokens must never reach a test), plus `extra`.
 * EMBEDDER is always offline so nothing can reach a model hub.
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(SLACK_|DISCORD_|OPENAI_|LLM_)/.test(key)) continue;
    // Vitest's own variables would make a child think it is a test worker.
    if (/^(VITEST|TEST$|NODE_OPTIONS$)/.test(key)) continue;
    env[key] = value;
  }
  return { ...env, EMBEDDER: "offline", LOG_FORMAT: "json", NO_COLOR: "1", ...extra };
}

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string>;
  /** Written to the child's stdin, which is then closed. */
  input?: string;
  /**
   * Working directory: a test's own temp folder, not the checkout, so a
   * developer's `.env` there cannot leak settings into the run.
   */
  cwd: string;
}

/** Runs a TypeScript entry point of the project (path relative to the repo) with tsx, as `npm run` does. */
export function runTs(script: string, args: string[], options: RunOptions): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [join(REPO, script), ...args], {
      cwd: options.cwd,
      env: cleanEnv(options.env),
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}
