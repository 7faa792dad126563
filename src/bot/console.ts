import { createInterface } from "node:readline";
import type { Answer, StreamingAsk } from "../answer/types.js";
import { describeError } from "../errors.js";
import type { Logger } from "../logger.js";
import { APOLOGY } from "./answer-flow.js";
import { renderAfterQuotes, renderText } from "./render-text.js";

export interface ConsoleOptions {
  ask: StreamingAsk;
  log: Logger;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  /** Show a prompt and a greeting (when a person is typing, not when input is piped). */
  interactive?: boolean;
}

/**
 * The terminal chat: one question per line, one conversation for the session.
 * Works with piped input too: answers every line, then resolves at end of input.
 */
export function runConsole(options: ConsoleOptions): Promise<void> {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const interactive = options.interactive ?? (process.stdin.isTTY === true && input === process.stdin);
  const rl = createInterface({ input, output: interactive ? output : undefined, terminal: interactive });
  const conversation = `console-${process.pid}`;
  if (interactive) {
    output.write("Ask about the episode (Ctrl-D to quit). Try: what did Holly say about cold starts?\n");
    rl.setPrompt("> ");
    rl.prompt();
  }
  // Lines are answered one at a time, in order, even when piped in faster than answered.
  let queue = Promise.resolve();
  rl.on("line", (line) => {
    queue = queue.then(async () => {
      if (line.trim() !== "") {
        try {
          // With an LLM, the quotes are printed as soon as they are found and the summary after them.
          let quotes: Answer | undefined;
          const answer = await options.ask({
            text: line,
            user: "console",
            conversation,
            platform: "console",
            onQuotes: (early) => {
              quotes = early;
              output.write(`${renderText(early)}\n\n`);
            },
          });
          if (!quotes) output.write(`${renderText(answer)}\n\n`);
          else if (answer !== quotes) output.write(`${renderAfterQuotes(answer)}\n\n`);
        } catch (error) {
          options.log.error({ err: describeError(error) }, "question failed");
          output.write(`${APOLOGY}\n\n`);
        }
      }
      if (interactive) rl.prompt();
    });
  });
  return new Promise((resolve) => {
    rl.on("close", () => {
      void queue.then(() => resolve());
    });
  });
}
