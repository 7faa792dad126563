import { Presets, SingleBar } from "cli-progress";
import { Command } from "commander";
import { run, setup } from "../src/cli/setup.js";
import { embedderForBuild } from "../src/embeddings/select.js";
import { buildIndex } from "../src/retrieval/build.js";

const program = new Command()
  .name("build-index")
  .description("Parse the corpus, chunk it, embed it and publish the index.")
  .option("--corpus <dir>", "corpus folder (default: CORPUS_DIR or corpus)")
  .option("--out <dir>", "index folder (default: INDEX_DIR or index)")
  .option("--embedder <kind>", "auto | offline | transformers (default: EMBEDDER or auto)")
  .option("--force", "rebuild even when nothing changed", false)
  .parse();

const options = program.opts<{ corpus?: string; out?: string; embedder?: string; force: boolean }>();

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
    `  passages:  ${m.passageCount}`,
    `  embedder:  ${m.embedder.id} (${m.embedder.dimensions} dimensions)`,
    `  time:      ${result.built ? `${m.buildMs} ms` : `0 ms (built ${m.builtAt} in ${m.buildMs} ms)`}`,
    `  size:      ${(result.totalBytes / 1024).toFixed(1)} KiB`,
  ];
  process.stdout.write(`${summary.join("\n")}\n`);
});
