import { Command } from "commander";
import { run, setup } from "../src/cli/setup.js";
import { openEngine } from "../src/engine.js";
import { AppError } from "../src/errors.js";
import { RedisClaims } from "../src/redis/claims.js";
import { RedisConversations } from "../src/redis/conversations.js";
import { createRedisFeedbackLog } from "../src/redis/feedback.js";
import { RedisLink } from "../src/redis/link.js";
import { RedisQuoteStore } from "../src/redis/quote-store.js";
import { RedisRateWindows } from "../src/redis/rate-windows.js";
import { RATE_WINDOW } from "../src/shared-state.js";

/**
 * Measures what the bot's shared state costs in Redis: `--threads` Slack
 * threads, each with `--questions` questions answered by the real engine over
 * INDEX_DIR (six passages fetched per answer, as the chat flow does), written
 * through the real stores exactly as the bot writes them — a claim per event
 * and per message, the conversation, every answer kept for its buttons, the
 * asker's rate window, one vote. Reports Redis's `used_memory` before and
 * after, per 1,000 threads, then deletes what it wrote (its own key prefix).
 *
 *   REDIS_URL=redis://127.0.0.1:6379 npm run redis-memory -- --threads 1000 --questions 3
 */

const program = new Command()
  .name("redis-memory")
  .description("Measure Redis memory per 1,000 active threads.")
  .option("--threads <n>", "active threads to simulate", "1000")
  .option("--questions <n>", "questions asked in each thread", "3")
  .parse();
const options = program.opts<{ threads: string; questions: string }>();

const QUESTIONS = [
  "what did Holly say about cold starts?",
  "why?",
  "what about provisioned concurrency?",
  "how do they test Lambda at scale?",
  "and Firecracker?",
];

async function usedMemory(link: RedisLink): Promise<number> {
  const info = await link.client.info("memory");
  return Number(/^used_memory:(\d+)/m.exec(info)?.[1]);
}

run(async () => {
  const { config, log } = setup();
  if (!config.redis) throw new AppError("E_CONFIG", "set REDIS_URL to the Redis server to measure");
  const threads = Number(options.threads);
  const questions = Number(options.questions);
  const prefix = `quotebot-measure-${process.pid}:`;
  const link = new RedisLink({ ...config.redis, prefix }, log);
  if (!(await link.firstConnection())) throw new AppError("E_REDIS", "cannot reach REDIS_URL");
  const engine = await openEngine(config, { log });
  const claims = new RedisClaims(link);
  const conversations = new RedisConversations(link);
  const quotes = new RedisQuoteStore(link);
  const windows = new RedisRateWindows(link, RATE_WINDOW);
  const feedback = createRedisFeedbackLog(link, { record: async () => undefined });
  // The answers first, so only what Redis holds is measured.
  const answers = [];
  for (const text of QUESTIONS.slice(0, questions)) {
    answers.push(await engine.ask({ text, limit: 6, conversation: "measure" }));
  }

  const before = await usedMemory(link);
  for (let t = 0; t < threads; t++) {
    const channel = `C${String(t % 50).padStart(8, "0")}`;
    const threadTs = `1700000000.${String(t).padStart(6, "0")}`;
    const conversation = `slack:${channel}:${threadTs}`;
    const user = `U${String(t).padStart(9, "0")}`;
    let key = "";
    for (const [q, answer] of answers.entries()) {
      await claims.claim(`slack:event:Ev${t}x${q}0000000000`);
      await claims.claim(`slack:message:${channel}:1700000000.${String(t * 10 + q).padStart(7, "0")}`);
      await windows.take([{ key: `ask:slack:${user}`, limit: 10 }]);
      await conversations.add(conversation, { question: QUESTIONS[q] ?? "", standalone: answer.question });
      // The chat flow keeps every answer that has quotes, for its buttons.
      if (answer.status !== "not_found") {
        key = await quotes.put({ answer, question: QUESTIONS[q] ?? "", conversation, shown: 3 });
      }
    }
    await quotes.swapVote(key, user, "up");
    await feedback.record({
      platform: "slack",
      user,
      question: QUESTIONS[0] ?? "",
      conversation,
      passages: answers[0]?.passages.slice(0, 3).map((p) => p.id) ?? [],
      vote: "up",
    });
  }
  const after = await usedMemory(link);
  const status = link.status();

  // Leave the server as it was.
  let cursor = "0";
  do {
    const [next, keys] = await link.client.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
    if (keys.length > 0) await link.client.del(...keys);
    cursor = next;
  } while (cursor !== "0");
  await link.close();
  await engine.close();

  const perThousand = ((after - before) / threads) * 1000;
  const answerBytes = answers.map((answer) => JSON.stringify(answer).length);
  console.log(
    JSON.stringify(
      {
        threads,
        questionsPerThread: questions,
        passagesPerAnswer: answers.map((answer) => answer.passages.length),
        answerJsonBytes: answerBytes,
        usedMemoryBefore: before,
        usedMemoryAfter: after,
        bytesPerThousandThreads: Math.round(perThousand),
        mbPerThousandThreads: Number((perThousand / 1e6).toFixed(2)),
        redisErrors: status.commandErrors,
      },
      null,
      2,
    ),
  );
});
