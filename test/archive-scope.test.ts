import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Ask, AskInput, AskScope } from "../src/answer/types.js";
import { createDiscordAdapter, type DiscordAdapter } from "../src/bot/discord/adapter.js";
import { createFeedbackLog } from "../src/bot/feedback.js";
import { createSlackAdapter, type SlackAdapter } from "../src/bot/slack/adapter.js";
import { loadConfig, parseChannelScopes } from "../src/config.js";
import type { EpisodeMeta } from "../src/corpus/types.js";
import { createOfflineEmbedder } from "../src/embeddings/offline.js";
import { AppError } from "../src/errors.js";
import { silentLogger } from "../src/logger.js";
import { loadIndex } from "../src/retrieval/index/storage.js";
import { resolveScope } from "../src/retrieval/query/scope.js";
import { Retriever } from "../src/retrieval/retriever.js";
import {
  askOver,
  fixtureCorpus,
  GARDEN_12,
  GARDEN_13,
  KITCHEN_4,
  KITCHEN_5,
  metaOf,
} from "./archive-fixtures.js";
import { botConfig, FakeDiscord, IDS, type RecordedRequest } from "./helpers/fake-discord.js";
import {
  BOT_USER_ID,
  eventCallback,
  FakeSlack,
  type SlackCall,
  sendCommand,
  sendEvent,
} from "./helpers/fake-slack.js";
import { buildTestIndex, makeTempDir, removeDir } from "./helpers/index-fixtures.js";

const WATER = "how often do you water?";
const BEES_TITLE = "Bees on a City Balcony with Priya Castellanos";
const COMPOST_TITLE = "Compost, Worms and Patience with Tomas Oyelaran";

let root: string;
let ask: Ask;
let metas: EpisodeMeta[];

beforeAll(async () => {
  root = await makeTempDir("archive-scope");
  // Two episodes of one show that both talk about watering.
  const corpusDir = await fixtureCorpus(join(root, "corpus"), [GARDEN_12, GARDEN_13]);
  await buildTestIndex(join(root, "index"), { corpusDir });
  ask = await askOver(join(root, "index"));
  metas = await Promise.all([GARDEN_12, GARDEN_13, KITCHEN_4, KITCHEN_5].map(metaOf));
}, 60_000);

afterAll(() => removeDir(root));

const episodesOf = (passages: Array<{ episode: { id: string } }>) => [
  ...new Set(passages.map((p) => p.episode.id)),
];

