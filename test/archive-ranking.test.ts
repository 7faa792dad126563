import { cp, mkdir, readdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_ABSTENTION, judge } from "../src/answer/abstain.js";
import { ELSEWHERE_MESSAGE } from "../src/answer/compose.js";
import type { StreamingAsk } from "../src/answer/types.js";
import type { EpisodeMeta, Speaker } from "../src/corpus/types.js";
import { createOfflineEmbedder } from "../src/embeddings/offline.js";
import { sentenceAsks } from "../src/retrieval/analysis/sentences.js";
import { terms } from "../src/retrieval/analysis/tokens.js";
import { Bm25 } from "../src/retrieval/index/bm25.js";
import { loadIndex } from "../src/retrieval/index/storage.js";
import { namedShows, showNames } from "../src/retrieval/query/shows.js";
import { resolveSpeaker, speakerDirectory } from "../src/retrieval/query/speakers.js";
import { EpisodeRelevance } from "../src/retrieval/ranking/episodes.js";
import { Retriever } from "../src/retrieval/retriever.js";
import { DEFAULT_RETRIEVAL } from "../src/retrieval/settings.js";
import { askOver, CHANGELOG_DIR } from "./archive-fixtures.js";
import { buildTestIndex, CORPUS_DIR, makeTempDir, REPO, removeDir } from "./helpers/index-fixtures.js";

/**
 * Ranking over an archive of several shows and shapes: the bundled interview, a Go Time panel,
 * a Founders Talk interview and a one-host news episode (cut from the Changelog archive, see
 * test/fixtures/changelog/README.md).
 */

let root: string;
let indexDir: string;
let ask: StreamingAsk;

beforeAll(async () => {
  root = await makeTempDir("archive-ranking");
  const corpus = join(root, "corpus");
  await cp(CHANGELOG_DIR, corpus, { recursive: true });
  for (const name of await readdir(CORPUS_DIR)) await cp(join(CORPUS_DIR, name), join(corpus, name));
  indexDir = join(root, "index");
  await buildTestIndex(indexDir, { corpusDir: corpus });
  ask = await askOver(indexDir);
});

afterAll(() => removeDir(root));

/** An index of a small Markdown archive (path under the corpus -> text) of its own, to ask. */
async function askOverMarkdown(name: string, files: Record<string, string>): Promise<StreamingAsk> {
  const corpus = join(root, name);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(corpus, path)), { recursive: true });
    await writeFile(join(corpus, path), text);
  }
  await buildTestIndex(join(root, `${name}-index`), { corpusDir: corpus });
  return askOver(join(root, `${name}-index`));
}

async function first(question: string): Promise<{ episode: string; speaker: string }> {
  const answer = await ask({ text: question, limit: 5 });
  const [top] = answer.passages;
  return { episode: top?.episode.id ?? "", speaker: top?.speaker ?? "" };
}

describe("a question naming a show", () => {
  it("is answered from that show's episodes first", async () => {
    // Asked of the whole archive, these words are another show's; naming a show turns that round.
    expect((await first("what did they say about the early days?")).episode).toBe("founders-talk-76");
    expect((await first("On Go Time, what did they say about the early days?")).episode).toBe("go-time-100");
    expect((await first("what did they say about the community?")).episode).toBe("go-time-100");
    expect((await first("On Founders Talk, what about the community?")).episode).toBe("founders-talk-76");
  });

  it("is found by the show's name as its titles say it, not by one-word names", () => {
    const metas = [
      meta("go-time-100", "gotime", "Go Time #100"),
      meta("changelog-news-100", "news", "Changelog News #100"),
    ];
    const names = showNames(metas);
    expect([...namedShows("On Go Time, what did Rob say?", names).shows]).toEqual(["gotime"]);
    expect([...namedShows("what did the changelog news cover", names).shows]).toEqual(["news"]);
    expect(namedShows("any news about go?", names).shows.size).toBe(0);
    expect(namedShows("how long did it take to go? time will tell", names).words).toEqual(
      new Set(["go", "time"]),
    );
  });
});

