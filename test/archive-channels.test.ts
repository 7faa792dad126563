import { cp, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createAsk } from "../src/answer/ask.js";
import { checkChannelScopes, resolveScopeName, scopeChoices } from "../src/answer/scope-names.js";
import type { AskInput, StreamingAsk } from "../src/answer/types.js";
import { createDiscordAdapter, type DiscordAdapter } from "../src/bot/discord/adapter.js";
import { createFeedbackLog } from "../src/bot/feedback.js";
import { renderText } from "../src/bot/render-text.js";
import { createSlackAdapter, type SlackAdapter } from "../src/bot/slack/adapter.js";
import { loadConfig } from "../src/config.js";
import type { EpisodeMeta } from "../src/corpus/types.js";
import { createOfflineEmbedder } from "../src/embeddings/offline.js";
import { isAppError } from "../src/errors.js";
import { silentLogger } from "../src/logger.js";
import { loadIndex } from "../src/retrieval/index/storage.js";
import { Retriever } from "../src/retrieval/retriever.js";
import { CHANGELOG_DIR } from "./archive-fixtures.js";
import { startBotProcess } from "./helpers/bot-process.js";
import { botConfig, FakeDiscord, IDS, type RecordedRequest } from "./helpers/fake-discord.js";
import {
  BOT_USER_ID,
  eventCallback,
  FakeSlack,
  type SlackCall,
  sendCommand,
  sendEvent,
} from "./helpers/fake-slack.js";
import { buildTestIndex, CORPUS_DIR, makeTempDir, removeDir } from "./helpers/index-fixtures.js";

/**
 * Channels and `/ask` scoped to one show of an archive, and answers quoting several episodes,
 * over the cut Changelog episodes (in their show folders) and the bundled episode beside them.
 */

/** Asked of Go Time #100 ("what it was like in the early days") and Founders Talk #76 ("those early days at DigitalOcean"). */
const EARLY_DAYS = "what was it like in the early days?";
/** Asked of Go Time #100 ("the 100th episode") and Changelog News #100 ("my 100th edition"). */
const CELEBRATE = "how did you celebrate the 100th episode?";
/** Founders Talk #76's title, from a sidecar: a real title does not say the show and number. */
const FOUNDERS_TITLE = "Marketing DigitalOcean with Mitch Wainer";
const FOUNDERS_NAME = `Founders Talk #76: ${FOUNDERS_TITLE}`;

let root: string;
let indexDir: string;
let ask: StreamingAsk;
let episodes: () => readonly EpisodeMeta[];

beforeAll(async () => {
  root = await makeTempDir("archive-channels");
  const corpus = join(root, "corpus");
  await mkdir(corpus, { recursive: true });
  await cp(CHANGELOG_DIR, corpus, { recursive: true });
  await cp(CORPUS_DIR, corpus, { recursive: true });
  // Show names that are not their folders' (so a channel can name either), and links at a time.
  await writeFile(
    join(corpus, "gotime", "show.json"),
    JSON.stringify({ name: "Go Time", episodeUrl: "https://changelog.com/gotime/{number}" }),
  );
  await writeFile(
    join(corpus, "founderstalk", "show.json"),
    JSON.stringify({ name: "Founders Talk", episodeUrl: "https://changelog.com/founderstalk/{number}" }),
  );
  // A name that is not its folder's spelt otherwise: a channel or an asker may write either.
  await writeFile(join(corpus, "news", "show.json"), JSON.stringify({ name: "Changelog News" }));
  await writeFile(
    join(corpus, "founderstalk", "founders-talk-76.meta.json"),
    JSON.stringify({ title: FOUNDERS_TITLE }),
  );
  indexDir = join(root, "index");
  await buildTestIndex(indexDir, { corpusDir: corpus });
  const embedder = createOfflineEmbedder();
  const retriever = new Retriever(await loadIndex(indexDir, embedder), embedder);
  ask = createAsk({ retriever: () => retriever });
  episodes = () => retriever.index.episodes;
}, 60_000);

afterAll(() => removeDir(root));

const episodesOf = (passages: Array<{ episode: { id: string } }>) => [
  ...new Set(passages.map((p) => p.episode.id)),
];

describe("the corpus the tests ask", () => {
  it("answers the early days from Go Time and Founders Talk, and the 100th from Go Time and the news, when nothing narrows them", async () => {
    const early = await ask({ text: EARLY_DAYS, limit: 6 });
    expect(episodesOf(early.passages.slice(0, 3)).sort()).toEqual(["founders-talk-76", "go-time-100"]);
    const hundredth = await ask({ text: CELEBRATE, limit: 6 });
    expect(episodesOf(hundredth.passages).sort()).toEqual(["changelog-news-100", "go-time-100"]);
  });
});

