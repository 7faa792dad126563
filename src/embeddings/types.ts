/**
 * Turns texts into vectors. Implementations must return unit-length vectors
 * (cosine similarity = dot product) of exactly `dimensions` numbers.
 */
export interface Embedder {
  /** Stable id written to the index manifest; an index built with another id is refused. */
  readonly id: string;
  readonly dimensions: number;
  embed(texts: string[]): Promise<Float32Array[]>;
}