describe("the show, the host, the guest", () => {
  it("stand for one episode's: the question's, when it is scoped to one, and none of the archive's", async () => {
    const embedder = createOfflineEmbedder();
    const retriever = new Retriever(await loadIndex(indexDir, embedder), embedder);
    const analyse = (text: string, episodes?: Set<string>) =>
      retriever.analyse({ text, limit: 5, ...(episodes ? { episodes } : {}) });
    // In a channel pinned to Founders Talk #76, the show is Founders Talk and the guest Mitch
    // Wainer, not one of Go Time's panel.
    const pinned = analyse("what show is this, and who is the guest?", new Set(["founders-talk-76"]));
    expect(pinned.speakers).toEqual(new Set(["Mitch Wainer"]));
    expect(pinned.searched.has("founderstalk")).toBe(true);
    // Over the whole archive "the show" stands for four shows' names: none is searched.
    const whole = analyse("what show is this?");
    for (const show of ["founderstalk", "gotime", "news"]) expect(whole.searched.has(show)).toBe(false);
  });

  it("over an archive, favour the role's turns but name no one; in view of one episode, its people", async () => {
    const embedder = createOfflineEmbedder();
    const retriever = new Retriever(await loadIndex(indexDir, embedder), embedder);
    const analyse = (text: string, episodes?: Set<string>) =>
      retriever.analyse({ text, limit: 5, ...(episodes ? { episodes } : {}) });
    const archive = analyse("what did the guest say about hiring?");
    expect(archive.speakers?.has("Mitch Wainer")).toBe(true);
    expect(archive.namesSpeaker).toBe(false);
    expect(archive.namesEpisode).toBe(false);
    // So an everyday question with a role word in it may be off-topic.
    expect((await ask({ text: "How do I host a dinner party for twelve people?", limit: 5 })).status).toBe(
      "not_found",
    );
    const pinned = analyse("what did the guest say about hiring?", new Set(["founders-talk-76"]));
    expect(pinned.speakers).toEqual(new Set(["Mitch Wainer"]));
    expect(pinned.namesSpeaker).toBe(true);
    // Scoped to episodes of several shows, a role is still no one in particular.
    const two = analyse("what did the host say about hiring?", new Set(["founders-talk-76", "go-time-100"]));
    expect(two.namesSpeaker).toBe(false);
  });

  it("over an archive, 'episode' and 'show' ask for a part of it and are no topic", async () => {
    const embedder = createOfflineEmbedder();
    const retriever = new Retriever(await loadIndex(indexDir, embedder), embedder);
    const asked = retriever.analyse({ text: "which episode had Rob Pike on the show?", limit: 5 });
    // Only the person is asked about: their name is searched, nothing else.
    expect([...asked.asked.keys()]).toEqual(["rob", "pike"]);
    expect(asked.aboutPerson).toEqual(["Rob Pike"]);
    expect((await first("which episode had Rob Pike on the show?")).episode).toBe("go-time-100");
    // In view of one episode they stand for its metadata (its show's name, its title).
    const pinned = retriever.analyse({
      text: "what is the episode called?",
      limit: 5,
      episodes: new Set(["founders-talk-76"]),
    });
    expect(pinned.asked.has("episod")).toBe(true);
  });

  it("in a question naming a show, are the show's: 'who hosts Go Time?'", async () => {
    const embedder = createOfflineEmbedder();
    const index = await loadIndex(indexDir, embedder);
    const retriever = new Retriever(index, embedder);
    const hostsOf = (show: string) =>
      new Set(
        index.episodes
          .filter((episode) => episode.show === show)
          .flatMap((episode) => Object.values(episode.speakers))
          .filter((speaker) => speaker.role === "host")
          .map((speaker) => speaker.name),
      );
    expect(hostsOf("gotime").size).toBeGreaterThan(0);
    const asked = retriever.analyse({ text: "who hosts Go Time?", limit: 5 });
    // Asked who they are: their names are searched (the welcome where they introduce themselves).
    expect(new Set(asked.aboutPerson)).toEqual(hostsOf("gotime"));
    expect(asked.namesSpeaker).toBe(true);
    for (const name of hostsOf("gotime"))
      for (const term of terms(name)) expect(asked.asked.has(term)).toBe(true);
    const answer = await ask({ text: "who hosts Go Time?", limit: 5 });
    expect(answer.passages[0]?.episode.show).toBe("gotime");
  });
});

