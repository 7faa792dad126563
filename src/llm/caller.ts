import type OpenAI from "openai";
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  RateLimitError,
} from "openai";
import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import type { Logger } from "../logger.js";
import type { CircuitBreaker } from "./breaker.js";
import { pause } from "./deadline.js";
import type { RateLimiter } from "./rate-limit.js";
import type { FailureKind, LlmStats, SkipKind } from "./stats.js";

/** One chat completion wanted by the summarizer or the rewriter. */
export interface ChatCall {
  purpose: "summary" | "rewrite";
  messages: ChatCompletionMessageParam[];
  maxTokens: number;
  /** Counts against the per-user limit. */
  user?: string;
  /** Aborts the call; carries the caller's deadline. */
  signal: AbortSignal;
  /** When given, the reply is streamed and this sees the text so far after each piece. */
  onText?: (soFar: string) => void;
}

export type ChatOutcome = { ok: true; text: string } | { ok: false; reason: FailureKind | SkipKind };

export interface CallerOptions {
  client: OpenAI;
  model: string;
  /** Server host, for log lines. */
  host: string;
  log: Logger;
  stats: LlmStats;
  breaker: CircuitBreaker;
  limiter: RateLimiter;
  /**
   * Calls waiting for the server at once; past it a call is skipped (the
   * answer keeps its quotes alone), so a slow model holds a bounded number of
   * requests however many questions come.
   */
  maxInFlight: number;
  /** Wait before the one retry; short, since the deadline keeps running. */
  retryDelayMs?: number;
}

const RETRYABLE = new Set<FailureKind>(["server", "throttled", "network"]);

class BadResponse extends Error {}

function classify(error: unknown, signal: AbortSignal): FailureKind {
  if (signal.aborted || error instanceof APIUserAbortError || error instanceof APIConnectionTimeoutError)
    return "timeout";
  if (error instanceof AuthenticationError) return "auth";
  if (error instanceof RateLimitError) return "throttled";
  if (error instanceof APIConnectionError) return "network";
  if (error instanceof APIError && typeof error.status === "number")
    return error.status >= 500 ? "server" : "client";
  return "bad_response";
}

/**
 * The one way out to the LLM server: refuses calls while the key is known to
 * be wrong, while the circuit breaker is open or past a rate limit; retries a
 * 5xx, a 429 or a dropped connection once while the deadline allows; counts
 * and logs every outcome. Never throws. Logs carry the status and kind of a
 * failure, never the server's error text, which can echo part of the key.
 */
export class LlmCaller {
  private disabled = false;
  private waiting = 0;

  constructor(private readonly options: CallerOptions) {}

  /** False once the server rejected the key: nothing more is sent until restart. */
  get enabled(): boolean {
    return !this.disabled;
  }

  async complete(call: ChatCall): Promise<ChatOutcome> {
    const { breaker, limiter } = this.options;
    if (this.disabled) return this.skip("disabled");
    // Before the breaker and the rate limit, which a call that is not sent must not use up.
    if (this.waiting >= this.options.maxInFlight) return this.skip("busy");
    if (!breaker.tryAcquire()) return this.skip("breaker_open");
    if (!(await limiter.tryTake(call.user))) {
      breaker.release();
      return this.skip("rate_limited");
    }
    this.waiting += 1;
    try {
      return await this.send(call);
    } finally {
      this.waiting -= 1;
    }
  }

  /** Sends a call the breaker and the limits let through, with its one retry. */
  private async send(call: ChatCall): Promise<ChatOutcome> {
    const { stats, breaker, log } = this.options;
    // Once streamed text was shown, a retry would show a second, different answer.
    let streamed = false;
    const watched: ChatCall = call.onText
      ? {
          ...call,
          onText: (soFar) => {
            streamed = true;
            call.onText?.(soFar);
          },
        }
      : call;
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0) {
        stats.retries += 1;
        await pause(this.options.retryDelayMs ?? 200, call.signal);
        if (call.signal.aborted) {
          breaker.release();
          return { ok: false, reason: "timeout" };
        }
      }
      stats.requests += 1;
      try {
        const text = await this.request(watched);
        breaker.success();
        return { ok: true, text };
      } catch (error) {
        const kind = classify(error, call.signal);
        stats.failures[kind] += 1;
        if (kind === "auth") {
          this.disable();
          breaker.release();
          return { ok: false, reason: kind };
        }
        const opened = breaker.failure();
        if (opened) stats.breakerOpened += 1;
        const retry = RETRYABLE.has(kind) && attempt === 0 && !opened && !streamed && !call.signal.aborted;
        log.warn(
          {
            purpose: call.purpose,
            reason: kind,
            status: error instanceof APIError ? error.status : undefined,
          },
          `LLM ${call.purpose} call failed (${kind})${retry ? ", retrying once" : ""}`,
        );
        if (opened)
          log.warn({ host: this.options.host }, "LLM circuit breaker open: answering with quotes alone");
        if (!retry) return { ok: false, reason: kind };
      }
    }
  }

  private skip(reason: SkipKind): ChatOutcome {
    this.options.stats.skipped[reason] += 1;
    this.options.log.debug({ reason }, "LLM call skipped");
    return { ok: false, reason };
  }

  private disable(): void {
    if (this.disabled) return;
    this.disabled = true;
    this.options.log.error(
      { host: this.options.host, status: 401 },
      "the LLM server rejected the API key (401): LLM summaries are off until restart; check OPENAI_API_KEY",
    );
  }

  private async request(call: ChatCall): Promise<string> {
    const body = {
      model: this.options.model,
      messages: call.messages,
      max_tokens: call.maxTokens,
      temperature: 0,
    };
    const options = { signal: call.signal, maxRetries: 0 };
    let text: string | null | undefined;
    if (call.onText) {
      const stream = await this.options.client.chat.completions.create({ ...body, stream: true }, options);
      text = "";
      for await (const chunk of stream) {
        const piece = chunk.choices?.[0]?.delta?.content;
        if (!piece) continue;
        text += piece;
        call.onText(text);
      }
      // The SDK ends a stream quietly when its signal aborts: that is our deadline, not the reply's end.
      if (call.signal.aborted) throw new APIUserAbortError();
    } else {
      const completion = await this.options.client.chat.completions.create(body, options);
      text = completion.choices?.[0]?.message?.content;
    }
    if (typeof text !== "string" || text.trim() === "") throw new BadResponse("no message content");
    return text;
  }
}