describe("naming a show or an episode", () => {
  const resolve = (name: string, channel?: { shows?: string[]; episodes?: string[] }) =>
    resolveScopeName(name, episodes(), channel);

  it("finds a show by its folder or its name, in any case and spacing, and an episode by id or title", () => {
    for (const name of ["gotime", "Go Time", "GO-TIME"]) {
      expect(resolve(name)).toEqual({ scope: { episodes: ["go-time-100"], askedFor: "Go Time" } });
    }
    expect(resolve("founders-talk-76")).toEqual({
      scope: { episodes: ["founders-talk-76"], askedFor: FOUNDERS_NAME },
    });
    expect(resolve("news")).toEqual({
      scope: { episodes: ["changelog-news-100"], askedFor: "Changelog News" },
    });
    expect(resolve("Changelog News #100")).toEqual({
      scope: { episodes: ["changelog-news-100"], askedFor: "Changelog News #100" },
    });
  });

  it("says what there is when the name is unknown, or outside the channel's scope", () => {
    expect(resolve("gotme")).toEqual({
      problem:
        'There is no show or episode called "gotme" in the archive. The shows: Serverless Chats, Founders Talk, Go Time, Changelog News (news). An episode is named by its id, e.g. serverless-chats-065.',
    });
    expect(resolve("founderstalk", { shows: ["gotime"] })).toEqual({
      problem: 'This channel only covers the show "Go Time"; Founders Talk cannot be asked about here.',
    });
    // Narrowing within the channel's scope is fine.
    expect(resolve("go-time-100", { shows: ["Go Time"] })).toMatchObject({
      scope: { episodes: ["go-time-100"] },
    });
  });

  it("offers the shows, then the episodes, whose names hold what is typed, within the channel's scope", () => {
    expect(scopeChoices("go", episodes(), undefined, 25)).toEqual([
      { name: "Go Time", value: "gotime" },
      { name: "Go Time #100", value: "go-time-100" },
    ]);
    expect(scopeChoices("", episodes(), { shows: ["gotime"] }, 25)).toEqual([
      { name: "Go Time", value: "gotime" },
      { name: "Go Time #100", value: "go-time-100" },
    ]);
  });

  it("refuses at start-up a CHANNEL_SCOPES entry the index does not hold, listing the shows", () => {
    expect(() => checkChannelScopes({ C0GOTIME01: { shows: ["gotime"] } }, episodes())).not.toThrow();
    let error: unknown;
    try {
      checkChannelScopes(
        { C0GOTIME01: { shows: ["gotme"] }, C0GOTIME02: { episodes: ["gotime", "xoxb-secret-token"] } },
        episodes(),
        ["xoxb-secret-token"],
      );
    } catch (caught) {
      error = caught;
    }
    expect(isAppError(error, "E_CONFIG")).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain(
      'CHANNEL_SCOPES pins channel C0GOTIME01 to the show "gotme", which the index does not hold',
    );
    expect(message).toContain(
      'CHANNEL_SCOPES pins channel C0GOTIME02 to the episode "gotime", which the index does not hold; to pin the whole show, write C0GOTIME02=show:gotime',
    );
    expect(message).toContain("The shows: Serverless Chats, Founders Talk, Go Time, Changelog News (news).");
    expect(message).not.toContain("xoxb-secret-token");
  });
});

