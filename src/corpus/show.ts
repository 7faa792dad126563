import { readFile } from "node:fs/promises";
import { z } from "zod";
import { AppError, isAppError } from "../errors.js";
import { parseJsonWithSpans } from "./json-spans.js";
import type { EpisodeVoices } from "./md-blocks.js";
import type { EpisodeMeta, Speaker } from "./types.js";

/**
 * What a show folder may say about itself in an optional `show.json`, for the
 * Markdown episodes in it, which carry no metadata of their own:
 *
 *   { "name": "Go Time",
 *     "episodeUrl": "https://changelog.com/gotime/{number}",
 *     "hosts": ["Mat Ryer", "Johnny Boursiquot"] }
 *
 * Every field is optional. Without a name the show is the folder's name;
 * without a URL template an episode has no link (nothing is guessed); without
 * hosts, they are told apart by how often they speak across the show.
 */
export interface ShowFile {
  name?: string;
  episodeUrl?: string;
  hosts?: string[];
}

export const SHOW_FILE = "show.json";

const PLACEHOLDERS = ["number", "id"] as const;

function fillTemplate(template: string, values: Record<(typeof PLACEHOLDERS)[number], string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) =>
    key in values ? encodeURIComponent(values[key as keyof typeof values]) : whole,
  );
}

const templateSchema = z
  .string()
  .trim()
  .refine(
    (t) =>
      [...t.matchAll(/\{(\w*)\}/g)].every((m) => (PLACEHOLDERS as readonly string[]).includes(m[1] ?? "")),
    `use only the placeholders ${PLACEHOLDERS.map((p) => `{${p}}`).join(" and ")}`,
  )
  .refine((t) => {
    try {
      return /^https?:$/.test(new URL(fillTemplate(t, { number: "1", id: "episode-1" })).protocol);
    } catch {
      return false;
    }
  }, 'write an http(s) URL, e.g. "https://example.com/show/{number}"');

const showSchema = z
  .object({
    name: z.string().trim().min(1).optional(),
    episodeUrl: templateSchema.optional(),
    hosts: z.array(z.string().trim().min(1)).optional(),
  })
  .strict();

