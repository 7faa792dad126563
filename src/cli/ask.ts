import { Command } from "commander";
import { renderText } from "../bot/render-text.js";
import { openEngine } from "../engine.js";
import { run, setup } from "./setup.js";

const program = new Command()
  .name("ask")
  .description("Answer one question about the episode, with quotes.")
  .argument("<question...>", "the question")
  .option("--json", "print the Answer as JSON", false)
  .option("-k, --limit <n>", "passages to return", "3")
  .option("--no-llm", "answer with quotes alone, even when an LLM is configured")
  .parse();

const options = program.opts<{ json: boolean; limit: string; llm: boolean }>();

run(async () => {
  const { config, log } = setup();
  const engine = await openEngine(options.llm ? config : { ...config, llm: undefined }, log);
  const answer = await engine.ask({
    text: program.args.join(" "),
    user: "cli",
    limit: Number(options.limit) || 3,
  });
  process.stdout.write(options.json ? `${JSON.stringify(answer, null, 2)}\n` : `${renderText(answer)}\n`);
});