describe("a question naming a person", () => {
  it("quotes that person, in their episode", async () => {
    expect(await first("what did rob pike say about the early days of go?")).toEqual({
      episode: "go-time-100",
      speaker: "Rob Pike",
    });
  });

  const people: Array<[string, Speaker]> = [
    ["Ben Cohen", { name: "Ben Cohen", role: "guest" }],
    ["Ben Johnson", { name: "Ben Johnson", role: "guest" }],
    ["Mitchell Cohen", { name: "Mitchell Cohen", role: "guest" }],
    ["The Joker", { name: "The Joker", role: "guest" }],
    ["Kent C. Dodds", { name: "Kent C. Dodds", role: "guest" }],
    ["Josh Long", { name: "Josh Long", role: "guest" }],
  ];
  const directory = speakerDirectory([{ ...meta("a-1", "a", "A #1"), speakers: Object.fromEntries(people) }]);
  const information = (word: string) => ({ long: 7.3, will: 5.5, the: 3, ben: 9.2 })[word];
  const named = (question: string) => [...(resolveSpeaker(question, directory, information)?.names ?? [])];

  it("is the speaker whom most of the words name, among many who share a first or last name", () => {
    expect(named("What did Ben Cohen say about macros?")).toEqual(["Ben Cohen"]);
    expect(named("what did ben say?").sort()).toEqual(["Ben Cohen", "Ben Johnson"]);
  });

  it("are several people when different words name them, and one mention when they share a word", () => {
    const groups = (question: string) =>
      resolveSpeaker(question, directory, information)?.together?.map((group) => [...group].sort());
    expect(groups("What did Ben and Josh Long say about macros?")).toEqual([
      ["Ben Cohen", "Ben Johnson"],
      ["Josh Long"],
    ]);
    expect(groups("What did Ben Cohen and Mitchell Cohen say?")).toEqual([["Ben Cohen"], ["Mitchell Cohen"]]);
    expect(groups("What did Ben say about Swift?")).toBeUndefined();
    expect(groups("What did Ben Cohen say?")).toBeUndefined();
  });

  it("together, are answered from the episode they were on together", async () => {
    // Each of the two mentions the harbour dredging in an episode of their own, as they do in the
    // one they were on together: asked about them both, that one episode answers.
    const alone = (name: string, other: string) =>
      [
        `**Host:** Welcome back. ${name} is here to talk about ${other}.`,
        `**${name}:** The dredging of the harbour channel starts every spring, before the boats go out.`,
        `**Host:** And ${other}? What changes this year?`,
        `**${name}:** Not much changes for ${other}, it runs the way it always has.`,
      ].join("\n\n");
    const panel = await askOverMarkdown("panel", {
      "harbour/harbour-1.md": alone("Ilse Marwick", "the ferry"),
      "harbour/harbour-2.md": alone("Tobin Okafor", "the lighthouse"),
      "harbour/harbour-3.md": [
        "**Host:** Today Ilse Marwick and Tobin Okafor are both here, to talk about the lighthouse and the ferry timetable.",
        "**Ilse Marwick:** The ferry timetable changes in winter, when the crossing takes longer.",
        "**Tobin Okafor:** And the lighthouse keeper retires next year.",
        "**Ilse Marwick:** The dredging of the harbour waits until the ferry season ends, every year.",
        "**Ilse Marwick:** The lighthouse will be automated after that.",
      ].join("\n\n"),
    });
    const answer = await panel({
      text: "What did Ilse Marwick and Tobin Okafor say about dredging?",
      limit: 5,
    });
    expect(answer.passages[0]?.episode.id).toBe("harbour-3");
    expect(answer.passages[0]?.text).toContain("waits until the ferry season");
    // One of them alone is answered from their own episode.
    const one = await panel({ text: "What did Tobin Okafor say about dredging?", limit: 5 });
    expect(one.passages[0]?.episode.id).toBe("harbour-2");
  });

  it("is not found in a question's everyday words", () => {
    expect(named("Who won the NBA Finals in 2016?")).toEqual([]);
    expect(named("How do C preprocessor macros compare?")).toEqual([]);
    expect(named("how long can a swift stay in the air?")).toEqual([]);
    expect(named("What did Josh Long say?")).toEqual(["Josh Long"]);
    expect(named("what did josh long say?")).toEqual(["Josh Long"]);
    expect(named("And what did Long say?")).toEqual(["Josh Long"]);
  });

  it("is found by a name they introduced themselves by, when it is no English word", () => {
    const kball: Speaker = { name: "Kevin Ball", role: "host", calledBy: ["Kball"] };
    const nick: Speaker = { name: "Nick Nisi", role: "host", calledBy: ["Italian"] };
    const party = speakerDirectory([
      { ...meta("js-1", "jsparty", "JS Party #1"), speakers: { kball, nick } },
    ]);
    const info = (word: string) => ({ italian: 10.6, mascot: 11.9 })[word];
    const whom = (question: string) => [...(resolveSpeaker(question, party, info)?.names ?? [])];
    expect(whom("what mascot did kball pitch?")).toEqual(["Kevin Ball"]);
    expect(whom("What did Kball say?")).toEqual(["Kevin Ball"]);
    expect(resolveSpeaker("what did kball pitch?", party, info)?.matchedWords).toEqual(new Set(["kball"]));
    // "I'm Italian" names no one.
    expect(whom("what did the Italian pitch?")).toEqual([]);
  });

  it("is named by a word in capitals only when their name writes it so", () => {
    const tess: Speaker = { name: "Tess Rinearson", role: "guest" };
    const tj: Speaker = { name: "TJ Miller", role: "host" };
    const voices = speakerDirectory([{ ...meta("c-1", "c", "C #1"), speakers: { Tess: tess, TJ: tj } }]);
    const whom = (question: string) => [...(resolveSpeaker(question, voices)?.names ?? [])];
    expect(whom("Did they run the model on data from NASA's TESS satellite?")).toEqual([]);
    expect(whom("What did Tess say about consensus?")).toEqual(["Tess Rinearson"]);
    expect(whom("What did TJ say about the outage?")).toEqual(["TJ Miller"]);
  });

  it("is a minor voice (a clip, a cameo) only when the question writes the name as a name", () => {
    const clip: Speaker = { name: "Monty Python", role: "guest" };
    const holly: Speaker = { name: "Holly Mesrobian", role: "guest" };
    const passages = [clip, ...Array.from({ length: 10 }, () => holly)].map((speaker) => ({ speaker }));
    const voices = speakerDirectory(
      [{ ...meta("b-1", "b", "B #1"), speakers: { Clip: clip, Holly: holly } }],
      passages,
    );
    const info = (word: string) => ({ python: 13.2, holly: 11.4, ball: 8.8 })[word];
    const whom = (question: string) => [...(resolveSpeaker(question, voices, info)?.names ?? [])];
    expect(whom("how do I get a ball python out from under my deck?")).toEqual([]);
    expect(whom("what did Python say?")).toEqual(["Monty Python"]);
    expect(whom("what did holly say about python?")).toEqual(["Holly Mesrobian"]);
    // Over an archive that says "python" in thousands of passages, the capitalised word is its topic.
    const saidIn = (word: string) => ({ python: 3000, holly: 40 })[word] ?? 0;
    const overArchive = (question: string) => [
      ...(resolveSpeaker(question, voices, info, saidIn)?.names ?? []),
    ];
    expect(overArchive("Is it normal to build ML models in Python and serve them live?")).toEqual([]);
    expect(overArchive("What did Monty Python say?")).toEqual(["Monty Python"]);
    expect(overArchive("what did Holly say about Python?")).toEqual(["Holly Mesrobian"]);
  });

  it("is not named by one word of their name that the archive says far more often than they speak", () => {
    // A parody account read out now and then; "JS" is in 900 passages of 508 episodes.
    const horse: Speaker = { name: "Horse JS", role: "guest" };
    const ron: Speaker = { name: "Ron Perris", role: "guest" };
    const passages = [
      ...Array.from({ length: 6 }, () => horse),
      ...Array.from({ length: 97 }, () => ron),
    ].map((speaker) => ({ speaker }));
    const voices = speakerDirectory(
      [{ ...meta("news-1", "news", "News #1"), speakers: { "Horse JS": horse, Ron: ron } }],
      passages,
    );
    const info = (word: string) => ({ horse: 8.9, js: 15.5 })[word];
    const saidIn = (word: string) => ({ js: 900, horse: 58, perris: 3 })[word] ?? 0;
    const whom = (question: string) => [...(resolveSpeaker(question, voices, info, saidIn)?.names ?? [])];
    expect(whom("Who pays for the registry of the company behind an alternative JS runtime?")).toEqual([]);
    expect(whom("What did Horse JS say about frameworks?")).toEqual(["Horse JS"]);
    expect(whom("What did Perris say about GraphQL?")).toEqual(["Ron Perris"]);
  });

  it("is not named by the words that name a show", () => {
    // A clip of an older episode, labelled with the show's name and its number.
    const clip: Speaker = { name: "JS Party #269", role: "guest" };
    const ron: Speaker = { name: "Ron Perris", role: "guest" };
    const party = speakerDirectory([
      { ...meta("js-1", "jsparty", "JS Party #1"), speakers: { "JS Party #269": clip, Ron: ron } },
    ]);
    const show = new Set(["js", "party"]);
    const whom = (question: string) => [
      ...(resolveSpeaker(
        question,
        party,
        () => undefined,
        () => 0,
        undefined,
        show,
      )?.names ?? []),
    ];
    expect(whom("On JS Party, why does Ron Perris argue that developers get security wrong?")).toEqual([
      "Ron Perris",
    ]);
    expect(whom("In JS Party's debate on rebranding JavaScript, what did the panel say?")).toEqual([]);
  });
});

describe("the terms a clipped word may stand for", () => {
  it("are the sorted run of the index's terms that start with it", () => {
    const bm25 = Bm25.build([["environ", "envoi", "enum"], ["env", "entir", "énergi"], ["environ"]]);
    expect(bm25.termsStartingWith("env")).toEqual(["env", "environ", "envoi"]);
    expect(bm25.termsStartingWith("envx")).toEqual([]);
    expect(bm25.termsStartingWith("é")).toEqual(["énergi"]);
  });
});

