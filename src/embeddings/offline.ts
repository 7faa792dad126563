import { terms, words } from "../retrieval/analysis/tokens.js";
import type { Embedder } from "./types.js";

/**
 * The offline default: needs no model weights, so it works on any machine.
 *
 * Each text becomes a hashed bag of features (the "hashing trick"): the stems
 * of its content words, plus character trigrams of each word so that typos
 * and word forms ("lamda", "containers") land near the right words. It knows
 * nothing of meaning beyond shared forms; the lexical side of the retriever
 * adds synonyms. Deterministic: the same text always gives the same vector.
 */

const TRIGRAM_WEIGHT = 0.35;

// FNV-1a: fast, stable across runs and platforms.
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function add(vector: Float32Array, feature: string, weight: number): void {
  const h = hash(feature);
  const sign = h & 0x80000000 ? -1 : 1;
  const slot = h % vector.length;
  vector[slot] = (vector[slot] ?? 0) + sign * weight;
}

export function embedOffline(text: string, dimensions: number): Float32Array {
  const vector = new Float32Array(dimensions);
  const counts = new Map<string, number>();
  for (const term of terms(text)) counts.set(`w:${term}`, (counts.get(`w:${term}`) ?? 0) + 1);
  for (const { word } of words(text)) {
    if (word.length < 4) continue;
    const padded = `^${word}$`;
    const share = TRIGRAM_WEIGHT / (padded.length - 2);
    for (let i = 0; i + 3 <= padded.length; i++) {
      const gram = `g:${padded.slice(i, i + 3)}`;
      counts.set(gram, (counts.get(gram) ?? 0) + share);
    }
  }
  for (const [feature, count] of counts) {
    // Sub-linear: a word said five times is not five times as telling.
    add(vector, feature, feature.startsWith("w:") ? 1 + Math.log(count) : count);
  }
  let norm = 0;
  for (const value of vector) norm += value * value;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i] = (vector[i] ?? 0) / norm;
  return vector;
}

export function createOfflineEmbedder(dimensions = 512): Embedder {
  return {
    id: `offline-hash-v1`,
    dimensions,
    embed: async (texts) => texts.map((text) => embedOffline(text, dimensions)),
  };
}
