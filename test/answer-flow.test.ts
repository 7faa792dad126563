import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import type { Answer, StreamingAsk, StreamingAskInput } from "../src/answer/types.js";
import {
  APOLOGY,
  answerQuestion,
  type ChatReply,
  type FlowDeps,
  PASSAGES_FETCHED,
  QUOTES_PER_PAGE,
  type ReplyTarget,
} from "../src/bot/answer-flow.js";
import { MemoryQuoteStore } from "../src/bot/quote-store.js";
import { createLogger } from "../src/logger.js";

// The shared answer flow through a plain in-memory target: the fault paths the chats' wire
// tests do not reach (a failed edit, a failed early post, a reply too big to go out early).

function answerWith(passages: number, summary?: string): Answer {
  return {
    status: "answered",
    question: "cold starts?",
    ...(summary === undefined ? {} : { summary }),
    passages: Array.from({ length: passages }, (_, i) => ({
      id: `p${i}`,
      text: "…",
      quote: `Quote ${i}`,
      speaker: "Holly Mesrobian",
      role: "guest" as const,
      episode: { id: "e", title: "Episode", url: "https://example.com/e" },
      start: 0,
      end: 1,
      timestamp: null,
      score: 1,
    })),
  };
}

/** An `ask` that shows the quotes early (as with an LLM) and then returns them with a summary. */
function summarisingAsk(asked: StreamingAskInput[]): StreamingAsk {
  return async (input) => {
    asked.push(input);
    const quotes = answerWith(PASSAGES_FETCHED);
    input.onQuotes?.(quotes);
    return { ...quotes, summary: "Holly said so [1]." };
  };
}

interface Sent {
  op: "post" | "edit";
  reply: ChatReply;
}

/** A target that records what it was asked to send, failing the operations listed in `fail`. */
function memoryTarget(options: { fail?: Array<"post" | "edit">; replaceable?: boolean } = {}) {
  const sent: Sent[] = [];
  const fail = [...(options.fail ?? [])];
  const attempt = (op: "post" | "edit", reply: ChatReply) => {
    if (fail[0] === op) {
      fail.shift();
      throw new Error(`${op} refused`);
    }
    sent.push({ op, reply });
  };
  const target: ReplyTarget<number> = {
    post: async (reply) => {
      attempt("post", reply);
      return sent.length;
    },
    edit: async (_posted, reply) => attempt("edit", reply),
    replaceable: () => options.replaceable ?? true,
    apologiseAfter: () => true,
  };
  return { target, sent };
}

function flow(ask: StreamingAsk) {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const quotes = new MemoryQuoteStore();
  const deps: FlowDeps = {
    ask,
    log: createLogger({ level: "debug", format: "json", destination }),
    quotes,
    platform: "test",
  };
  return { deps, quotes, logs: () => lines.join("") };
}

const QUESTION = { text: "cold starts?", user: "U1", conversation: "c1" };

describe("the chat answer flow", () => {
  it("posts the quotes early, edits the summary into them, and stores one answer for the buttons", async () => {
    const asked: StreamingAskInput[] = [];
    const { deps, quotes } = flow(summarisingAsk(asked));
    const { target, sent } = memoryTarget();
    await answerQuestion(deps, QUESTION, target);

    expect(asked[0]).toMatchObject({ limit: PASSAGES_FETCHED, platform: "test", conversation: "c1" });
    expect(sent.map((s) => s.op)).toEqual(["post", "edit"]);
    const [early, edited] = sent.map((s) => s.reply);
    expect(early).toMatchObject({ kind: "answer", from: 0, to: QUOTES_PER_PAGE });
    expect(edited?.kind === "answer" && edited.answer.summary).toBe("Holly said so [1].");
    const key = early?.kind === "answer" ? early.key : undefined;
    expect(edited?.kind === "answer" && edited.key).toBe(key);
    expect(quotes.size).toBe(1);
    expect((await quotes.get(key ?? ""))?.answer.summary).toBe("Holly said so [1].");
  });

  it("leaves the posted quotes standing when the summary cannot be edited in", async () => {
    const { deps, logs } = flow(summarisingAsk([]));
    const { target, sent } = memoryTarget({ fail: ["edit"] });
    await answerQuestion(deps, QUESTION, target);

    expect(sent.map((s) => s.op)).toEqual(["post"]);
    expect(logs()).toContain("could not add the summary to the posted quotes");
    expect(logs()).not.toContain(APOLOGY);
  });

  it("posts the whole answer once when the early quotes could not be posted", async () => {
    const { deps, logs } = flow(summarisingAsk([]));
    const { target, sent } = memoryTarget({ fail: ["post"] });
    await answerQuestion(deps, QUESTION, target);

    expect(sent.map((s) => s.op)).toEqual(["post"]);
    expect(sent[0]?.reply.kind === "answer" && sent[0].reply.answer.summary).toBe("Holly said so [1].");
    expect(logs()).toContain("could not post the quotes ahead of the summary");
  });

  it("holds quotes that one edit could not replace until the summary is in", async () => {
    const { deps } = flow(summarisingAsk([]));
    const { target, sent } = memoryTarget({ replaceable: false });
    await answerQuestion(deps, QUESTION, target);

    expect(sent.map((s) => s.op)).toEqual(["post"]);
    expect(sent[0]?.reply.kind === "answer" && sent[0].reply.answer.summary).toBe("Holly said so [1].");
  });

  it("apologises once when answering fails, and logs why", async () => {
    const { deps, logs, quotes } = flow(async () => {
      throw new Error("the index exploded");
    });
    const { target, sent } = memoryTarget();
    await answerQuestion(deps, QUESTION, target);

    expect(sent).toEqual([{ op: "post", reply: { kind: "notice", text: APOLOGY } }]);
    expect(logs()).toContain("test question failed");
    expect(logs()).toContain("the index exploded");
    expect(quotes.size).toBe(0);
  });
});
