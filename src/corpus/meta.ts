import { readFile } from "node:fs/promises";
import { z } from "zod";
import { AppError } from "../errors.js";
import type { EpisodeMeta } from "./types.js";

const speakerSchema = z.object({
  name: z.string().trim().min(1),
  role: z.enum(["host", "guest"]),
  /** Optional, e.g. "she/her": lets "what did she say…" find this speaker. */
  pronouns: z
    .string()
    .regex(/^[a-z]+(\/[a-z]+)*$/i, 'write pronouns like "she/her"')
    .optional(),
});

const metaSchema = z.object({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]*$/i, "use letters, digits, '.', '_' or '-' (it is used in passage ids)"),
  show: z.string().trim().min(1),
  number: z.number().int().nonnegative(),
  title: z.string().trim().min(1),
  url: z.url(),
  published: z.iso.date().nullable(),
  speakers: z
    .record(z.string().min(1), speakerSchema)
    .refine((s) => Object.keys(s).length > 0, "name at least one speaker"),
});

/** Validates parsed sidecar JSON; the error names the file and every bad field. */
export function parseEpisodeMeta(value: unknown, file: string): EpisodeMeta {
  return validated(metaSchema, value, file);
}

/**
 * Validates the sidecar of a Markdown episode, which may give only some fields:
 * those it gives replace what the transcript and its show say (a speaker's
 * entry replaces that speaker's name and role; other speakers stay).
 */
export function parsePartialEpisodeMeta(value: unknown, file: string): Partial<EpisodeMeta> {
  return validated(metaSchema.partial(), value, file);
}

function validated<T>(schema: z.ZodType<T>, value: unknown, file: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues
      .map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`)
      .join("; ");
    throw new AppError(
      "E_META_INVALID",
      `${file}: invalid episode metadata (${problems}). Fix the file and rebuild.`,
    );
  }
  return result.data;
}

export async function readEpisodeMeta(file: string): Promise<EpisodeMeta> {
  let raw: string;
  try {
    raw = await readFile(file, "utf8");
  } catch (error) {
    throw new AppError(
      "E_META_UNREADABLE",
      `${file}: cannot read episode metadata (${(error as Error).message}).`,
      {
        cause: error,
      },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new AppError("E_META_INVALID", `${file}: not valid JSON (${(error as Error).message}).`, {
      cause: error,
    });
  }
  return parseEpisodeMeta(json, file);
}