describe("an episode's fit to the question", () => {
  it("is BM25 over each episode's passages together, and leaves a single episode's passages as they were", async () => {
    const index = await loadIndex(indexDir, createOfflineEmbedder());
    const relevance = new EpisodeRelevance(index.passages, index.lexical.text, index.episodes);
    const episodes = [...new Set(index.passages.map((p) => p.episodeId))];
    const asked = (text: string) => terms(text).map((term) => ({ term, weight: 1 }));
    const scores = relevance.score(asked("compilers"));
    const best = episodes[scores.indexOf(Math.max(...scores))];
    expect(best).toBe("go-time-100");
    const weights = { episodeWeight: 0.5, namedEpisodeWeight: 0.5 };
    const { factors } = relevance.factors(asked("compilers"), { shows: null, people: null }, weights);
    expect(Math.max(...factors)).toBe(1);
    expect(Math.min(...factors)).toBe(0.5);
    // In scope of one episode, every passage keeps its score.
    const one = Uint8Array.from(index.passages, (p) => (p.episodeId === "serverless-chats-065" ? 1 : 0));
    const scoped = relevance.factors(asked("lambda"), { shows: null, people: null }, weights, one);
    expect(scoped.factors[relevance.episode(one.indexOf(1))]).toBe(1);
  });
});

describe("refusing over an archive", () => {
  it("reads how much the best passages' episodes talk about the question's words", async () => {
    const index = await loadIndex(indexDir, createOfflineEmbedder());
    const relevance = new EpisodeRelevance(index.passages, index.lexical.text, index.episodes);
    const go = index.passages.findIndex((p) => p.episodeId === "go-time-100");
    const info = (term: string) => index.lexical.information(term) ?? 18;
    const asked = (text: string) => terms(text).map((term) => ({ terms: [term], weight: 1 }));
    // The Go episode's own talk: compilers and languages, far above everyday speech.
    const own = relevance.topicality(asked("compilers language"), info, [go]);
    // Words it never says count −4 each; everyday words it says now and then, little.
    const never = relevance.topicality(asked("pasta skillet"), info, [go]);
    expect(never).toBe(-4);
    expect(own).toBeGreaterThan(3);
    // A word counts as the best of the words it stands for (a misspelling's corrections, relatives).
    const respelt = relevance.topicality([{ terms: ["pasta", "compil"], weight: 1 }], info, [go]);
    expect(respelt).toBeGreaterThan(3);
  });

  it("refuses a question naming nothing of the archive whose episodes hardly talk about its words", async () => {
    const embedder = createOfflineEmbedder();
    const retriever = new Retriever(await loadIndex(indexDir, embedder), embedder);
    const { hits, analysis } = await retriever.retrieve({
      text: "what did they say about the early days?",
      limit: 5,
    });
    const bm25 = retriever.index.lexical.text;
    const topicality = retriever.topicality(analysis, hits);
    expect(topicality).toBeGreaterThan(DEFAULT_ABSTENTION.minTopicality);
    expect(judge(hits, analysis, bm25, DEFAULT_ABSTENTION, () => topicality).status).toBe("answered");
    // The same question, were its episodes to say its words no more than everyday speech does.
    expect(judge(hits, analysis, bm25, DEFAULT_ABSTENTION, () => 0).status).toBe("not_found");
    // A question naming a person is theirs to answer, however everyday its words.
    const named = await retriever.retrieve({ text: "what did rob pike say about the early days?", limit: 5 });
    expect(judge(named.hits, named.analysis, bm25, DEFAULT_ABSTENTION, () => 0).status).toBe("answered");
  });

  it("refuses, in a large archive, a question whose telling words it says no more than everyday English does", async () => {
    const embedder = createOfflineEmbedder();
    const retriever = new Retriever(await loadIndex(indexDir, embedder), embedder);
    const bm25 = retriever.index.lexical.text;
    const judged = async (text: string, settings: typeof DEFAULT_ABSTENTION) => {
      const { hits, analysis } = await retriever.retrieve({ text, limit: 5 });
      return {
        verdict: judge(hits, analysis, bm25, settings, () => retriever.topicality(analysis, hits)),
        analysis,
      };
    };
    // Four episodes are no archive to judge a word's register by (10,000 passages are).
    const everyday = "how long should I rest a sprained ankle before I start running again?";
    expect(bm25.size).toBeLessThan(DEFAULT_ABSTENTION.registerPassages);
    const asLarge = { ...DEFAULT_ABSTENTION, registerPassages: 1 };
    const ankle = await judged(everyday, asLarge);
    expect(ankle.analysis.register).toBeLessThan(DEFAULT_ABSTENTION.minRegister);
    expect(ankle.verdict.status).toBe("not_found");
    // A question in the archive's own words is answered as before.
    const warm = await judged("how does provisioned concurrency keep functions warm?", asLarge);
    expect(warm.analysis.register).toBeGreaterThan(DEFAULT_ABSTENTION.minRegister);
    expect(warm.verdict.status).toBe("answered");
  });

  it("says so when a question names someone and nothing of theirs is found", async () => {
    const answer = await ask({ text: "what did Mitch Wainer say about provisioned concurrency?", limit: 5 });
    expect(answer.status).toBe("uncertain");
    expect(answer.message).toBe(ELSEWHERE_MESSAGE);
    expect(answer.passages[0]?.episode.id).toBe("serverless-chats-065");
  });

  it("says so when a named person's episodes never say a topic word the archive talks about", async () => {
    const missing = await ask({ text: "what did Rob Pike say about the early days of lambda?", limit: 5 });
    expect(missing.status).toBe("uncertain");
    expect(missing.message).toBe(ELSEWHERE_MESSAGE);
    const show = await ask({ text: "On Go Time, what did they say about compilers and lambda?", limit: 5 });
    expect(show.message).toBe(ELSEWHERE_MESSAGE);
    // Without such a word, their own episode answers.
    expect((await ask({ text: "what did Rob Pike say about the early days?", limit: 5 })).status).toBe(
      "answered",
    );
  });

  it("says so when most of what a question asks is never said in the named person's episodes", async () => {
    // Everyday words another episode says once, in an archive long enough that they are no
    // subject of its own (keyness under 4.5): only their share of the question tells.
    const weather = Array.from({ length: 150 }, (_, i) =>
      i % 2 === 0
        ? `**Host:** What does the forecast say for the morning of day ${i}, when the wind turns?`
        : "**Mira Solberg:** Clouds come in from the west, then rain, and the wind drops again by the evening.",
    );
    const harbour = await askOverMarkdown("mostly-unsaid", {
      "harbour/harbour-1.md": [
        "**Host:** Ilse Marwick runs the ferry.",
        "**Ilse Marwick:** The ferry timetable changes in winter, when the crossing takes longer and the first boat leaves at eight.",
        "**Host:** And in summer?",
        "**Ilse Marwick:** In summer the timetable has a boat every hour until midnight.",
      ].join("\n\n"),
      "harbour/harbour-2.md": [
        "**Host:** Tobin Okafor keeps the lighthouse.",
        "**Tobin Okafor:** The candidates gave a speech at the rehearsals, and the film of it had subtitles.",
      ].join("\n\n"),
      "harbour/harbour-3.md": weather.join("\n\n"),
    });
    const said = await harbour({
      text: "What did Ilse Marwick say about the ferry timetable in winter?",
      limit: 3,
    });
    expect(said.status).toBe("answered");
    // "speech", "rehearsals", "subtitles", "candidates": most of the question, never said in her episode.
    const unsaid = await harbour({
      text: "What did Ilse Marwick say about the ferry timetable for the speech rehearsals, subtitles and candidates?",
      limit: 3,
    });
    expect(unsaid.status).toBe("uncertain");
    expect(unsaid.message).toBe(ELSEWHERE_MESSAGE);
  });

  it("quotes only the named person's episodes once the best passage is theirs", async () => {
    const answer = await ask({ text: "what did rob pike say about the early days of go?", limit: 10 });
    expect(answer.passages[0]?.speaker).toBe("Rob Pike");
    expect(new Set(answer.passages.map((p) => p.episode.id))).toEqual(new Set(["go-time-100"]));
  });

  it("quotes no filler: a passage with no words of its own is left out", async () => {
    for (const question of [
      "what did rob pike say about the early days of go?",
      "is the 15 minute limit ever going up?",
    ]) {
      const answer = await ask({ text: question, limit: 10 });
      expect(answer.passages.length).toBeGreaterThan(0);
      for (const passage of answer.passages)
        expect(new Set(terms(passage.text)).size).toBeGreaterThanOrEqual(2);
    }
  });
});

