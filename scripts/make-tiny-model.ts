/**
 * Writes a tiny, deterministic BERT-like model folder that `@xenova/transformers` can load offline.
 * Tests use it to exercise the real loading and inference code without downloading anything.
 *
 * Usage: `npx tsx scripts/make-tiny-model.ts [outDir]` (default `test/fixtures/tiny-model`).
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import onnxProto from "onnx-proto";

const { onnx } = onnxProto;

/** Width of every token vector the tiny model produces. */
export const TINY_HIDDEN_SIZE = 32;

const SEED = 0x5eed_2024;
const TYPE_VOCAB_SIZE = 2;
const SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] as const;

const WORDS = `
  the a an and or but if then so of to in on at by for with from about as into over after before
  is are was were be been being have has had do does did can could will would should may might must
  i you he she it we they me him her us them my your his its our their this that these those there here
  what who whom which when where why how not no yes all any some more most many much very just also only
  one two three four five ten first last new old good great big small same other each every
  think know say said get got make made go going went see look want need use used work works working
  lambda serverless function functions cold start starts warm container containers firecracker micro vm
  aws amazon cloud service services server servers api gateway event events queue stream streams data
  database dynamodb s3 sqs sns kinesis latency availability scale scaling concurrency memory cpu
  request requests response invoke invocation runtime runtimes code deploy deployment customer customers
  team teams engineer engineers engineering leader leaders director manager operations operational
  metrics dashboards security isolation performance cost price billing time second seconds year years
  decade experience software hardware build building built developer developers show host episode
  podcast chat chats question answer talk talking people thing things way lot really actually
`;

const LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789";
const SUFFIXES = ["##s", "##es", "##ed", "##ing", "##er", "##ers", "##ly", "##al", "##ion", "##ions"];
const PUNCTUATION = [".", ",", "!", "?", "'", '"', ":", ";", "-", "(", ")", "/", "#", "%", "&"];

/** The vocabulary in id order; letters and `##` letters make every lowercase word tokenizable. */
export function tinyVocab(): string[] {
  const words = WORDS.split(/\s+/).filter((w) => w.length > 0);
  const letters = [...LETTERS];
  const pieces = [
    ...SPECIAL_TOKENS,
    ...PUNCTUATION,
    ...letters,
    ...letters.map((c) => `##${c}`),
    ...SUFFIXES,
    ...words,
  ];
  return [...new Set(pieces)];
}

/** mulberry32: tiny seeded PRNG so the embedding table is identical on every run and machine. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomTable(rows: number, cols: number, next: () => number): Float32Array {
  const table = new Float32Array(rows * cols);
  for (let i = 0; i < table.length; i++) table[i] = next() * 2 - 1;
  return table;
}

function floatTensor(name: string, dims: number[], values: Float32Array): onnxProto.onnx.ITensorProto {
  // Explicit little-endian bytes: raw_data must not depend on the host's byte order.
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (const [i, v] of values.entries()) view.setFloat32(i * 4, v, true);
  return { name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: bytes };
}

function int64Tensor(name: string, values: number[]): onnxProto.onnx.ITensorProto {
  return { name, dims: [values.length], dataType: onnx.TensorProto.DataType.INT64, int64Data: values };
}

function valueInfo(
  name: string,
  elemType: number,
  dims: (string | number)[],
): onnxProto.onnx.IValueInfoProto {
  const dim = dims.map((d) => (typeof d === "string" ? { dimParam: d } : { dimValue: d }));
  return { name, type: { tensorType: { elemType, shape: { dim } } } };
}

function node(
  opType: string,
  input: string[],
  output: string[],
  attribute: onnxProto.onnx.IAttributeProto[] = [],
) {
  return { opType, input, output, name: output[0], attribute };
}

/**
 * last_hidden_state = (word_emb[input_ids] + type_emb[token_type_ids]) * attention_mask.
 * No attention layers: just enough for distinct, deterministic token vectors, and every input is used.
 */