describe("resolving the episodes a question names", () => {
  const resolve = (question: string, channel?: AskScope) => {
    const result = resolveScope(question, metas, channel);
    return { ...result, episodes: result.episodes && [...result.episodes] };
  };

  it("finds an episode by number, by show and number, by guest, and by title words", () => {
    expect(resolve("how often do you water in episode 13?")).toMatchObject({
      episodes: [GARDEN_13],
      text: "how often do you water?",
    });
    expect(resolve("The Garden Hour #12: what about worms?")).toMatchObject({
      episodes: [GARDEN_12],
      text: "what about worms?",
    });
    expect(resolve("In the Priya Castellanos episode, how often does she water?")).toMatchObject({
      episodes: [GARDEN_13],
      text: "how often does she water?",
    });
    expect(resolve("what did Kenji say about water in the episode with Kenji Albright?").episodes).toEqual([
      KITCHEN_4,
    ]);
    expect(resolve("what about watering in the compost episode").episodes).toEqual([GARDEN_12]);
    expect(resolve("in Night Kitchen episode 5, how do you sharpen?").episodes).toEqual([KITCHEN_5]);
  });

  it("over a Markdown archive, by the show's name in its titles and a number: 'in Go Time 100'", () => {
    // The archive's `show` is its folder ("gotime"); people write the name its titles give it.
    const archive: EpisodeMeta[] = [100, 101].map((number) => ({
      id: `go-time-${number}`,
      show: "gotime",
      number,
      title: `Go Time #${number}`,
      url: "",
      published: null,
      speakers: {},
    }));
    const scoped = (question: string) => resolveScope(question, archive);
    expect([
      ...(scoped("in Go Time 100 what did Robert Griesemer say about generics?").episodes ?? []),
    ]).toEqual(["go-time-100"]);
    expect(scoped("in Go Time 100 what did Robert Griesemer say about generics?").text).toBe(
      "what did Robert Griesemer say about generics?",
    );
    expect([...(scoped("what did the go-time #101 panel say?").episodes ?? [])]).toEqual(["go-time-101"]);
    // A number after the name that is no episode of it is no episode reference…
    expect(scoped("what did Go Time 2024 predict about AI?")).toEqual({
      text: "what did Go Time 2024 predict about AI?",
      episodes: undefined,
    });
    // …unless the question says it is one.
    expect(scoped("in Go Time episode 2024, what about AI?").problem).toContain("no Go Time episode 2024");
  });

  it("leaves a question that names no particular episode unscoped", () => {
    for (const question of [
      WATER,
      "what did they say on the topic of the episode?",
      "what did they say in the cold starts episode?",
      "what is their #1 tip for beginners?",
    ]) {
      expect(resolve(question)).toEqual({ text: question, episodes: undefined });
    }
  });

  it("finds a show's newest or oldest episode, and asks which show when several could be meant", () => {
    expect(resolve("what was said in the last episode?").problem).toBe(
      "Which show's last episode? Name the show: Night Kitchen, The Garden Hour.",
    );
    expect(resolve("in the latest Garden Hour episode, how often do they water?")).toMatchObject({
      episodes: [GARDEN_13],
      text: "how often do they water?",
    });
    expect(resolve("what did the first episode of The Garden Hour say about worms?").episodes).toEqual([
      GARDEN_12,
    ]);
    // A channel pinned to one show names it.
    expect(
      resolve("what was said in the most recent episode?", { shows: ["Night Kitchen"] }).episodes,
    ).toEqual([KITCHEN_5]);
    // Over a Markdown archive (no dates), a show's numbered run: not a special numbered by its year.
    const archive: EpisodeMeta[] = ["go-time-100", "go-time-101", "go-time-funny-bits-2021"].map((id) => ({
      id,
      show: "gotime",
      number: Number(/\d+$/.exec(id)?.[0]),
      title:
        id === "go-time-funny-bits-2021" ? "Go Time Funny Bits #2021" : `Go Time #${/\d+$/.exec(id)?.[0]}`,
      url: "",
      published: null,
      speakers: {},
    }));
    expect([...(resolveScope("what was the latest Go Time episode about?", archive).episodes ?? [])]).toEqual(
      ["go-time-101"],
    );
    // Seasons: S2E2 comes after S1E10, and "Big Tent S1E3" names the show "Big Tent".
    const seasons: EpisodeMeta[] = ["big-tent-s1e3", "big-tent-s1e10", "big-tent-s2e2"].map((id) => ({
      id,
      show: "bigtent",
      number: Number(/\d+$/.exec(id)?.[0]),
      title: `Big Tent ${id.slice("big-tent-".length).toUpperCase()}`,
      url: "",
      published: null,
      speakers: {},
    }));
    expect([...(resolveScope("the latest Big Tent episode?", seasons).episodes ?? [])]).toEqual([
      "big-tent-s2e2",
    ]);
    expect([...(resolveScope("the first Big Tent episode?", seasons).episodes ?? [])]).toEqual([
      "big-tent-s1e3",
    ]);
    // By date when every episode has one, before the number.
    const dated = metas.map((m) => ({ ...m, published: m.id === GARDEN_12 ? "2024-05-01" : "2023-01-01" }));
    expect([...(resolveScope("the newest Garden Hour episode?", dated).episodes ?? [])]).toEqual([GARDEN_12]);
  });

  it("says so when the numbered episode is not in the archive", () => {
    expect(resolve("what is in episode 99?").problem).toBe(
      "There is no episode 99 in the archive (its episode numbers: 4, 5, 12, 13).",
    );
  });

  it("keeps a channel's scope, lets the question narrow it, and never widen it", () => {
    expect(resolve(WATER, { shows: ["night kitchen"] }).episodes).toEqual([KITCHEN_4, KITCHEN_5]);
    expect(resolve("how often in episode 5?", { shows: ["Night Kitchen"] }).episodes).toEqual([KITCHEN_5]);
    expect(resolve("what about episode 12?", { shows: ["Night Kitchen"] }).problem).toContain(
      'only covers the show "Night Kitchen"',
    );
    expect(resolve(WATER, { episodes: ["not-in-the-archive"] }).problem).toContain("CHANNEL_SCOPES");
  });
});

describe("a role in a question scoped to a show's episodes", () => {
  it("is the show's: 'the host' of a channel pinned to The Garden Hour is its host", async () => {
    const embedder = createOfflineEmbedder();
    const retriever = new Retriever(await loadIndex(join(root, "index"), embedder), embedder);
    const analyse = (episodes?: Set<string>) =>
      retriever.analyse({
        text: "what did the host say about worms?",
        limit: 5,
        ...(episodes ? { episodes } : {}),
      });
    const pinned = analyse(new Set([GARDEN_12, GARDEN_13]));
    expect(pinned.speakers).toEqual(new Set(["Maya Lindgren"]));
    expect(pinned.namesSpeaker).toBe(true);
    // Unscoped, the archive's hosts are favoured but no one is named.
    expect(analyse().namesSpeaker).toBe(false);
  });
});