describe("a short WebVTT interview beside the bundled one", () => {
  it("quotes the guest's answer, not the host's welcome that names the topic", async () => {
    const corpus = join(root, "tide");
    await cp(CORPUS_DIR, corpus, { recursive: true });
    for (const name of ["tide-watch-003.vtt", "tide-watch-003.meta.json"])
      await cp(join(REPO, "test", "fixtures", "tide", name), join(corpus, name));
    const tideIndex = join(root, "tide-index");
    await buildTestIndex(tideIndex, { corpusDir: corpus });
    const tide = await askOver(tideIndex);
    const answer = await tide({
      text: "what keeps fouling the pressure sensors on the tide gauges?",
      limit: 5,
    });
    expect(answer.status).toBe("answered");
    expect(answer.passages[0]).toMatchObject({ speaker: "Tomas Reyes", timestamp: 22.5 });
    expect(answer.passages[0]?.quote).toMatch(/Barnacles/);
  });
});

describe("a question about one episode that asks nothing else", () => {
  it("is answered from that episode by what says what it is: 'what was Go Time 100 about?'", async () => {
    for (const text of ["what was Go Time 100 about?", "what did they talk about in Go Time 100?"]) {
      const answer = await ask({ text, limit: 3 });
      expect(answer.status).not.toBe("not_found");
      expect(new Set(answer.passages.map((p) => p.episode.id))).toEqual(new Set(["go-time-100"]));
    }
  });
});

describe("a question asking for episodes", () => {
  it("is answered by the episodes that fit it best, each quoted once, however its passages score beside another's", async () => {
    const episode = (lines: string[]) => lines.join("\n\n");
    const list = await askOverMarkdown("episode-list", {
      "coast/coast-1.md": episode([
        "**Mara:** Today it's all about tide gauges.",
        "**Jonas:** Tide gauges measure the sea level every six minutes, and our tide gauges along the coast report by radio.",
        "**Mara:** And what breaks the tide gauges?",
        "**Jonas:** Barnacles grow over the tide gauge sensors, so we scrape the tide gauges every month.",
      ]),
      "coast/coast-2.md": episode([
        "**Mara:** This week, the harbour ferry timetable.",
        "**Ilse:** The ferry leaves at seven, and in storms the harbour master checks the tide gauge first.",
      ]),
      "coast/coast-3.md": episode([
        "**Mara:** We talk about lighthouses today. Did the old lighthouse keep a tide gauge, a real tide gauge?",
        "**Tobin:** The old lighthouse had a tide gauge in its cellar, a float on a chain.",
      ]),
      "coast/coast-4.md": episode([
        "**Mara:** Let's talk about the fish market.",
        "**Tobin:** The fish market opens at dawn, before the boats are unloaded.",
      ]),
    });
    const answer = await list({ text: "Which episodes talk about tide gauges?", limit: 5 });
    const ids = answer.passages.map((p) => p.episode.id);
    expect(ids[0]).toBe("coast-1");
    expect(new Set(ids)).toEqual(new Set(["coast-1", "coast-2", "coast-3"]));
    expect(ids).toHaveLength(3);
    // An episode is quoted by what it says, not by the host's question about it.
    const lighthouse = answer.passages.find((p) => p.episode.id === "coast-3");
    expect(lighthouse?.speaker).toBe("Tobin");
    // Asked without "episodes", the best fitting episode's passages come first, as many as rank.
    const plain = await list({ text: "what about tide gauges?", limit: 5 });
    expect(plain.passages.filter((p) => p.episode.id === "coast-1").length).toBeGreaterThan(1);
    // A follow-up of a question asking for episodes asks for them too.
    await list({ text: "Which episodes talk about the harbour?", limit: 5, conversation: "list" });
    const more = await list({ text: "and tide gauges?", limit: 5, conversation: "list" });
    const followed = more.passages.map((p) => p.episode.id);
    expect(new Set(followed)).toEqual(new Set(["coast-1", "coast-2", "coast-3"]));
    expect(followed).toHaveLength(3);
  });
});

