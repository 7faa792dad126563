import type { EpisodeMeta, Speaker } from "../../corpus/types.js";
import { AppError } from "../../errors.js";
import { endsWithQuestion } from "../analysis/sentences.js";
import type { Passage } from "./passage.js";
import type { Sections, SectionValue } from "./sections.js";

/**
 * The passages of an index as typed arrays plus one UTF-8 blob of texts (each
 * distinct text once: a passage's context is usually the text of the passage
 * before). Loading makes one small object per passage whose fields are read
 * from the arrays and whose text and context are slices of the blob's chunks,
 * decoded on first use.
 */

/** Integers per passage in the `passages.fields` section. */
const FIELDS = 8;
const [EPISODE, TURN, PART, PARTS, LABEL, SPEAKER, START, END] = [0, 1, 2, 3, 4, 5, 6, 7];

interface StoreMeta {
  episodes: EpisodeMeta[];
  labels: string[];
  speakers: Speaker[];
}

/** Interns values into a list, by a key. */
class Interner<T> {
  readonly values: T[] = [];
  private readonly ids = new Map<string, number>();
  id(key: string, value: T): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.values.length;
      this.ids.set(key, id);
      this.values.push(value);
    }
    return id;
  }
}

export function passageSections(episodes: EpisodeMeta[], passages: Passage[]): Record<string, SectionValue> {
  const episodeIds = new Map(episodes.map((e, i) => [e.id, i]));
  const labels = new Interner<string>();
  const speakers = new Interner<Speaker>();
  const texts = new Interner<string>();
  const fields = new Int32Array(passages.length * FIELDS);
  const timestamps = new Float64Array(passages.length);
  const text = new Int32Array(passages.length);
  const context = new Int32Array(passages.length);
  const asks = new Uint8Array(passages.length);
  const words = new Int32Array(passages.length);
  passages.forEach((p, i) => {
    const episode = episodeIds.get(p.episodeId);
    if (episode === undefined)
      throw new AppError("E_INDEX_WRITE", `passage ${p.id} belongs to no episode of the index.`);
    const at = i * FIELDS;
    fields[at + EPISODE] = episode;
    fields[at + TURN] = p.turnIndex;
    fields[at + PART] = p.part;
    fields[at + PARTS] = p.parts;
    fields[at + LABEL] = labels.id(p.label, p.label);
    fields[at + SPEAKER] = speakers.id(JSON.stringify(p.speaker), p.speaker);
    fields[at + START] = p.start;
    fields[at + END] = p.end;
    timestamps[i] = p.timestamp ?? Number.NaN;
    text[i] = texts.id(p.text, p.text);
    asks[i] = endsWithQuestion(p.text) ? 1 : 0;
    words[i] = countRuns(p.text);
    context[i] = texts.id(p.context, p.context);
  });
  const strings = packStrings(texts.values);
  const meta: StoreMeta = { episodes, labels: labels.values, speakers: speakers.values };
  return {
    "passages.meta": meta,
    "passages.fields": fields,
    "passages.timestamp": timestamps,
    "passages.text": text,
    "passages.context": context,
    "passages.asks": asks,
    "passages.words": words,
    ...strings,
  };
}

/**
 * A chunk holds strings up to about this many UTF-16 code units (about 60 passages): decoded at
 * once when one of its strings is first read, then sliced for free. Small, because a question
 * reads a few hundred passages spread over the whole archive.
 */
const CHUNK_UNITS = 1 << 16;

/**
 * Strings laid end to end in chunks of UTF-8. A chunk is decoded into one
 * JavaScript string on first use and each string is a slice of it (V8 slices
 * share the chunk's characters): decoding tens of megabytes at once is fast,
 * decoding a passage at a time is not.
 */
function packStrings(values: string[]): Record<string, SectionValue> {
  const chunkOf = new Int32Array(values.length);
  const starts = new Int32Array(values.length);
  const lengths = new Int32Array(values.length);
  const chunkBytes: number[] = [0];
  const encoded: Buffer[] = [];
  let units = 0;
  let bytes = 0;
  values.forEach((value, i) => {
    if (units > 0 && units + value.length > CHUNK_UNITS) {
      chunkBytes.push(bytes);
      units = 0;
    }
    const buffer = Buffer.from(value);
    chunkOf[i] = chunkBytes.length - 1;
    starts[i] = units;
    lengths[i] = value.length;
    units += value.length;
    bytes += buffer.length;
    encoded.push(buffer);
  });
  chunkBytes.push(bytes);
  return {
    "strings.chunks": Int32Array.from(chunkBytes),
    "strings.chunkOf": chunkOf,
    "strings.starts": starts,
    "strings.lengths": lengths,
    "strings.blob": Buffer.concat(encoded),
  };
}