describe("a question scoped to one of two episodes", () => {
  it("is answered from both when unscoped (so the scoped answers below mean something)", async () => {
    const answer = await ask({ text: WATER, limit: 6 });
    expect(episodesOf(answer.passages).sort()).toEqual([GARDEN_12, GARDEN_13]);
  });

  it("is answered only from the episode it names", async () => {
    const bees = await ask({ text: "how often do you water in episode 13?", limit: 6 });
    expect(bees.status).not.toBe("not_found");
    expect(episodesOf(bees.passages)).toEqual([GARDEN_13]);
    const compost = await ask({ text: "In the Tomas Oyelaran episode, how often do you water?", limit: 6 });
    expect(episodesOf(compost.passages)).toEqual([GARDEN_12]);
    expect(compost.passages.some((p) => p.text.includes("water the heap"))).toBe(true);
  });

  it("is answered only from the channel's episodes", async () => {
    const answer = await ask({ text: WATER, limit: 6, scope: { episodes: [GARDEN_12] } });
    expect(episodesOf(answer.passages)).toEqual([GARDEN_12]);
  });

  it("keeps a follow-up in the episode its question named", async () => {
    await ask({ text: "how often do you water in episode 12?", conversation: "c1" });
    const followUp = await ask({ text: "and what about in winter?", conversation: "c1", limit: 6 });
    expect(followUp.passages.length).toBeGreaterThan(0);
    expect(episodesOf(followUp.passages)).toEqual([GARDEN_12]);
  });

  it("answers an episode the archive does not hold with one plain sentence", async () => {
    const answer = await ask({ text: "how often do you water in episode 99?" });
    expect(answer).toMatchObject({ status: "not_found", passages: [] });
    expect(answer.message).toContain("There is no episode 99 in the archive");
  });
});

describe("CHANNEL_SCOPES", () => {
  it("pins channels to episodes or shows; a channel named twice covers both", () => {
    const config = loadConfig({
      CHANNEL_SCOPES: `C0GARDEN13=${GARDEN_13}, 1300000000000000001=show:The Garden Hour,C0GARDEN13=${KITCHEN_4}`,
      SLACK_BOT_TOKEN: "xoxb-1-2-abc",
      SLACK_APP_TOKEN: "xapp-1-A-abc",
    });
    expect(config.slack?.channelScopes).toEqual({
      C0GARDEN13: { episodes: [GARDEN_13, KITCHEN_4] },
      "1300000000000000001": { shows: ["The Garden Hour"] },
    });
    expect(parseChannelScopes("")).toEqual({ problems: [] });
  });

  it("refuses a bad entry naming the variable and the entry's position, never its text", () => {
    let error: unknown;
    try {
      loadConfig({ CHANNEL_SCOPES: "C0OK00001=ep-1,#secret-channel=ep-2,C0OK00002=show:,C0OK00003=../x" });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AppError);
    const message = (error as AppError).message;
    expect(message).toContain("CHANNEL_SCOPES entry 2 must start with a channel id");
    expect(message).toContain("CHANNEL_SCOPES entry 3 must end in an episode id or show:SHOW NAME");
    expect(message).toContain("CHANNEL_SCOPES entry 4 must end in an episode id");
    expect(message).not.toContain("secret-channel");
    expect(message).not.toContain("ep-1");
  });
});