describe("a reply that only says the question's words back", () => {
  it("is no quote: a quote says something the question did not", async () => {
    // A Markdown archive episode: no sidecar, the speakers from the labels.
    const echo = await askOverMarkdown("echo", {
      "harbour/harbour-radio-1.md": [
        "**Mara:** What was it like in the early days of the harbour radio project?",
        "**Jonas:** In the early days we all had real jobs, so we built the first transmitter on weekends in a borrowed boathouse, and the harbour master lent us his spare antenna.",
        "**Mara:** Early days. Early days.",
        "**Jonas:** And the fishermen were our first listeners, because the weather reports came on before dawn.",
        "**Mara:** Those were the early days.",
        "**Jonas:** Later the council paid for a proper mast on the breakwater.",
      ].join("\n\n"),
    });
    const answer = await echo({ text: "what did they say about the early days?", limit: 5 });
    expect(answer.status).toBe("answered");
    const quoted = answer.passages.map((p) => p.text);
    expect(quoted.some((text) => text.includes("transmitter"))).toBe(true);
    expect(quoted).not.toContain("Early days. Early days.");
    expect(quoted).not.toContain("Those were the early days.");
  });
});

describe("a short reply that only says the turn before it back", () => {
  it("is no quote, but a reply repeating a question's words confirms it and is one", async () => {
    const echo = await askOverMarkdown("echo-turn", {
      "harbour/harbour-radio-3.md": [
        "**Mara:** What did the fishermen call the new station?",
        "**Jonas:** They called it the foghorn hut, because the first broadcasts went out from the old foghorn hut on the pier, and the lighthouse keeper painted the sign himself.",
        "**Mara:** The foghorn hut.",
        "**Jonas:** Yes. And the council later moved the transmitter to the breakwater.",
        "**Mara:** Was the foghorn hut on the pier?",
        "**Jonas:** The foghorn hut was on the pier, yes.",
      ].join("\n\n"),
    });
    const answer = await echo({ text: "what about the foghorn?", limit: 10 });
    expect(answer.status).toBe("answered");
    const quoted = answer.passages.map((p) => p.text);
    expect(quoted.some((text) => text.includes("lighthouse keeper"))).toBe(true);
    expect(quoted).not.toContain("The foghorn hut.");
    expect(quoted).toContain("The foghorn hut was on the pier, yes.");
  });
});

describe("a passage that only asks", () => {
  it("is no quote, unless the question is about what was asked; a request asks too", async () => {
    const harbour = await askOverMarkdown("only-asks", {
      "harbour/harbour-radio-5.md": [
        "**Mara:** Great. So how many fishing boats check in with the harbour radio these days?",
        "**Jonas:** About forty every morning, most of them from the cooperative, and a few yachts in summer.",
        "**Mara:** And the weather reports?",
        "**Jonas:** Those go out at five, before the boats leave.",
        "**Mara:** Tell us about the storm warnings on the harbour radio.",
        "**Jonas:** A storm warning goes out on channel sixteen the moment the coastguard sends it, and again every hour.",
      ].join("\n\n"),
    });
    const question = "Mara: Great. So how many fishing boats check in with the harbour radio these days?";
    const plain = await harbour({
      text: "how many fishing boats check in with the harbour radio?",
      limit: 5,
    });
    expect(plain.status).toBe("answered");
    const quoted = plain.passages.map((p) => `${p.speaker}: ${p.text}`);
    expect(quoted.some((text) => text.includes("About forty every morning"))).toBe(true);
    expect(quoted).not.toContain(question);
    const asked = await harbour({
      text: "what did Mara ask about the fishing boats and the harbour radio?",
      limit: 5,
    });
    expect(asked.passages.map((p) => `${p.speaker}: ${p.text}`)).toContain(question);
    // A host's request asks as a question does.
    const storms = await harbour({ text: "what about storm warnings on the harbour radio?", limit: 5 });
    const stormQuotes = storms.passages.map((p) => `${p.speaker}: ${p.text}`);
    expect(stormQuotes.some((text) => text.includes("channel sixteen"))).toBe(true);
    expect(stormQuotes).not.toContain("Mara: Tell us about the storm warnings on the harbour radio.");
  });

  it("asks by a question or by a host's request, not by any imperative", () => {
    for (const text of [
      "How many people are using Michelangelo at Uber these days?",
      "Tell us about Safe Rust, as opposed to a different style.",
      "So, walk me through the pipeline.",
      "Maybe unpack ABI stability, just in case.",
      "Describe Fedora ELN.",
    ])
      expect(sentenceAsks(text)).toBe(true);
    for (const text of [
      "Talk is cheap.",
      "Tell them we shipped it.",
      "We described the pipeline in the docs.",
      "So we took steps to identify bad actors.",
    ])
      expect(sentenceAsks(text)).toBe(false);
  });
});

describe("an episode aired twice", () => {
  it("is quoted once: the same words from two episodes are one quote", async () => {
    const turns = [
      "**Mara:** Why did the harbour radio move its transmitter to the breakwater?",
      "**Jonas:** Because the old boathouse flooded every spring tide, and salt water got into the amplifier twice in one winter.",
      "**Mara:** And the breakwater stays dry?",
      "**Jonas:** It sits four metres higher, so the council paid for a mast there and the flooding stopped.",
    ].join("\n\n");
    const twice = await askOverMarkdown("rebroadcast", {
      "harbour/harbour-radio-2.md": turns,
      "bestof/best-of-harbour-1.md": turns,
    });
    const answer = await twice({ text: "why did the transmitter move to the breakwater?", limit: 10 });
    expect(answer.status).toBe("answered");
    const quotes = answer.passages.map((p) => p.quote);
    expect(quotes.some((quote) => quote.includes("boathouse flooded"))).toBe(true);
    expect(new Set(quotes).size).toBe(quotes.length);
  });
});

