import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";

/**
 * A deterministic stand-in for an OpenAI-compatible server, for running the
 * bot and `npm run eval` through the LLM paths without a model:
 *   - a follow-up rewrite is answered with the previous question followed by the follow-up;
 *   - a summary quotes the first sentence of passage 1 and cites it: `Holly said "…" [1].`
 * It listens on 127.0.0.1 only, needs no key, and counts what it was asked
 * (`GET /stats`, and a line on stderr when it stops).
 *
 *   npx tsx scripts/llm-standin.ts [--port 8787]
 *   OPENAI_BASE_URL=http://127.0.0.1:8787/v1 npm run eval -- --qa eval/dev.jsonl
 */

interface Message {
  role: string;
  content: string;
}

export interface StandInStats {
  rewrites: number;
  summaries: number;
  other: number;
}

export interface StandIn {
  baseURL: string;
  stats: StandInStats;
  close(): Promise<void>;
}

const MAX_QUOTED_WORDS = 20;

function between(text: string, tag: string): string {
  return new RegExp(`<${tag}>\\n([\\s\\S]*?)\\n</${tag}>`).exec(text)?.[1]?.trim() ?? "";
}

/** "previous question + follow-up", from the numbered earlier questions and the follow-up. */
export function standInRewrite(user: string): string {
  const earlier = between(user, "earlier_questions").split("\n").at(-1) ?? "";
  const previous = earlier.replace(/^\d+\.\s*/, "");
  return `${previous} ${between(user, "follow_up")}`.replace(/\s+/g, " ").trim();
}

/** A one-sentence summary quoting passage 1 word for word and citing it. */
export function standInSummary(user: string): string {
  const first = between(user, "passages").split(/\n\n(?=\[\d+\] )/)[0] ?? "";
  const speaker = /^\[1\] ([^(\n]+?) \(/.exec(first)?.[1] ?? "The speaker";
  const text = first.replace(/^\[1\][^\n]*\n/, "").replace(/["“”]/g, "");
  const sentences = text.split(/(?<=[.!?])\s+/);
  const sentence = sentences.find((s) => s.split(/\s+/).length >= 4) ?? sentences[0] ?? "";
  const quote = sentence.split(/\s+/).slice(0, MAX_QUOTED_WORDS).join(" ");
  return quote === "" ? "NOT_ANSWERED" : `${speaker} said "${quote}" [1].`;
}

function reply(messages: Message[], stats: StandInStats): string {
  const system = messages.find((m) => m.role === "system")?.content ?? "";
  const user = messages.find((m) => m.role === "user")?.content ?? "";
  if (system.includes("standalone question")) {
    stats.rewrites += 1;
    return standInRewrite(user);
  }
  if (user.includes("<passages>")) {
    stats.summaries += 1;
    return standInSummary(user);
  }
  stats.other += 1;
  return "NOT_ANSWERED";
}

function completionBody(model: string, content: string, stream: boolean): string {
  const base = { id: "chatcmpl-standin", created: 0, model };
  if (!stream) {
    const choice = {
      index: 0,
      message: { role: "assistant", content },
      finish_reason: "stop",
      logprobs: null,
    };
    return JSON.stringify({ ...base, object: "chat.completion", choices: [choice] });
  }
  const event = (delta: object, finish: string | null) =>
    `data: ${JSON.stringify({ ...base, object: "chat.completion.chunk", choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  return `${event({ role: "assistant", content }, null)}${event({}, "stop")}data: [DONE]\n\n`;
}

function handle(server: Server, stats: StandInStats): void {
  server.on("request", (req, res) => {
    let raw = "";
    req.setEncoding("utf8");
    req.on("data", (piece: string) => {
      raw += piece;
    });
    req.on("end", () => {
      if (req.method === "GET" && req.url === "/stats") {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(stats));
        return;
      }
      if (req.method !== "POST" || req.url !== "/v1/chat/completions") {
        res.writeHead(404, { "content-type": "application/json" }).end('{"error":{"message":"not found"}}');
        return;
      }
      let body: { model?: string; messages?: Message[]; stream?: boolean };
      try {
        body = JSON.parse(raw);
      } catch {
        res.writeHead(400, { "content-type": "application/json" }).end('{"error":{"message":"bad JSON"}}');
        return;
      }
      const content = reply(body.messages ?? [], stats);
      const stream = body.stream === true;
      res.writeHead(200, { "content-type": stream ? "text/event-stream" : "application/json" });
      res.end(completionBody(body.model ?? "standin", content, stream));
    });
  });
}

/** Starts the stand-in on 127.0.0.1 (`port` 0 picks a free one). */
export async function startStandIn(port = 0): Promise<StandIn> {
  const stats: StandInStats = { rewrites: 0, summaries: 0, other: 0 };
  const server = createServer();
  handle(server, stats);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  const address = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${address.port}/v1`,
    stats,
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const flag = process.argv.indexOf("--port");
  const port = flag >= 0 ? Number(process.argv[flag + 1]) : 8787;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    process.stderr.write("error: --port must be a port number\n");
    process.exit(1);
  }
  const standIn = await startStandIn(port);
  process.stderr.write(`LLM stand-in listening: OPENAI_BASE_URL=${standIn.baseURL}\n`);
  const stop = () => {
    process.stderr.write(`stand-in served ${JSON.stringify(standIn.stats)}\n`);
    void standIn.close().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