describe("Slack: a channel pinned to one episode", () => {
  const SECRET = "signing-secret-for-tests-0123456789";
  const BOT_TOKEN = "xoxb-1111-2222-scopetesttoken";
  let fake: FakeSlack;
  let adapter: SlackAdapter | undefined;

  afterEach(async () => {
    await adapter?.stop();
    adapter = undefined;
    await fake.close();
  });

  async function start(asked: AskInput[]): Promise<string> {
    fake = await FakeSlack.start({ botToken: BOT_TOKEN });
    const config = loadConfig({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: fake.apiUrl,
      PORT: "0",
      CHANNEL_SCOPES: `C0GARDEN13=${GARDEN_13}`,
    });
    if (!config.slack) throw new Error("no slack config");
    adapter = createSlackAdapter({
      config: config.slack,
      ask: (input) => {
        asked.push(input);
        return ask(input);
      },
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

  it("answers a mention there only from that episode, linking each quote at its time", async () => {
    const asked: AskInput[] = [];
    const url = await start(asked);
    for (const channel of ["C0GARDEN13", "C0ELSEWHERE"]) {
      const ts = `1700000000.00000${channel.length}`;
      const event = {
        type: "app_mention",
        user: "U0HUMAN01",
        text: `<@${BOT_USER_ID}> ${WATER}`,
        ts,
        channel,
      };
      await sendEvent(url, SECRET, eventCallback(event, `Ev${channel}`));
    }
    await fake.waitFor(() => fake.callsTo("chat.postMessage").length === 2, "both replies");
    await adapter?.stop();

    expect(asked.map((a) => a.scope)).toEqual([{ episodes: [GARDEN_13] }, undefined]);
    const pinned = fake.callsTo("chat.postMessage").find((c) => c.params.channel === "C0GARDEN13");
    const pinnedQuotes = quotes(pinned);
    expect(pinnedQuotes.length).toBeGreaterThan(0);
    for (const quote of pinnedQuotes) {
      expect(quote).toMatch(
        new RegExp(
          `<https://media\\.example\\.org/garden-hour/013\\.mp3#t=\\d+\\|${BEES_TITLE}> · at \\d:\\d\\d`,
        ),
      );
      expect(quote).not.toContain(COMPOST_TITLE);
    }
    const elsewhere = fake.callsTo("chat.postMessage").find((c) => c.params.channel === "C0ELSEWHERE");
    expect(quotes(elsewhere).some((q) => q.includes(COMPOST_TITLE))).toBe(true);
  });

  it("scopes /ask in that channel too", async () => {
    const asked: AskInput[] = [];
    const url = await start(asked);
    await sendCommand(url, SECRET, {
      text: WATER,
      user_id: "U0HUMAN01",
      channel_id: "C0GARDEN13",
      response_url: fake.responseUrl(),
    });
    await fake.waitFor(() => fake.callsTo("response_url").length === 1, "the /ask answer");
    expect(asked[0]?.scope).toEqual({ episodes: [GARDEN_13] });
    const answer = quotes(fake.callsTo("response_url")[0]);
    expect(answer.length).toBeGreaterThan(0);
    expect(answer.every((q) => q.includes(BEES_TITLE))).toBe(true);
  });
});

describe("Discord: a channel pinned to one episode", () => {
  let fake: FakeDiscord | undefined;
  let adapter: DiscordAdapter | undefined;
  const EDIT_ORIGINAL = /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/;

  afterEach(async () => {
    await adapter?.stop();
    await fake?.close();
    adapter = undefined;
    fake = undefined;
  });

  const fieldsOf = (request: RecordedRequest | undefined): Array<{ name: string; value: string }> =>
    request?.body.embeds.flatMap((e: { fields?: unknown[] }) => e.fields ?? []) ?? [];

  it("answers /ask in the channel and in its threads only from that episode; a DM is not pinned", async () => {
    fake = await FakeDiscord.start();
    const discord = fake;
    const asked: AskInput[] = [];
    adapter = createDiscordAdapter({
      config: { ...botConfig(discord), channelScopes: { [IDS.channel]: { episodes: [GARDEN_13] } } },
      ask: (input) => {
        asked.push(input);
        return ask(input);
      },
      log: silentLogger(),
    });
    await adapter.start();

    for (const where of ["channel", "botThread", "dm"] as const) discord.sendAsk(WATER, where);
    const edits = await discord.waitFor("three answers", () => {
      const done = discord.find("PATCH", EDIT_ORIGINAL);
      return done.length === 3 ? done : undefined;
    });
    // Asked in the pinned channel and in its thread (the thread follows its parent); not in the DM.
    const scopes = asked.map((input) => input.scope);
    expect(scopes.filter((scope) => scope === undefined)).toHaveLength(1);
    expect(scopes.filter((scope) => scope !== undefined)).toEqual([
      { episodes: [GARDEN_13] },
      { episodes: [GARDEN_13] },
    ]);
    const scoped = edits.filter((edit) => fieldsOf(edit).every((f) => f.value.includes(BEES_TITLE)));
    expect(scoped.length).toBeGreaterThanOrEqual(2);
    for (const edit of scoped) {
      for (const field of fieldsOf(edit)) {
        expect(field.value).toMatch(
          /\(https:\/\/media\.example\.org\/garden-hour\/013\.mp3#t=\d+\) · \d:\d\d$/,
        );
      }
    }
    expect(edits.some((edit) => fieldsOf(edit).some((f) => f.value.includes(COMPOST_TITLE)))).toBe(true);
  });
});