describe("a pronoun", () => {
  it("names the one speaker who goes by it only when everyone's pronouns are known", () => {
    const he: Speaker = { name: "Jeremy Daly", role: "host", pronouns: "he/him" };
    const she: Speaker = { name: "Holly Mesrobian", role: "guest", pronouns: "she/her" };
    const unknown: Speaker = { name: "Nikita Prokopov", role: "guest" };
    const one = speakerDirectory([{ ...meta("a-1", "a", "A #1"), speakers: { Jeremy: he, Holly: she } }]);
    const archive = speakerDirectory([
      { ...meta("a-1", "a", "A #1"), speakers: { Jeremy: he, Holly: she } },
      { ...meta("b-2", "b", "B #2"), speakers: { Nikita: unknown } },
    ]);
    expect([...(resolveSpeaker("what is her background?", one)?.names ?? [])]).toEqual(["Holly Mesrobian"]);
    expect(resolveSpeaker("does the firacode guy use italics when he codes?", archive)).toBeNull();
  });
});

function meta(id: string, show: string, title: string): EpisodeMeta {
  return { id, show, number: 1, title, url: "", published: null, speakers: {} };
}

describe("short passages over an archive", () => {
  it("are scored as if twice the average length, in an archive only", async () => {
    // A quip that says a word in passing ("Foghorn. Great band name.") and a turn about it.
    const docs = [
      ["foghorn", "great", "band", "name"],
      ["foghorn", "move", "breakwat", "pier", "flood", "spring", "tide", "compressor", "dry"],
      ["parser", "grammar", "spec"],
      ["fisherman", "happi"],
    ];
    const bm25 = Bm25.build(docs);
    const foghorn = (index: Bm25) => [...index.score([{ term: "foghorn", weight: 1 }]).scores];
    const [quip, turn] = foghorn(bm25);
    expect(quip).toBeGreaterThan((turn as number) * 1.2);
    // The average is 4.5 terms: up to 9, length no longer tells the two apart.
    const [flooredQuip, flooredTurn, none] = foghorn(bm25.withLengthFloor(2));
    expect(flooredQuip).toBeCloseTo(flooredTurn as number, 10);
    expect(flooredQuip).toBeLessThan(quip as number);
    expect(none).toBe(0);

    // The retriever reads an index so from `archiveLengthFloor.passages` passages on: this one is
    // a handful of episodes, read as BM25 reads it.
    const embedder = createOfflineEmbedder();
    const index = await loadIndex(indexDir, embedder);
    expect(index.passages.length).toBeLessThan(DEFAULT_RETRIEVAL.archiveLengthFloor.passages);
    expect(new Retriever(index, embedder).index.lexical.text).toBe(index.lexical.text);
    const asArchive = new Retriever(index, embedder, {
      ...DEFAULT_RETRIEVAL,
      archiveLengthFloor: { ...DEFAULT_RETRIEVAL.archiveLengthFloor, passages: 1 },
    });
    // The shortest passage that says something: its first word scores less, read as the archive's.
    const lengths = index.passages.map((p) => terms(p.text).length);
    const shortest = lengths.indexOf(Math.min(...lengths.filter((n) => n > 0)));
    const [word] = terms(index.passages[shortest]?.text ?? "");
    const scoreIn = (r: Retriever) =>
      r.index.lexical.text.score([{ term: word ?? "", weight: 1 }]).scores[shortest] as number;
    expect(scoreIn(asArchive)).toBeLessThan(scoreIn(new Retriever(index, embedder)));
    expect(asArchive.index.lexical.context).not.toBe(index.lexical.context);
  });
});

describe("a word's rarity within a stretch of passages", () => {
  it("is read among those passages alone when the range says so", () => {
    // "docker" is in every passage of the first three (one episode), and rare across all six.
    const bm25 = Bm25.build([
      ["docker", "swarm"],
      ["docker", "imag"],
      ["docker", "pivot"],
      ["go", "compil"],
      ["go", "gopher"],
      ["rust", "borrow"],
    ]);
    const score = (term: string, range?: { from: number; to: number; local?: boolean }) =>
      bm25.addScores([{ term, weight: 1 }], new Float64Array(6), undefined, range);
    const archiveWide = score("docker", { from: 0, to: 3 })[0] as number;
    const local = score("docker", { from: 0, to: 3, local: true })[0] as number;
    expect(archiveWide).toBeCloseTo(score("docker")[0] as number, 10);
    expect(local).toBeLessThan(archiveWide / 2);
    // "pivot", once in the stretch, tells more there than a word all of it says.
    expect(score("pivot", { from: 0, to: 3, local: true })[2]).toBeGreaterThan(local * 3);
    // Nothing outside the range is scored.
    expect([...score("go", { from: 0, to: 3, local: true })]).toEqual([0, 0, 0, 0, 0, 0]);
    // The best score left is noted as it is written, over two calls as over one.
    const best = { max: 0 };
    const twice = bm25.addScores(
      [{ term: "docker", weight: 1 }],
      new Float64Array(6),
      undefined,
      undefined,
      best,
    );
    bm25.addScores([{ term: "pivot", weight: 2 }], twice, undefined, undefined, best);
    expect(best.max).toBe(Math.max(...twice));
    // The same rarity, for the finalists' sentences, coverage and feedback.
    const within = bm25.within({ from: 0, to: 3 });
    expect(within.idf("docker")).toBeLessThan(bm25.idf("docker") / 2);
    expect(within.idf("pivot")).toBeGreaterThan(within.idf("docker") * 3);
    expect(within.idf("go")).toBeCloseTo(Math.log(1 + 3.5 / 0.5), 10);
  });
});

