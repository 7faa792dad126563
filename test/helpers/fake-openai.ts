import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A fake OpenAI-compatible server on 127.0.0.1 (an ephemeral port) for tests
 * that drive the real `openai` client: `POST /v1/chat/completions`, answered
 * plainly or as a server-sent-event stream (whichever the request asks for),
 * with replies the test chooses, and every request recorded as received.
 */

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body (or the raw text when it was not JSON). */
  body: ChatBody;
}

export interface ChatBody {
  model?: string;
  messages?: Array<{ role: string; content: string }>;
  max_tokens?: number;
  stream?: boolean;
  [key: string]: unknown;
}

export type FakeReply =
  /** A completion with this text: JSON, or SSE chunks when the request has `stream: true`. */
  | { content: string }
  /** An HTTP error with an OpenAI-style error body (or `body` as given). */
  | { status: number; body?: unknown; headers?: Record<string, string> }
  /** Headers (and `partial` text, when streaming) sent, then nothing more until the test ends. */
  | { stall: true; partial?: string }
  /** A 200 whose body is this text as is (e.g. broken JSON). */
  | { raw: string };

export type Responder = (request: RecordedRequest, index: number) => FakeReply | Promise<FakeReply>;

export interface FakeOpenAI {
  /** The base URL to give the client, ending in /v1. */
  baseURL: string;
  requests: RecordedRequest[];
  /** Chat-completion requests only. */
  chatRequests(): RecordedRequest[];
  /**
   * Resolves once `count` chat requests have arrived (at once if they already have), with them;
   * rejects naming `what` after `timeoutMs`, a bound on a stuck test, not a deadline raced.
   */
  waitForChatRequests(count: number, what?: string, timeoutMs?: number): Promise<RecordedRequest[]>;
  respond(responder: Responder): void;
  close(): Promise<void>;
}

function completion(body: ChatBody, content: string) {
  return {
    id: "chatcmpl-fake",
    object: "chat.completion",
    created: 1_700_000_000,
    model: body.model ?? "fake",
    choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop", logprobs: null }],
    usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
  };
}

function chunk(body: ChatBody, delta: Record<string, string>, finish: string | null) {
  return `data: ${JSON.stringify({
    id: "chatcmpl-fake",
    object: "chat.completion.chunk",
    created: 1_700_000_000,
    model: body.model ?? "fake",
    choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
  })}\n\n`;
}

function startStream(res: ServerResponse): void {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  res.flushHeaders();
}

function send(res: ServerResponse, body: ChatBody, reply: FakeReply): void {
  if ("stall" in reply) {
    if (body.stream) {
      startStream(res);
      if (reply.partial) res.write(chunk(body, { role: "assistant", content: reply.partial }, null));
    } else {
      res.writeHead(200, { "content-type": "application/json" });
      res.flushHeaders();
    }
    return;
  }
  if ("raw" in reply) {
    res.writeHead(200, { "content-type": "application/json" }).end(reply.raw);
    return;
  }
  if ("status" in reply) {
    const error = reply.body ?? {
      error: { message: `fake error ${reply.status}`, type: "fake_error", code: null, param: null },
    };
    res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
    res.end(JSON.stringify(error));
    return;
  }
  if (!body.stream) {
    res
      .writeHead(200, { "content-type": "application/json" })
      .end(JSON.stringify(completion(body, reply.content)));
    return;
  }
  startStream(res);
  res.write(chunk(body, { role: "assistant", content: "" }, null));
  // Small pieces, split inside words, as real servers send them.
  for (let i = 0; i < reply.content.length; i += 7) {
    res.write(chunk(body, { content: reply.content.slice(i, i + 7) }, null));
  }
  res.write(chunk(body, {}, "stop"));
  res.end("data: [DONE]\n\n");
}

/** Starts the fake; by default every completion says "fake summary [1]". */
export async function startFakeOpenAI(responder?: Responder): Promise<FakeOpenAI> {
  const requests: RecordedRequest[] = [];
  const chatRequests = () => requests.filter((r) => r.path === "/v1/chat/completions");
  // Checked on every request that arrives: a test waits for the request itself, not for a sleep.
  const waiters = new Set<() => void>();
  let current: Responder = responder ?? (() => ({ content: "fake summary [1]" }));
  const server = createServer((req, res) => {
    let raw = "";
    req.setEncoding("utf8");
    req.on("data", (piece: string) => {
      raw += piece;
    });
    req.on("end", () => {
      let body: ChatBody;
      try {
        body = JSON.parse(raw) as ChatBody;
      } catch {
        body = { raw };
      }
      const recorded: RecordedRequest = {
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        body,
      };
      requests.push(recorded);
      for (const check of [...waiters]) check();
      if (req.method !== "POST" || req.url !== "/v1/chat/completions") {
        res.writeHead(404, { "content-type": "application/json" }).end('{"error":{"message":"not found"}}');
        return;
      }
      const index = chatRequests().length - 1;
      Promise.resolve(current(recorded, index)).then(
        (reply) => send(res, body, reply),
        () => res.writeHead(500).end(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    chatRequests,
    waitForChatRequests(count, what = `${count} LLM request(s)`, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${what} (${chatRequests().length} arrived)`));
        }, timeoutMs);
        const check = () => {
          if (chatRequests().length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(chatRequests());
        };
        waiters.add(check);
        check();
      });
    },
    respond(next) {
      current = next;
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Whether a recorded request asks for a follow-up rewrite (else it asks for a summary). */
export function isRewriteRequest(request: RecordedRequest): boolean {
  return request.body.messages?.[0]?.content.includes("standalone question") ?? false;
}

/** The user message of a recorded request: the data the model was given. */
export function userMessage(request: RecordedRequest): string {
  return request.body.messages?.find((m) => m.role === "user")?.content ?? "";
}

/** The passages numbered in a summary request, in order ([1] first), as the model saw them. */
export function promptPassages(request: RecordedRequest): string[] {
  const block = /<passages>\n([\s\S]*)\n<\/passages>/.exec(userMessage(request))?.[1] ?? "";
  return block
    .split(/\n\n(?=\[\d+\] )/)
    .map((entry) => entry.replace(/^\[\d+\] [^\n]*\n/, ""))
    .filter((text) => text !== "");
}

/** The speakers of the passages numbered in a summary request, in order ([1] first). */
export function promptSpeakers(request: RecordedRequest): string[] {
  return [...userMessage(request).matchAll(/^\[\d+\] (.+) \((?:host|guest|notes)\):$/gm)].map(
    (m) => m[1] ?? "",
  );
}

/** A sentence of passage `n` (1-based) of a summary request, quotable word for word (double quotes removed). */
export function sentenceOf(request: RecordedRequest, n = 1): string {
  const text = promptPassages(request)[n - 1] ?? "";
  const sentence = text.split(/(?<=[.!?])\s+/).find((s) => s.split(" ").length >= 5) ?? text;
  return sentence.replace(/["“”]/g, "");
}

/** A grounded reply: quotes a sentence of passage 1, gives it to its speaker (first name) and cites it. */
export function quotingReply(request: RecordedRequest): FakeReply {
  const speaker = promptSpeakers(request)[0]?.split(" ")[0];
  return { content: `${speaker} said "${sentenceOf(request)}" [1].` };
}

/**
 * Makes `fake` answer every chat request with `content(first quoted sentence)`, but only once the
 * returned function is called: a test sees what the bot does while the model is still writing.
 */
export function holdReplies(fake: FakeOpenAI, content: (sentence: string) => string): () => void {
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  fake.respond(async (request) => {
    await released;
    return { content: content(sentenceOf(request)) };
  });
  return release;
}
