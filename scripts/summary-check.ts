import { fileURLToPath } from "node:url";
import { Command } from "commander";
import { run, setup } from "../src/cli/setup.js";
import { openEngine } from "../src/engine.js";
import {
  type CaseOutcome,
  keptByKind,
  REPLY_FILES,
  readSummaryCheckSet,
  runSummaryCheckSet,
} from "../src/eval/summary-check.js";

/**
 * `npx tsx scripts/summary-check.ts [--verbose] [--json]`: how many replies of each kind
 * (faithful, changed number, swapped speaker, added claim, instruction) the summary check
 * keeps, over the test set in test/fixtures/summary-check. Uses the index in INDEX_DIR (built
 * from CORPUS_DIR when missing) for related words and the episodes' speakers, as the bot does.
 */

const program = new Command()
  .option(
    "--dir <dir>",
    "the test set",
    fileURLToPath(new URL("../test/fixtures/summary-check", import.meta.url)),
  )
  .option("--verbose", "print every reply with what the check said")
  .option("--json", "print the counts as JSON")
  .parse();
const options = program.opts<{ dir: string; verbose?: boolean; json?: boolean }>();

run(async () => {
  const { config, log } = setup();
  const engine = await openEngine(config, { log });
  const { index } = engine.retriever;
  // Every reply is over the bundled episode: what the bot knows of it goes with each check.
  const sources = {
    related: index.lexical.related,
    information: index.lexical.information,
    people: index.episodes.flatMap((episode) => Object.values(episode.speakers)),
    context: index.episodes.flatMap((episode) => [episode.title, episode.show]),
  };
  const report: Record<string, ReturnType<typeof keptByKind>> = {};
  const all: CaseOutcome[] = [];
  for (const file of REPLY_FILES) {
    const outcomes = runSummaryCheckSet(await readSummaryCheckSet(options.dir, file), sources);
    report[file] = keptByKind(outcomes);
    all.push(...outcomes);
    if (options.verbose && !options.json) {
      for (const o of outcomes) {
        const verdict = o.kept ? "KEPT   " : "DROPPED";
        process.stdout.write(
          `${verdict} ${o.kind.padEnd(15)} ${o.set.padEnd(20)} ${o.reason ?? ""} ${o.detail ?? ""}\n  ${o.reply}\n`,
        );
      }
    }
  }
  report.all = keptByKind(all);
  if (options.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else {
    for (const [name, counts] of Object.entries(report)) {
      process.stdout.write(`${name}\n`);
      for (const [kind, { kept, total }] of Object.entries(counts)) {
        process.stdout.write(`  ${kind.padEnd(16)} kept ${String(kept).padStart(2)} of ${total}\n`);
      }
    }
  }
  await engine.close();
});