describe("the best episode's passages", () => {
  const questions = [
    "why did lambda add support for file systems?",
    "why did aws make lambda in the first place?",
    "what did they say about the early days?",
    "how did the founders think about pricing?",
  ];

  it("take the places it holds in the order the question ranks them within that episode", async () => {
    const embedder = createOfflineEmbedder();
    const retriever = new Retriever(await loadIndex(indexDir, embedder), embedder);
    for (const text of questions) {
      const { hits } = await retriever.retrieve({ text, limit: 5 });
      const best = hits[0]?.passage.episodeId as string;
      const places = hits.filter((hit) => hit.passage.episodeId === best);
      const within = await retriever.retrieve({ text, limit: 5, episodes: new Set([best]) });
      expect(places.map((hit) => hit.passage.id)).toEqual(
        within.hits.slice(0, places.length).map((hit) => hit.passage.id),
      );
      // Scores still fall down the list: a place keeps the archive's score.
      expect(hits.map((hit) => hit.score)).toEqual([...hits.map((hit) => hit.score)].sort((a, b) => b - a));
      expect(new Set(hits.map((hit) => hit.position)).size).toBe(hits.length);
    }
  });

  it("are ranked with the episode's own word statistics, as the episode alone ranks them", async () => {
    // Over the archive "lambda" is rare and tells the episode apart; within the episode it is in
    // most passages and tells little: ranked with the archive's rarity, the passage richest in the
    // episode's own words came first.
    const alone = join(root, "alone");
    await buildTestIndex(alone);
    const embedder = createOfflineEmbedder();
    const overArchive = new Retriever(await loadIndex(indexDir, embedder), embedder);
    const overEpisode = new Retriever(await loadIndex(alone, embedder), embedder);
    for (const text of questions.slice(0, 2)) {
      const [inArchive] = (await overArchive.retrieve({ text, limit: 5 })).hits;
      const [inEpisode] = (await overEpisode.retrieve({ text, limit: 5 })).hits;
      expect(inArchive?.passage.id).toBe(inEpisode?.passage.id);
    }
  });
});

describe("a named person and a word the whole archive never says", () => {
  let dir: string;
  let askMany: StreamingAsk;
  const topics = [
    "compilers and linkers and how a build system caches object files between runs",
    "databases, indexes on large tables, and why a query planner picks a sequential scan",
    "browsers, layout engines, and how the compositor paints layers to the screen",
    "hiring engineers, writing job descriptions, and running fair interviews",
    "incident response, on-call rotations, and writing blameless postmortems",
    "package managers, lockfiles, and resolving version conflicts in dependencies",
    "testing strategies, flaky tests, and keeping a continuous integration pipeline fast",
    "observability, structured logs, traces, and metrics dashboards for services",
    "open source funding, sponsorships, and maintainers burning out on issue triage",
    "keyboard layouts, mechanical switches, and typing ergonomics, after a two-week break from typing",
  ];

  beforeAll(async () => {
    dir = await makeTempDir("archive-unheard");
    const corpus = join(dir, "corpus", "talk");
    await mkdir(corpus, { recursive: true });
    const turns = (...pairs: Array<[string, string]>) =>
      pairs.map(([name, text]) => `**${name}:** ${text}\n`).join("\n");
    await writeFile(
      join(corpus, "talk-1.md"),
      turns(
        ["Ada Host", "Welcome back. Today we talk about machine learning platforms with Mike Del Balso."],
        [
          "Mike Del Balso",
          "We built Michelangelo so data scientists could train models and serve predictions in production. The feature store was the part people adopted far more than we expected, because sharing features between teams saved so much work.",
        ],
        ["Ada Host", "How did the feature store change how teams worked?"],
        [
          "Mike Del Balso",
          "Teams stopped rebuilding the same pipelines. A feature computed once for fraud models was reused for pricing models, and training data matched what production saw.",
        ],
        ["Ada Host", "Who got paged when a model went wrong?"],
        [
          "Mike Del Balso",
          "The team that owned the model was on call for it, not the platform team, so owners felt the cost of a flaky model.",
        ],
      ),
    );
    for (const [i, topic] of topics.entries()) {
      await writeFile(
        join(corpus, `talk-${i + 2}.md`),
        turns(
          ["Ada Host", `Welcome back. Today we talk about ${topic}.`],
          ["Sam Guest", `I have spent years on ${topic}, and the hard part is always the people.`],
        ),
      );
    }
    await buildTestIndex(join(dir, "index"), { corpusDir: join(dir, "corpus") });
    askMany = await askOver(join(dir, "index"));
  });

  afterAll(() => removeDir(dir));

  it("is one the named person never discussed, said so", async () => {
    const answer = await askMany({
      text: "What did Mike Del Balso say about training models with Horovod?",
      limit: 5,
    });
    expect(answer.status).toBe("uncertain");
    expect(answer.message).toBe(ELSEWHERE_MESSAGE);
    // What the archive does say is theirs to answer.
    const known = await askMany({ text: "What did Mike Del Balso say about the feature store?", limit: 5 });
    expect(known.status).toBe("answered");
  });

  it("is not one the person said with a space where the question has a hyphen", async () => {
    // The archive writes "on-call" (the incident episode); Mike says "on call".
    const answer = await askMany({
      text: "What did Mike Del Balso say about who is on-call for a model?",
      limit: 5,
    });
    expect(answer.message).not.toBe(ELSEWHERE_MESSAGE);
    expect(answer.passages[0]?.text).toContain("on call");
  });

  it("is no subject of the archive's own for being written joined there", async () => {
    // The archive writes "two-week" once; as one word it is unknown to everyday English, but it
    // is no rarer there than "week": a question about a two-week trip is not the archive's talk.
    const embedder = createOfflineEmbedder();
    const retriever = new Retriever(await loadIndex(join(dir, "index"), embedder), embedder);
    const analysis = retriever.analyse({ text: "what should I pack for a two-week trip?", limit: 5 });
    expect(analysis.joined.get("twoweek")).toEqual(["two", "week"]);
    expect(analysis.keyness).toBeLessThan(DEFAULT_ABSTENTION.minKeyness);
  });

  it("tells nothing in an archive of a handful of episodes", async () => {
    // Four episodes: that none of them says "gopherjs" is no sign Rob Pike never discussed it.
    const answer = await ask({
      text: "what did Rob Pike say about the early days of go and gopherjs?",
      limit: 5,
    });
    expect(answer.message).not.toBe(ELSEWHERE_MESSAGE);
  });
});
