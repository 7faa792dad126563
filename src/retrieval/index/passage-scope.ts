/**
 * The passages a question is limited to (an episode, a show): 1 in `mask` at each position in
 * scope, `size` of them, all between `from` (included) and `to` (excluded). An archive's episodes
 * are indexed show by show, so a show's passages lie close together and a walk over postings or
 * passages can skip what lies outside [from, to).
 */
export interface PassageScope {
  mask: Uint8Array;
  size: number;
  from: number;
  to: number;
}

/** The scope of the positions set in `mask`. */
export function scopeOf(mask: Uint8Array): PassageScope {
  let size = 0;
  let from = mask.length;
  let to = 0;
  for (let position = 0; position < mask.length; position++) {
    if (mask[position] !== 1) continue;
    size += 1;
    if (position < from) from = position;
    to = position + 1;
  }
  return { mask, size, from: Math.min(from, to), to };
}
