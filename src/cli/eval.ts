import { readFile } from "node:fs/promises";
import { Command } from "commander";
import type { Answer } from "../answer/types.js";
import { openEngine } from "../engine.js";
import { AppError } from "../errors.js";
import { firstHitRank, type QaItem, summarise, summariseByStyle } from "../eval/score.js";
import { run, setup } from "./setup.js";

const program = new Command()
  .name("eval")
  .description("Run a question set through ask and print retrieval and abstention figures.")
  .requiredOption("--qa <file>", "question set, JSON Lines (see eval/README.md)")
  .option("--json", "print one JSON object and nothing else on stdout", false)
  .option("--k <n>", "passages kept per question", "10")
  .option("--verbose", "print each question's outcome", false)
  .parse();

const options = program.opts<{ qa: string; json: boolean; k: string; verbose: boolean }>();

async function readQa(file: string): Promise<QaItem[]> {
  const raw = await readFile(file, "utf8").catch((error: Error) => {
    throw new AppError("E_EVAL_FILE", `${file}: cannot read the question set (${error.message}).`);
  });
  return raw
    .split("\n")
    .map((line, i) => ({ line: line.trim(), number: i + 1 }))
    .filter(({ line }) => line !== "")
    .map(({ line, number }) => {
      let item: Partial<QaItem>;
      try {
        item = JSON.parse(line) as Partial<QaItem>;
      } catch {
        throw new AppError("E_EVAL_FILE", `${file}:${number}: not valid JSON.`);
      }
      // A missing field would otherwise surface as a TypeError deep inside ask or the scoring.
      const bad = [
        typeof item.id !== "string" && "id",
        typeof item.question !== "string" && "question",
        typeof item.answerable !== "boolean" && "answerable",
        !Array.isArray(item.evidence) && "evidence",
      ].filter(Boolean);
      if (bad.length > 0) {
        throw new AppError(
          "E_EVAL_FILE",
          `${file}:${number}: missing or invalid ${bad.join(", ")} (see eval/README.md).`,
        );
      }
      return { kind: "", speaker: null, ...item } as QaItem;
    });
}

function parseK(value: string): number {
  const k = Number(value);
  if (!Number.isInteger(k) || k < 1)
    throw new AppError("E_USAGE", `--k must be a whole number of at least 1.`);
  return k;
}

run(async () => {
  const { config, log } = setup();
  const k = parseK(options.k);
  const items = await readQa(options.qa);
  const engine = await openEngine(config, { log });
  // One warm-up question so the first measured one does not pay for lazy start-up work.
  await engine.ask({ text: "warm up", limit: k });
  const answers: Answer[] = [];
  const latencies: number[] = [];
  for (const item of items) {
    const started = performance.now();
    answers.push(await engine.ask({ text: item.question, limit: k, conversation: item.conversation }));
    latencies.push(performance.now() - started);
  }
  const summary = summarise(items, answers, latencies);
  // Archive sets mark how each question is asked; the weak kind must stay visible.
  const byStyle = summariseByStyle(items, answers, latencies);
  if (options.json) {
    const results = items.map((item, i) => {
      const answer = answers[i] as Answer;
      return {
        id: item.id,
        question: item.question,
        status: answer.status,
        latencyMs: Math.round((latencies[i] as number) * 100) / 100,
        passages: answer.passages.slice(0, k).map((p) => ({
          text: p.text,
          quote: p.quote,
          speaker: p.speaker,
          role: p.role,
          start: p.start,
          end: p.end,
          score: p.score,
        })),
      };
    });
    process.stdout.write(`${JSON.stringify({ summary, ...(byStyle.length ? { byStyle } : {}), results })}\n`);
    return;
  }
  if (options.verbose) {
    items.forEach((item, i) => {
      const answer = answers[i] as Answer;
      const rank = item.answerable ? (firstHitRank(item, answer) ?? "-") : "";
      process.stdout.write(
        `${item.id} ${item.kind.padEnd(10)} ${item.style ? `${item.style.padEnd(10)} ` : ""}${answer.status.padEnd(9)} rank=${String(rank).padEnd(2)} ${item.question}\n`,
      );
    });
  }
  const pct = (n: number) => `${(n * 100).toFixed(1)}%`;
  process.stdout.write(
    [
      `questions: ${items.length} (${items.filter((i) => i.answerable).length} answerable)`,
      `hit@1 ${pct(summary.hitAt1)}  hit@3 ${pct(summary.hitAt3)}  hit@5 ${pct(summary.hitAt5)}  MRR ${summary.mrr.toFixed(3)}`,
      `answered ${pct(summary.answered)}  offtopic refused ${pct(summary.offtopicRefused)}  near-miss honest ${pct(summary.nearMissHonest)}`,
      `latency p50 ${summary.p50Ms.toFixed(2)} ms  p95 ${summary.p95Ms.toFixed(2)} ms`,
      ...byStyle.map(
        ({ style, questions, summary: s }) =>
          `style ${style.padEnd(10)} (${questions} answerable): hit@1 ${pct(s.hitAt1)}  hit@3 ${pct(s.hitAt3)}  hit@5 ${pct(s.hitAt5)}  MRR ${s.mrr.toFixed(3)}  answered ${pct(s.answered)}`,
      ),
    ]
      .join("\n")
      .concat("\n"),
  );
});