describe("Slack", () => {
  const SECRET = "signing-secret-for-tests-0123456789";
  const BOT_TOKEN = "xoxb-1111-2222-channelstesttoken";
  let fake: FakeSlack;
  let adapter: SlackAdapter | undefined;

  afterEach(async () => {
    await adapter?.stop();
    adapter = undefined;
    await fake.close();
  });

  /** The bot, with C0GOTIME01 pinned to Go Time and C0NEWS0001 to Changelog News, by their folders' names. */
  async function start(asked: AskInput[]): Promise<string> {
    fake = await FakeSlack.start({ botToken: BOT_TOKEN });
    const config = loadConfig({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: fake.apiUrl,
      PORT: "0",
      CHANNEL_SCOPES: "C0GOTIME01=show:gotime,C0NEWS0001=show:news",
    });
    if (!config.slack) throw new Error("no slack config");
    adapter = createSlackAdapter({
      config: config.slack,
      ask: (input) => {
        asked.push(input);
        return ask(input);
      },
      episodes,
      log: silentLogger(),
      feedbackLog: createFeedbackLog(join(root, "feedback.jsonl")),
      host: "127.0.0.1",
    });
    await adapter.start();
    return `http://127.0.0.1:${adapter.port}/slack/events`;
  }

  const quotes = (call: SlackCall | undefined) =>
    ((call?.params.blocks as Array<{ block_id?: string; text?: { text: string } }>) ?? [])
      .filter((b) => b.block_id?.startsWith("quote_"))
      .map((b) => b.text?.text ?? "");
  const notice = (call: SlackCall | undefined) =>
    (call?.params.blocks as Array<{ block_id?: string; text?: { text: string } }>)?.find(
      (b) => b.block_id === "notice",
    )?.text?.text;

  const mention = (url: string, channel: string, question: string, ts: string) =>
    sendEvent(
      url,
      SECRET,
      eventCallback(
        { type: "app_mention", user: "U0HUMAN01", text: `<@${BOT_USER_ID}> ${question}`, ts, channel },
        `Ev${ts}`,
      ),
    );
  const posted = (channel: string) =>
    fake.callsTo("chat.postMessage").find((c) => c.params.channel === channel);

  const command = (url: string, text: string, channel = "C0ELSEWHERE") =>
    sendCommand(url, SECRET, {
      text,
      user_id: "U0HUMAN01",
      channel_id: channel,
      response_url: fake.responseUrl(),
    });

  it("answers in a channel pinned to a show (by its folder) only from that show", async () => {
    const asked: AskInput[] = [];
    const url = await start(asked);
    await mention(url, "C0NEWS0001", CELEBRATE, "1700000000.000001");
    await mention(url, "C0ELSEWHERE", CELEBRATE, "1700000000.000002");
    await fake.waitFor(() => fake.callsTo("chat.postMessage").length === 2, "both replies");

    expect(asked.map((a) => a.scope)).toEqual([{ shows: ["news"] }, undefined]);
    const pinned = quotes(posted("C0NEWS0001"));
    expect(pinned.length).toBeGreaterThan(0);
    // One episode: named by its title alone, as before; untimed and without a URL, so no link.
    for (const quote of pinned) expect(quote).toMatch(/— \*Jerod Santo\* \(host\) · Changelog News #100$/);
    expect(quotes(posted("C0ELSEWHERE")).some((q) => q.includes("Go Time #100"))).toBe(true);
  });

  it("names each quote's episode, show and number, in an answer from several, and links each at its time", async () => {
    const url = await start([]);
    await mention(url, "C0ELSEWHERE", EARLY_DAYS, "1700000000.000003");
    await mention(url, "C0GOTIME01", EARLY_DAYS, "1700000000.000004");
    await fake.waitFor(() => fake.callsTo("chat.postMessage").length === 2, "both replies");

    const several = quotes(posted("C0ELSEWHERE"));
    const founders = several.filter((q) => q.includes("founderstalk"));
    const goTime = several.filter((q) => q.includes("gotime"));
    expect(founders.length).toBeGreaterThan(0);
    expect(goTime.length).toBeGreaterThan(0);
    for (const quote of founders) {
      expect(quote).toMatch(
        new RegExp(`<https://changelog\\.com/founderstalk/76#t=\\d+\\|${FOUNDERS_NAME}> · at \\d+:\\d\\d$`),
      );
    }
    for (const quote of goTime) {
      expect(quote).toMatch(/<https:\/\/changelog\.com\/gotime\/100#t=\d+\|Go Time #100> · at \d+:\d\d$/);
    }
    // The Go Time channel's answer quotes one episode, linked at each quote's time.
    const one = quotes(posted("C0GOTIME01"));
    expect(one.length).toBeGreaterThan(0);
    for (const quote of one) {
      expect(quote).toMatch(/<https:\/\/changelog\.com\/gotime\/100#t=\d+\|Go Time #100> · at \d+:\d\d$/);
    }
  });

  it('/ask in:SHOW answers only from that show; in:"Two Words" works too', async () => {
    const asked: AskInput[] = [];
    const url = await start(asked);
    await command(url, `in:founderstalk ${EARLY_DAYS}`);
    await fake.waitFor(() => fake.callsTo("response_url").length === 1, "the first /ask answer");
    await command(url, `--private in:“Go Time” ${EARLY_DAYS}`);
    await fake.waitFor(() => fake.callsTo("response_url").length === 2, "the second /ask answer");

    expect(asked.map((a) => [a.text, a.scope])).toEqual([
      [EARLY_DAYS, { episodes: ["founders-talk-76"], askedFor: "Founders Talk" }],
      [EARLY_DAYS, { episodes: ["go-time-100"], askedFor: "Go Time" }],
    ]);
    const [founders, goTime] = fake.callsTo("response_url");
    expect(quotes(founders).length).toBeGreaterThan(0);
    expect(quotes(founders).every((q) => q.includes(`|${FOUNDERS_TITLE}>`))).toBe(true);
    expect(founders?.params.response_type).toBe("in_channel");
    expect(quotes(goTime).length).toBeGreaterThan(0);
    expect(quotes(goTime).every((q) => q.includes("|Go Time #100>"))).toBe(true);
    expect(goTime?.params.response_type).toBe("ephemeral");
  });

  it("/ask with an unknown name, or one outside the channel's show, tells the asker alone what there is and searches nothing", async () => {
    const asked: AskInput[] = [];
    const url = await start(asked);
    await command(url, `in:gotme ${EARLY_DAYS}`);
    await fake.waitFor(() => fake.callsTo("response_url").length === 1, "the unknown-name reply");
    await command(url, `in:founderstalk ${EARLY_DAYS}`, "C0GOTIME01");
    await fake.waitFor(() => fake.callsTo("response_url").length === 2, "the outside-the-channel reply");

    expect(asked).toEqual([]);
    const [unknown, outside] = fake.callsTo("response_url");
    expect(unknown?.params.response_type).toBe("ephemeral");
    expect(notice(unknown)).toBe(
      'There is no show or episode called "gotme" in the archive. The shows: Serverless Chats, Founders Talk, Go Time, Changelog News (news). An episode is named by its id, e.g. serverless-chats-065.',
    );
    expect(outside?.params.response_type).toBe("ephemeral");
    expect(notice(outside)).toBe(
      'This channel only covers the show "Go Time"; Founders Talk cannot be asked about here.',
    );
  });
});

describe("Discord", () => {
  let fake: FakeDiscord | undefined;
  let adapter: DiscordAdapter | undefined;
  const EDIT_ORIGINAL = /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/;
  const CALLBACK = /^\/interactions\/\d+\/[^/]+\/callback$/;

  afterEach(async () => {
    await adapter?.stop();
    await fake?.close();
    adapter = undefined;
    fake = undefined;
  });

  async function start(asked: AskInput[], channelScopes?: Record<string, { shows: string[] }>) {
    fake = await FakeDiscord.start();
    adapter = createDiscordAdapter({
      config: { ...botConfig(fake), channelScopes },
      ask: (input) => {
        asked.push(input);
        return ask(input);
      },
      episodes,
      log: silentLogger(),
    });
    await adapter.start();
    return fake;
  }

  const fieldsOf = (request: RecordedRequest | undefined): Array<{ name: string; value: string }> =>
    request?.body.embeds.flatMap((e: { fields?: unknown[] }) => e.fields ?? []) ?? [];

  it("/ask with `in` answers only from that show; without it, each quote names its episode and links at its time", async () => {
    const asked: AskInput[] = [];
    const discord = await start(asked);
    discord.sendAsk(EARLY_DAYS, "channel", "gotime");
    const [scoped] = await discord.waitFor("the scoped answer", () => {
      const done = discord.find("PATCH", EDIT_ORIGINAL);
      return done.length === 1 ? done : undefined;
    });
    discord.sendAsk(EARLY_DAYS, "channel");
    const [, everywhere] = await discord.waitFor("the unscoped answer", () => {
      const done = discord.find("PATCH", EDIT_ORIGINAL);
      return done.length === 2 ? done : undefined;
    });

    expect(asked.map((a) => a.scope)).toEqual([
      { episodes: ["go-time-100"], askedFor: "Go Time" },
      undefined,
    ]);
    expect(fieldsOf(scoped).length).toBeGreaterThan(0);
    for (const field of fieldsOf(scoped)) {
      expect(field.value).toMatch(
        /\n\[Go Time #100\]\(https:\/\/changelog\.com\/gotime\/100#t=\d+\) · \d+:\d\d$/,
      );
    }
    const fields = fieldsOf(everywhere);
    const founders = fields.filter((f) => f.value.includes("founderstalk"));
    expect(founders.length).toBeGreaterThan(0);
    expect(fields.some((f) => f.value.includes("gotime"))).toBe(true);
    for (const field of founders) {
      expect(field.value).toMatch(
        new RegExp(
          `\\n\\[${FOUNDERS_NAME}\\]\\(https://changelog\\.com/founderstalk/76#t=\\d+\\) · \\d+:\\d\\d$`,
        ),
      );
    }
    expect(everywhere?.body.embeds.at(-1).footer.text).toContain(FOUNDERS_NAME);
  });

  it("/ask with an unknown name, or one outside the channel's show, answers the asker alone at once and searches nothing", async () => {
    const asked: AskInput[] = [];
    const discord = await start(asked, { [IDS.channel]: { shows: ["Go Time"] } });
    discord.sendAsk(EARLY_DAYS, "channel", "gotme");
    discord.sendAsk(EARLY_DAYS, "channel", "founderstalk");
    const replies = await discord.waitFor("both replies", () => {
      const done = discord.find("POST", CALLBACK);
      return done.length === 2 ? done : undefined;
    });
    expect(asked).toEqual([]);
    const contents = replies.map((r) => {
      // An immediate reply (4), ephemeral (64), never the "thinking…" of a deferred one.
      expect(r.body.type).toBe(4);
      expect(r.body.data.flags & 64).toBe(64);
      return r.body.data.content as string;
    });
    expect(contents.sort()).toEqual([
      'There is no show or episode called "gotme" in the archive. The show: Go Time. An episode is named by its id, e.g. go-time-100.',
      'This channel only covers the show "Go Time"; Founders Talk cannot be asked about here.',
    ]);
  });

  it("offers the shows and episodes as `in` is typed, within the channel's scope", async () => {
    const discord = await start([], { [IDS.channel]: { shows: ["gotime"] } });
    discord.sendAutocomplete("", "channel");
    discord.sendAutocomplete("found", "dm");
    const offers = await discord.waitFor("both offers", () => {
      const done = discord.find("POST", CALLBACK);
      return done.length === 2 ? done : undefined;
    });
    const choices = offers.map((r) => {
      expect(r.body.type).toBe(8);
      return r.body.data.choices;
    });
    expect(choices).toContainEqual([
      { name: "Go Time", value: "gotime" },
      { name: "Go Time #100", value: "go-time-100" },
    ]);
    // A DM is pinned to nothing.
    expect(choices).toContainEqual([
      { name: "Founders Talk", value: "founderstalk" },
      { name: FOUNDERS_NAME, value: "founders-talk-76" },
    ]);
  });
});

describe("the terminal", () => {
  it("names each quote's episode when an answer quotes several, and links each at its time", async () => {
    const text = renderText(await ask({ text: EARLY_DAYS }));
    expect(text).toMatch(
      new RegExp(
        `— Adam Stacoviak \\(host\\), ${FOUNDERS_NAME} at \\d+:\\d\\d\\n {4}https://changelog\\.com/founderstalk/76#t=\\d+\\n`,
      ),
    );
    expect(text).toMatch(/, Go Time #100 at \d+:\d\d\n {4}https:\/\/changelog\.com\/gotime\/100#t=\d+\n/);
    const single = renderText(await ask({ text: "how did you learn marketing?" }));
    expect(single).toContain(`, ${FOUNDERS_TITLE} at`);
    expect(single).not.toContain(FOUNDERS_NAME);
  });
});

describe("the bot at start-up", () => {
  it("stops with a configuration error when CHANNEL_SCOPES pins a channel to a show the index does not hold", async () => {
    const bot = startBotProcess(root, {
      INDEX_DIR: indexDir,
      SLACK_BOT_TOKEN: "xoxb-1111-2222-startuptesttoken",
      SLACK_APP_TOKEN: "xapp-1-A111-startuptesttoken",
      SLACK_API_URL: "http://127.0.0.1:9/api/",
      CHANNEL_SCOPES: "C0GOTIME01=show:gotime,C0NEWS0001=show:news,C0NEWS0002=show:changelog-newz",
    });
    let stderr = "";
    bot.child.stderr?.on("data", (chunk: string) => {
      stderr += chunk;
    });
    expect(await bot.exited).toBe(1);
    expect(stderr).toContain(
      'error E_CONFIG: configuration problems:\n  - CHANNEL_SCOPES pins channel C0NEWS0002 to the show "changelog-newz", which the index does not hold\n  The shows: Serverless Chats, Founders Talk, Go Time, Changelog News (news).',
    );
    expect(stderr).not.toContain("startuptesttoken");
  }, 60_000);
});
