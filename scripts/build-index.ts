import { Presets, SingleBar } from "cli-progress";
import { Command } from "commander";
import { run, setup } from "../src/cli/setup.js";
import { describeProblem, describeRepair } from "../src/corpus/problems.js";
import { embedderForBuild } from "../src/embeddings/select.js";
import { type BuildResult, buildIndex } from "../src/retrieval/index/build.js";

const program = new Command()
  .name("build-index")
  .description("Parse the corpus, chunk it, embed it and publish the index.")
  .option("--corpus <dir>", "corpus folder (default: CORPUS_DIR or corpus)")
  .option("--out <dir>", "index folder (default: INDEX_DIR or index)")
  .option("--embedder <kind>", "auto | offline | transformers (default: EMBEDDER or auto)")
  .option("--force", "rebuild, embedding every episode again, even when nothing changed", false)
  .option("--strict", "stop at the first bad file instead of leaving it out of the index", false)
  .option("--split-min <n>", "split a full build's vectors in two segments from this many passages", "20000")
  .parse();

const options = program.opts<{
  corpus?: string;
  out?: string;
  embedder?: string;
  force: boolean;
  strict: boolean;
  splitMin: string;
}>();

run(async () => {
  const { config, log } = setup(options.embedder ? { EMBEDDER: options.embedder } : {});
  const corpusDir = options.corpus ?? config.corpusDir;
  const indexDir = options.out ?? config.indexDir;
  const embedder = await embedderForBuild(config.embedder, log);
  const bar = process.stderr.isTTY
    ? new SingleBar(
        { format: "embedding {bar} {value}/{total} passages", stream: process.stderr },
        Presets.shades_classic,
      )
    : null;
  let started = false;
  const result = await buildIndex({
    corpusDir,
    indexDir,
    embedder,
    force: options.force,
    strict: options.strict,
    splitMin: Number(options.splitMin),
    onProgress: (done, total) => {
      if (!bar) return;
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.update(done);
    },
  }).finally(() => {
    // Also on failure: a bar left running would swallow the error line that follows.
    if (started) bar?.stop();
  });
  const m = result.manifest;
  const summary = [
    result.built ? `built ${indexDir}` : `${indexDir} is up to date (corpus unchanged; --force rebuilds)`,
    `  episodes:  ${m.episodes}`,
    ...changeLines(result),
    ...skippedLines(result),
    ...repairedLines(result),
    `  passages:  ${m.passageCount}`,
    ...(result.built ? [`  embedded:  ${result.embedded ?? 0} passages`] : []),
    `  embedder:  ${m.embedder.id} (${m.embedder.dimensions} dimensions)`,
    `  time:      ${result.built ? `${m.buildMs} ms` : `0 ms (built ${m.builtAt} in ${m.buildMs} ms)`}`,
    ...(result.timings
      ? [
          `             read ${result.timings.readMs} ms, embed ${result.timings.embedMs} ms, lexical ${result.timings.lexicalMs} ms, then waited ${result.timings.vectorWaitMs} ms for the vector graphs, write ${result.timings.writeMs} ms`,
        ]
      : []),
    `  size:      ${(result.totalBytes / 1024).toFixed(1)} KiB`,
  ];
  process.stdout.write(`${summary.join("\n")}\n`);
});

/**
 * Every file left out, one line each with its path, line and reason: an archive
 * may hold hundreds of episodes, and none may go missing without a word.
 */
function skippedLines(result: BuildResult): string[] {
  const skipped = result.skipped;
  if (skipped.length === 0) return [`  skipped:   0`];
  return [
    `  skipped:   ${skipped.length} (left out of the index; fix them and build again, or use --strict to stop at the first)`,
    ...skipped.map((problem) => `    ${describeProblem(problem)}`),
  ];
}

/**
 * Every transcript imported without a few stray control characters, one line each with its path,
 * lines and the characters removed: a repair is made, never silently.
 */
function repairedLines(result: BuildResult): string[] {
  const repaired = result.repaired;
  if (repaired.length === 0) return [`  repaired:  0`];
  return [
    `  repaired:  ${repaired.length} (stray control characters removed; the rest of the file was imported)`,
    ...repaired.map((repair) => `    ${describeRepair(repair)}`),
  ];
}

/** At most this many episode ids are listed per kind of change; the rest are counted. */
const MAX_LISTED = 20;

function listed(ids: string[]): string {
  const shown = ids.slice(0, MAX_LISTED).join(", ");
  return ids.length > MAX_LISTED ? `${shown} … and ${ids.length - MAX_LISTED} more` : shown;
}

/** "added: 1 (ep-a)" and so on; kept episodes are counted, not listed (an archive keeps hundreds). */
function changeLines(result: BuildResult): string[] {
  const c = result.changes;
  if (!c) return [];
  const lines = [
    `  added:     ${c.added.length}${c.added.length ? ` (${listed(c.added)})` : ""}`,
    `  changed:   ${c.changed.length}${c.changed.length ? ` (${listed(c.changed)})` : ""}`,
    `  removed:   ${c.removed.length}${c.removed.length ? ` (${listed(c.removed)})` : ""}`,
    `  kept:      ${c.kept.length} (stored passages and embeddings reused)`,
  ];
  if (c.rebuilt.length > 0) {
    const why = result.reuseSkipped ?? "--force";
    lines.push(`  re-embedded unchanged: ${c.rebuilt.length} (${why})`);
  }
  return lines;
}
