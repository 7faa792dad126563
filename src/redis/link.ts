import { Redis } from "ioredis";
import type { Config } from "../config.js";
import { describeError } from "../errors.js";
import type { RedisStatus } from "../health/status.js";
import type { Logger } from "../logger.js";

export type RedisSettings = NonNullable<Config["redis"]>;

/** How long start-up waits for the first connection before going on without Redis for now. */
const FIRST_CONNECTION_MS = 5_000;
/** Reconnection delays grow by this much per attempt, up to the cap: Redis is back within seconds of returning. */
const RETRY_STEP_MS = 100;
const RETRY_CAP_MS = 2_000;

/**
 * One connection to Redis for every kind of shared state, and the one place
 * that decides what happens when Redis fails: `run` answers from this
 * process's memory instead (the bot keeps answering), counts the error, and
 * logs the change once — one line when Redis is lost, one when it is back,
 * never one per message. The client reconnects by itself.
 */
export class RedisLink {
  readonly client: Redis;
  private up = false;
  /** Whether the loss was logged since Redis was last up (or since start). */
  private lossLogged = false;
  private everUp = false;
  private commandErrors = 0;
  private connectionErrors = 0;
  private closing = false;

  constructor(
    private readonly settings: RedisSettings,
    private readonly log: Logger,
  ) {
    this.client = new Redis(settings.url, {
      // A command is never queued while Redis is away: it fails at once and is answered from memory.
      enableOfflineQueue: false,
      commandTimeout: settings.timeoutMs,
      connectTimeout: Math.max(settings.timeoutMs, 1_000),
      maxRetriesPerRequest: 1,
      retryStrategy: (attempt) => Math.min(attempt * RETRY_STEP_MS, RETRY_CAP_MS),
      connectionName: "quotebot",
    });
    this.client.on("ready", () => this.markUp());
    // Emitted on every failed (re)connection attempt; without a listener ioredis prints each one.
    this.client.on("error", (error: unknown) => {
      this.connectionErrors += 1;
      this.markDown(error);
    });
    this.client.on("close", () => {
      if (!this.closing) this.markDown(new Error("connection closed"));
    });
  }

  /** The key `name` under this bot's prefix. */
  key(name: string): string {
    return `${this.settings.prefix}${name}`;
  }

  /** Waits until Redis is connected, or for the first failure, or a few seconds; true when connected. */
  async firstConnection(): Promise<boolean> {
    if (!this.ready()) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.client.off("ready", done);
          this.client.off("error", done);
          resolve();
        };
        const timer = setTimeout(done, FIRST_CONNECTION_MS);
        this.client.once("ready", done);
        this.client.once("error", done);
      });
    }
    if (!this.ready()) this.markDown(new Error(`not connected at start (${this.client.status})`));
    return this.ready();
  }

  private ready(): boolean {
    return this.client.status === "ready";
  }

  /**
   * Runs `command` on Redis; when it fails or takes longer than REDIS_TIMEOUT_MS, counts the
   * error and answers with `fallback` (this process's memory) instead.
   */
  async run<T>(command: (redis: Redis) => Promise<T>, fallback: () => T | Promise<T>): Promise<T> {
    let value: T;
    try {
      value = await command(this.client);
    } catch (error) {
      this.commandErrors += 1;
      this.markDown(error);
      return fallback();
    }
    if (this.ready()) this.markUp();
    return value;
  }

  status(): RedisStatus {
    return {
      connected: this.up,
      commandErrors: this.commandErrors,
      connectionErrors: this.connectionErrors,
    };
  }

  async close(): Promise<void> {
    this.closing = true;
    try {
      if (this.ready()) {
        await this.client.quit();
        return;
      }
    } catch {
      // Lost while quitting: nothing left to say goodbye to.
    }
    this.client.disconnect();
  }

  private markUp(): void {
    if (this.up) return;
    this.up = true;
    this.lossLogged = false;
    const { host, port } = this.client.options;
    this.log.info(
      { host, port },
      this.everUp
        ? "Redis reachable again: shared state is back in Redis"
        : "Redis connected: de-duplication, conversations, limits, stored answers and feedback are shared",
    );
    this.everUp = true;
  }

  private markDown(error: unknown): void {
    if (this.closing) return;
    this.up = false;
    if (this.lossLogged) return;
    this.lossLogged = true;
    const { host, port } = this.client.options;
    this.log.warn(
      { host, port, err: describeError(error) },
      "Redis unavailable: de-duplication, conversations, limits and stored answers use this process's memory, and feedback goes to FEEDBACK_LOG, until it is back (check REDIS_URL and the server)",
    );
  }
}
