import { parseArgs } from "node:util";
import { renderText } from "../bot/render-text.js";
import { openEngine } from "../engine.js";
import { AppError } from "../errors.js";
import { run, setup } from "./setup.js";

// Node's own argument parser, not commander: `ask` is the command people time with a stopwatch,
// and commander costs about 30 ms of its start-up for three options.
const USAGE = `Usage: ask [options] <question...>

Answer one question about the episode, with quotes.

Options:
  --json           print the Answer as JSON
  -k, --limit <n>  passages to return (default: 3)
  --no-llm         answer with quotes alone, even when an LLM is configured
  -h, --help       show this help`;

interface AskOptions {
  question: string;
  json: boolean;
  limit: number;
  llm: boolean;
}

function parse(argv: string[]): AskOptions | "help" {
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(argv);
  } catch (error) {
    throw new AppError("E_USAGE", `${(error as Error).message}\n\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) return "help";
  const question = positionals.join(" ").trim();
  if (question === "") throw new AppError("E_USAGE", `Give a question to answer.\n\n${USAGE}`);
  const limit = values.limit === undefined ? 3 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1)
    throw new AppError(
      "E_USAGE",
      `--limit takes a whole number of passages, 1 or more (got "${values.limit}").`,
    );
  return { question, json: values.json === true, limit, llm: values["no-llm"] !== true };
}

function parseOptions(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: "boolean" },
      limit: { type: "string", short: "k" },
      "no-llm": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
}

run(async () => {
  const options = parse(process.argv.slice(2));
  if (options === "help") {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const { config, log } = setup();
  const engine = await openEngine(options.llm ? config : { ...config, llm: undefined }, { log });
  const answer = await engine.ask({ text: options.question, user: "cli", limit: options.limit });
  process.stdout.write(options.json ? `${JSON.stringify(answer, null, 2)}\n` : `${renderText(answer)}\n`);
});
