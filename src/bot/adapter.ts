/** A chat platform's side of the bot, as the composition root (src/main.ts) starts and stops it. */
export interface ChatAdapter {
  /** "slack" or "discord": the key in `/healthz` and in log lines. */
  readonly name: string;
  /** Connects (or starts listening); rejects with an AppError that says what to change. */
  start(): Promise<void>;
  /** Stops taking questions, then waits a bounded time for the answers in progress. */
  stop(): Promise<void>;
  /** Started, not stopping, and reachable by the platform; for `/healthz`. */
  isConnected(): boolean;
}