/** Reads and validates a show folder's `show.json`; the error names the file and what is wrong. */
export async function readShowFile(file: string): Promise<ShowFile> {
  let source: string;
  try {
    source = await readFile(file, "utf8");
  } catch (error) {
    throw new AppError(
      "E_SHOW_INVALID",
      `${file}: cannot read the show description (${(error as Error).message}).`,
      {
        cause: error,
      },
    );
  }
  let json: unknown;
  try {
    json = parseJsonWithSpans(source, file).value;
  } catch (error) {
    if (!isAppError(error)) throw error;
    throw new AppError("E_SHOW_INVALID", error.message, { cause: error });
  }
  const result = showSchema.safeParse(json);
  if (!result.success) {
    const problems = result.error.issues
      .map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`)
      .join("; ");
    throw new AppError(
      "E_SHOW_INVALID",
      `${file}: invalid show description (${problems}). It may hold "name", "episodeUrl" (with {number} or {id}) and "hosts".`,
    );
  }
  return result.data;
}

/** How names are compared across episodes and with `hosts`: case and spacing do not matter. */
export function nameKey(name: string): string {
  return name.replace(/\s+/g, " ").trim().toLowerCase();
}

/**
 * Below this many episodes in a show, counting who comes back says nothing,
 * and the one who opens an episode is taken as its host.
 */
export const MIN_EPISODES_TO_COUNT = 5;
/** A regular: speaks in at least this many of the show's episodes… */
export const HOST_MIN_EPISODES = 3;
/** …and in at least this share of them, or opens at least HOST_MIN_OPENS of them. */
export const HOST_MIN_SHARE = 0.15;
export const HOST_MIN_OPENS = 2;

/**
 * The hosts of a show that names none, from who speaks in its episodes. In the
 * Changelog archive a host both comes back (a guest is in one or two episodes)
 * and opens episodes (a guest rarely says the first words); a rotating panel's
 * members each sit in only a share of the episodes, hence "share or opens".
 */
export function inferHosts(episodes: EpisodeVoices[]): Set<string> {
  const appears = new Map<string, number>();
  const opens = new Map<string, number>();
  for (const episode of episodes) {
    for (const key of new Set(episode.speakers.map(nameKey))) appears.set(key, (appears.get(key) ?? 0) + 1);
    if (episode.opener) opens.set(nameKey(episode.opener), (opens.get(nameKey(episode.opener)) ?? 0) + 1);
  }
  const hosts = new Set<string>();
  for (const [key, count] of appears) {
    const opened = opens.get(key) ?? 0;
    const host =
      episodes.length < MIN_EPISODES_TO_COUNT
        ? opened >= 1
        : count >= HOST_MIN_EPISODES &&
          (count >= HOST_MIN_SHARE * episodes.length || opened >= HOST_MIN_OPENS);
    if (host) hosts.add(key);
  }
  return hosts;
}

/** The number at the end of a file name (`go-time-100` → 100, `big-tent-s1e3` → 3), or null when there is none. */
export function episodeNumber(id: string): number | null {
  const match = /(\d+)$/.exec(id);
  return match ? Number(match[1]) : null;
}

function letters(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
}

/** Two-letter English words: any other pair of letters in a file name is an initialism ("js", "ai"). */
const TWO_LETTER_WORDS = new Set(
  "ah am an as at aw ax be by do eh go ha he hi ho if in is it lo ma me my no of oh ok on or ox pa so to up us we yo".split(
    " ",
  ),
);

/** A file name's word as a title writes it: "time" → "Time", "js" → "JS", "s1e3" → "S1E3". */
function capitalise(word: string): string {
  if (/^[a-z]{2}$/.test(word) && !TWO_LETTER_WORDS.has(word)) return word.toUpperCase();
  if (/^s\d+e\d+$/.test(word)) return word.toUpperCase();
  return (word[0]?.toUpperCase() ?? "") + word.slice(1);
}

/**
 * A title from the file name, the only one the archive has: `go-time-100` →
 * "Go Time #100". When the name starts with the show's name as `show.json`
 * writes it, that spelling is used ("JS Party #34", "Changelog & Friends #12").
 */
export function episodeTitle(id: string, showName?: string): string {
  const words = id.split(/[-_]+/).filter(Boolean);
  const last = words.at(-1) ?? "";
  const numbered = words.length > 1 && /^\d+$/.test(last);
  const body = numbered ? words.slice(0, -1) : words;
  let lead: string[] = [];
  let rest = body;
  if (showName) {
    for (let k = body.length; k > 0; k--) {
      if (letters(body.slice(0, k).join("")) === letters(showName)) {
        lead = [showName];
        rest = body.slice(k);
        break;
      }
    }
  }
  const capitalised = rest.map(capitalise);
  return [...lead, ...capitalised, ...(numbered ? [`#${last}`] : [])].join(" ");
}

/** What a Markdown episode's metadata is made of, besides its own labels. */
export interface ShowContext {
  /** The folder's name: the show's name when `show.json` gives none. */
  folder: string;
  show: ShowFile | null;
  /** Name keys of the hosts: from `show.json`, else inferred. */
  hosts: Set<string>;
}

/**
 * The metadata of a Markdown episode without a sidecar: id from the file name,
 * show from the folder (or `show.json`), number from the end of the file name
 * (0 when it has none), title from the file name, URL from the show's template
 * (none without one), every label a speaker under the name written.
 */
export function markdownMeta(id: string, voices: EpisodeVoices, context: ShowContext): EpisodeMeta {
  const number = episodeNumber(id);
  const template = context.show?.episodeUrl;
  const url =
    template && (number !== null || !template.includes("{number}"))
      ? fillTemplate(template, { number: String(number ?? ""), id })
      : "";
  const speakers: Record<string, Speaker> = {};
  for (const name of voices.speakers) {
    const calledBy = voices.calledBy?.[name];
    speakers[name] = {
      name,
      role: context.hosts.has(nameKey(name)) ? "host" : "guest",
      ...(calledBy ? { calledBy } : {}),
    };
  }
  return {
    id,
    show: context.show?.name ?? context.folder,
    number: number ?? 0,
    title: episodeTitle(id, context.show?.name),
    url,
    published: null,
    speakers,
  };
}