export function buildTinyOnnxModel(vocabSize: number): Uint8Array {
  const next = seededRandom(SEED);
  const wordEmbeddings = randomTable(vocabSize, TINY_HIDDEN_SIZE, next);
  const typeEmbeddings = randomTable(TYPE_VOCAB_SIZE, TINY_HIDDEN_SIZE, next).map((v) => v * 0.1);
  const { FLOAT, INT64 } = onnx.TensorProto.DataType;

  const graph: onnxProto.onnx.IGraphProto = {
    name: "tiny_bert",
    initializer: [
      floatTensor("word_embeddings", [vocabSize, TINY_HIDDEN_SIZE], wordEmbeddings),
      floatTensor("token_type_embeddings", [TYPE_VOCAB_SIZE, TINY_HIDDEN_SIZE], typeEmbeddings),
      int64Tensor("mask_axes", [2]),
    ],
    node: [
      node("Gather", ["word_embeddings", "input_ids"], ["word_vectors"]),
      node("Gather", ["token_type_embeddings", "token_type_ids"], ["type_vectors"]),
      node("Add", ["word_vectors", "type_vectors"], ["token_vectors"]),
      node(
        "Cast",
        ["attention_mask"],
        ["mask_float"],
        [{ name: "to", type: onnx.AttributeProto.AttributeType.INT, i: FLOAT }],
      ),
      node("Unsqueeze", ["mask_float", "mask_axes"], ["mask_3d"]),
      node("Mul", ["token_vectors", "mask_3d"], ["last_hidden_state"]),
    ],
    input: ["input_ids", "attention_mask", "token_type_ids"].map((n) =>
      valueInfo(n, INT64, ["batch", "sequence"]),
    ),
    output: [valueInfo("last_hidden_state", FLOAT, ["batch", "sequence", TINY_HIDDEN_SIZE])],
  };
  const model = onnx.ModelProto.create({
    irVersion: 7,
    opsetImport: [{ domain: "", version: 13 }],
    producerName: "make-tiny-model",
    graph,
  });
  return onnx.ModelProto.encode(model).finish();
}

function tokenizerJson(vocab: string[]): object {
  const ids = new Map(vocab.map((token, id) => [token, id]));
  const special = (token: string) => ({ id: token, ids: [ids.get(token)], tokens: [token] });
  const cls = { SpecialToken: { id: "[CLS]", type_id: 0 } };
  const sep = (typeId: number) => ({ SpecialToken: { id: "[SEP]", type_id: typeId } });
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((content) => ({
      id: ids.get(content),
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: {
      type: "BertNormalizer",
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: "BertPreTokenizer" },
    post_processor: {
      type: "TemplateProcessing",
      single: [cls, { Sequence: { id: "A", type_id: 0 } }, sep(0)],
      pair: [
        cls,
        { Sequence: { id: "A", type_id: 0 } },
        sep(0),
        { Sequence: { id: "B", type_id: 1 } },
        sep(1),
      ],
      special_tokens: { "[CLS]": special("[CLS]"), "[SEP]": special("[SEP]") },
    },
    decoder: { type: "WordPiece", prefix: "##", cleanup: true },
    model: {
      type: "WordPiece",
      unk_token: "[UNK]",
      continuing_subword_prefix: "##",
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(ids),
    },
  };
}

const TOKENIZER_CONFIG = {
  tokenizer_class: "BertTokenizer",
  do_lower_case: true,
  model_max_length: 512,
  clean_up_tokenization_spaces: true,
  pad_token: "[PAD]",
  unk_token: "[UNK]",
  cls_token: "[CLS]",
  sep_token: "[SEP]",
  mask_token: "[MASK]",
};

function modelConfig(vocabSize: number): object {
  return {
    model_type: "bert",
    architectures: ["BertModel"],
    vocab_size: vocabSize,
    hidden_size: TINY_HIDDEN_SIZE,
    num_hidden_layers: 1,
    num_attention_heads: 1,
    intermediate_size: TINY_HIDDEN_SIZE * 2,
    max_position_embeddings: 512,
    type_vocab_size: TYPE_VOCAB_SIZE,
    pad_token_id: 0,
  };
}

const toJson = (value: object) => `${JSON.stringify(value, null, 2)}\n`;

/** Writes the tiny model folder into `outDir` (created if missing) and returns the paths written. */
export async function makeTinyModel(outDir: string): Promise<string[]> {
  const vocab = tinyVocab();
  const onnxModel = buildTinyOnnxModel(vocab.length);
  const files: [string, string | Uint8Array][] = [
    ["config.json", toJson(modelConfig(vocab.length))],
    ["tokenizer.json", toJson(tokenizerJson(vocab))],
    ["tokenizer_config.json", toJson(TOKENIZER_CONFIG)],
    // Same bytes under both names so `quantized: true` and `quantized: false` both load.
    ["onnx/model.onnx", onnxModel],
    ["onnx/model_quantized.onnx", onnxModel],
  ];
  await mkdir(join(outDir, "onnx"), { recursive: true });
  const written: string[] = [];
  for (const [name, content] of files) {
    const path = join(outDir, name);
    await writeFile(path, content);
    written.push(path);
  }
  return written;
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  const outDir = process.argv[2] ?? "test/fixtures/tiny-model";
  const written = await makeTinyModel(outDir);
  console.log(`Wrote ${written.length} files to ${outDir}`);
}
