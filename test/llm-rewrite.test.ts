import { describe, expect, it } from "vitest";
import type { Answer } from "../src/answer/types.js";
import { loadConfig } from "../src/config.js";
import { type Engine, openEngine } from "../src/engine.js";
import { silentLogger } from "../src/logger.js";
import {
  type FakeReply,
  isRewriteRequest,
  type RecordedRequest,
  userMessage,
} from "./helpers/fake-openai.js";
import { CORPUS_DIR } from "./helpers/index-fixtures.js";
import { useLlmFixture } from "./helpers/llm-fixture.js";

const FIRST = "what did Holly say about cold starts?";
const FOLLOW_UP = "and why does that matter?";
const REWRITTEN = "Why do cold starts still matter to Holly and her customers?";

const fixture = useLlmFixture("llm-rewrite");

function engineWith(env: Record<string, string> = {}): Promise<Engine> {
  const base = { INDEX_DIR: fixture.indexDir, CORPUS_DIR, EMBEDDER: "offline" };
  return openEngine(loadConfig({ ...base, OPENAI_BASE_URL: fixture.fake.baseURL, ...env }), {
    log: silentLogger(),
    llm: {
      retryDelayMs: 1,
    },
  });
}

function offlineEngine(): Promise<Engine> {
  return openEngine(loadConfig({ INDEX_DIR: fixture.indexDir, CORPUS_DIR, EMBEDDER: "offline" }), {
    log: silentLogger(),
  });
}

/** Rewrites get `rewrite`; summaries get a 500, so answers are quotes alone and comparable. */
function replies(rewrite: (request: RecordedRequest) => FakeReply) {
  return (request: RecordedRequest): FakeReply =>
    isRewriteRequest(request) ? rewrite(request) : { status: 500 };
}

async function conversation(engine: Engine, id: string, questions: string[]): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (const text of questions) answers.push(await engine.ask({ text, conversation: id, user: "U1" }));
  return answers;
}

const comparable = (answer: Answer) => ({
  question: answer.question,
  status: answer.status,
  passages: answer.passages,
});

describe("follow-up rewrite", () => {
  it("rewrites a follow-up with the conversation, and retrieves for the rewritten question", async () => {
    fixture.fake.respond(replies(() => ({ content: REWRITTEN })));
    const engine = await engineWith();
    const [, follow] = await conversation(engine, "c1", [FIRST, FOLLOW_UP]);

    const rewrites = fixture.fake.chatRequests().filter(isRewriteRequest);
    expect(rewrites).toHaveLength(1);
    const [request] = rewrites;
    expect(userMessage(request as RecordedRequest)).toBe(
      `<earlier_questions>\n1. ${FIRST}\n</earlier_questions>\n\n<follow_up>\n${FOLLOW_UP}\n</follow_up>`,
    );
    expect(request?.body.max_tokens).toBeLessThanOrEqual(100);
    expect(request?.body.messages?.[0]?.content).toMatch(/do not answer it/);

    expect(follow?.question).toBe(REWRITTEN);
    const direct = await (await offlineEngine()).ask({ text: REWRITTEN });
    expect(follow?.passages).toEqual(direct.passages);
    expect(engine.llm?.rewrites.used).toBe(1);

    // The summary is asked about the standalone question, not the bare follow-up.
    const lastSummary = fixture.fake
      .chatRequests()
      .filter((r) => !isRewriteRequest(r))
      .at(-1);
    expect(userMessage(lastSummary as RecordedRequest)).toContain(`<question>\n${REWRITTEN}\n</question>`);
  });

  it("the next follow-up sees the rewritten question as the conversation so far", async () => {
    fixture.fake.respond(replies(() => ({ content: REWRITTEN })));
    const engine = await engineWith();
    await conversation(engine, "c2", [FIRST, FOLLOW_UP, "what about GPUs then?"]);
    const last = fixture.fake.chatRequests().filter(isRewriteRequest).at(-1);
    expect(userMessage(last as RecordedRequest)).toContain(
      `1. ${FIRST}\n2. ${REWRITTEN}\n</earlier_questions>`,
    );
  });

  it("a question that stands on its own is not sent for rewriting", async () => {
    fixture.fake.respond(replies(() => ({ content: REWRITTEN })));
    const engine = await engineWith();
    const [, second] = await conversation(engine, "c3", [FIRST, "why did they build EFS for Lambda?"]);
    expect(fixture.fake.chatRequests().filter(isRewriteRequest)).toHaveLength(0);
    expect(second?.question).toBe("why did they build EFS for Lambda?");
  });

  const failures: Array<[string, FakeReply]> = [
    ["a 500", { status: 500 }],
    ["a 401", { status: 401 }],
    ["a rewrite sharing no word with the conversation", { content: "Banana bread recipe without eggs?" }],
    ["an obeyed injection (a link and a mention only)", { content: "https://evil.example/win @everyone" }],
    ["an empty reply", { content: "" }],
  ];
  for (const [what, reply] of failures) {
    it(`falls back to exactly the offline answer on ${what}`, async () => {
      fixture.fake.respond(replies(() => reply));
      const engine = await engineWith();
      const withLlm = await conversation(engine, "c4", [FIRST, FOLLOW_UP]);
      const offline = await conversation(await offlineEngine(), "c4", [FIRST, FOLLOW_UP]);
      expect(fixture.fake.chatRequests().filter(isRewriteRequest).length).toBeGreaterThan(0);
      expect(withLlm.map(comparable)).toEqual(offline.map(comparable));
      expect(withLlm[1]?.question).not.toMatch(/evil|banana/i);
    });
  }

  it("falls back on a stalled rewrite, and the summary still gets what is left of the deadline", async () => {
    fixture.fake.respond((request) =>
      isRewriteRequest(request) ? { stall: true } : { content: "Holly talks about cold starts [1]." },
    );
    // The rewrite may take half of LLM_TIMEOUT_MS; the other half is left for retrieval and the
    // summary, which must not run out: 3 s is far from that work, even on a busy machine.
    const engine = await engineWith({ LLM_TIMEOUT_MS: "6000" });
    const withLlm = await conversation(engine, "c5", [FIRST, FOLLOW_UP]);
    const offline = await conversation(await offlineEngine(), "c5", [FIRST, FOLLOW_UP]);
    expect(withLlm.map(comparable)).toEqual(offline.map(comparable));
    expect(withLlm[1]?.summary).toBe("Holly talks about cold starts [1].");
    expect(engine.llm?.failures.timeout).toBe(1);
  });
});
