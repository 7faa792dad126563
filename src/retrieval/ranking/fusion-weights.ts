/**
 * The signals the retriever fuses, each normalised to the best passage's value and weighted.
 * Named here, apart from the retriever, so the config can check FUSION_WEIGHTS without loading it.
 */
export const FUSION_SIGNALS = ["text", "sentence", "context", "vector", "coverage"] as const;
export type FusionSignal = (typeof FUSION_SIGNALS)[number];
export type FusionWeights = Record<FusionSignal, number>;

/** Largest weight accepted: a bigger one is a typo, not a setting (the defaults are 0.35-1). */
export const MAX_FUSION_WEIGHT = 100;

/**
 * FUSION_WEIGHTS: comma-separated `signal=weight` entries ("vector=1.5,text=0.8"); signals left
 * out keep their default (no valid entry: `weights` is undefined). Problems name the entry's
 * position and what is allowed.
 */
export function parseFusionWeights(value: string): {
  weights?: Partial<FusionWeights>;
  problems: string[];
} {
  const weights: Partial<FusionWeights> = {};
  const problems: string[] = [];
  const entries = value.split(",").map((entry) => entry.trim());
  if (entries.length === 1 && entries[0] === "") return { problems };
  entries.forEach((entry, i) => {
    const [name = "", number = "", ...rest] = entry.split("=").map((part) => part.trim());
    const weight = Number(number);
    if (!(FUSION_SIGNALS as readonly string[]).includes(name) || rest.length > 0) {
      problems.push(
        `FUSION_WEIGHTS entry ${i + 1} must be SIGNAL=WEIGHT with SIGNAL one of ${FUSION_SIGNALS.join(", ")}`,
      );
    } else if (number === "" || !Number.isFinite(weight) || weight < 0 || weight > MAX_FUSION_WEIGHT) {
      problems.push(
        `FUSION_WEIGHTS entry ${i + 1} (${name}) must be a number from 0 to ${MAX_FUSION_WEIGHT}`,
      );
    } else if (Object.hasOwn(weights, name)) {
      problems.push(`FUSION_WEIGHTS entry ${i + 1} names ${name} a second time`);
    } else {
      weights[name as FusionSignal] = weight;
    }
  });
  return { weights: Object.keys(weights).length > 0 ? weights : undefined, problems };
}