/** What a loaded store reads its passages from. */
interface Store {
  meta: StoreMeta;
  fields: Int32Array;
  timestamps: Float64Array;
  text: Int32Array;
  context: Int32Array;
  asks: Uint8Array;
  words: Int32Array;
  chunkBytes: Int32Array;
  chunkOf: Int32Array;
  starts: Int32Array;
  lengths: Int32Array;
  blob: Buffer;
  /** Chunks decoded so far. */
  chunks: Array<string | undefined>;
}

function stringAt(store: Store, id: number): string {
  const chunk = store.chunkOf[id] as number;
  let text = store.chunks[chunk];
  if (text === undefined) {
    text = store.blob.toString("utf8", store.chunkBytes[chunk], store.chunkBytes[chunk + 1]);
    store.chunks[chunk] = text;
  }
  const start = store.starts[id] as number;
  return text.slice(start, start + (store.lengths[id] as number));
}

/** A passage read from the store: plain fields on demand, text and context decoded when read. */
class StoredPassage implements Passage {
  constructor(
    private readonly store: Store,
    private readonly at: number,
  ) {}

  private field(which: number): number {
    return this.store.fields[this.at * FIELDS + which] as number;
  }

  get id(): string {
    const turn = `${this.episodeId}#${this.turnIndex}`;
    return this.parts === 1 ? turn : `${turn}.${this.part}`;
  }
  get episodeId(): string {
    return (this.store.meta.episodes[this.field(EPISODE)] as EpisodeMeta).id;
  }
  get turnIndex(): number {
    return this.field(TURN);
  }
  get part(): number {
    return this.field(PART);
  }
  get parts(): number {
    return this.field(PARTS);
  }
  get label(): string {
    return this.store.meta.labels[this.field(LABEL)] as string;
  }
  get speaker(): Speaker {
    return this.store.meta.speakers[this.field(SPEAKER)] as Speaker;
  }
  get text(): string {
    return stringAt(this.store, this.store.text[this.at] as number);
  }
  get start(): number {
    return this.field(START);
  }
  get end(): number {
    return this.field(END);
  }
  get timestamp(): number | null {
    const value = this.store.timestamps[this.at] as number;
    return Number.isNaN(value) ? null : value;
  }
  get context(): string {
    return stringAt(this.store, this.store.context[this.at] as number);
  }
  get endsWithQuestion(): boolean {
    return this.store.asks[this.at] === 1;
  }
  get wordCount(): number {
    return this.store.words[this.at] as number;
  }

  /** A plain copy, as the passage was built (getters are not own properties: spread and JSON would miss them). */
  toJSON(): Passage {
    const { id, episodeId, turnIndex, part, parts, label, speaker, text, start, end, timestamp, context } =
      this;
    return { id, episodeId, turnIndex, part, parts, label, speaker, text, start, end, timestamp, context };
  }
}

export function passagesFromSections(sections: Sections): { episodes: EpisodeMeta[]; passages: Passage[] } {
  const store: Store = {
    meta: sections.json<StoreMeta>("passages.meta"),
    fields: sections.int32("passages.fields"),
    timestamps: sections.float64("passages.timestamp"),
    text: sections.int32("passages.text"),
    context: sections.int32("passages.context"),
    asks: sections.bytesOf("passages.asks"),
    words: sections.int32("passages.words"),
    chunkBytes: sections.int32("strings.chunks"),
    chunkOf: sections.int32("strings.chunkOf"),
    starts: sections.int32("strings.starts"),
    lengths: sections.int32("strings.lengths"),
    blob: sections.bytesOf("strings.blob"),
    chunks: [],
  };
  const count = store.text.length;
  const passages = new Array<Passage>(count);
  for (let i = 0; i < count; i++) passages[i] = new StoredPassage(store, i);
  return { episodes: store.meta.episodes, passages };
}

/** Runs of non-space characters, as the ranking counts a reply's words (ranking/turns.ts). */
function countRuns(text: string): number {
  let count = 0;
  for (const _ of text.matchAll(/\S+/g)) count += 1;
  return count;
}
