import { type Config, loadConfig } from "../config.js";
import { AppError, describeError, isAppError } from "../errors.js";
import { createLogger, type Logger } from "../logger.js";

/**
 * Reads `./.env` if there is one, with Node's own parser (the dotenv package cost every command
 * about 20 ms of start-up). A variable already set in the environment wins over the file.
 */
function loadEnvFile(): void {
  try {
    process.loadEnvFile();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw new AppError(
      "E_ENV_FILE",
      `.env: cannot read it (${describeError(error)}). Fix or remove the file.`,
    );
  }
}

/** Reads `.env` and the config, and makes the logger. */
export function setup(overrides: Partial<NodeJS.ProcessEnv> = {}): { config: Config; log: Logger } {
  loadEnvFile();
  const config = loadConfig({ ...process.env, ...overrides });
  const log = createLogger({ level: config.log.level, format: config.log.format, secrets: config.secrets });
  return { config, log };
}

/**
 * Runs a command's main function: a failure prints its code and message (no stack) and exits 1.
 * A reader that stops reading (`npm run eval -- --verbose | head`) wants no more output, so a
 * closed stdout ends the command quietly instead of with an EPIPE stack.
 */
export function run(main: () => Promise<void>): void {
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    process.exit(0);
  });
  main().catch((error: unknown) => {
    const text = isAppError(error)
      ? `error ${describeError(error)}`
      : `unexpected error: ${describeError(error)}`;
    process.stderr.write(`${text}\n`);
    if (!isAppError(error) && process.env.LOG_LEVEL === "debug" && error instanceof Error) {
      process.stderr.write(`${error.stack}\n`);
    }
    process.exitCode = 1;
  });
}
