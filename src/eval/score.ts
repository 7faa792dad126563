import type { Answer } from "../answer/types.js";

/** One line of a question set (format: eval/README.md). */
export interface QaItem {
  id: string;
  question: string;
  answerable: boolean;
  speaker: string | null;
  evidence: string[];
  answer?: string;
  kind: string;
  /** Optional: questions sharing a conversation id are asked in order as one conversation (follow-ups). */
  conversation?: string;
  /** Optional (archive sets): how the question is asked, `named`, `paraphrase` or `casual`. */
  style?: string;
  /** Optional (archive sets): the episode the question is about. */
  episode?: string;
}

function normalise(text: string): string {
  return text.replace(/[“”]/g, '"').replace(/[‘’]/g, "'").replace(/\s+/g, " ").trim();
}

function wordList(text: string): string[] {
  return normalise(text)
    .toLowerCase()
    .split(" ")
    .map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ""))
    .filter(Boolean);
}

/** Longest run of consecutive evidence words that also appears consecutively in the passage. */
function longestSharedRun(evidence: string[], passage: string[]): number {
  let best = 0;
  let previous = new Array<number>(passage.length + 1).fill(0);
  for (let i = 1; i <= evidence.length; i++) {
    const current = new Array<number>(passage.length + 1).fill(0);
    for (let j = 1; j <= passage.length; j++) {
      if (evidence[i - 1] === passage[j - 1]) {
        current[j] = (previous[j - 1] ?? 0) + 1;
        if ((current[j] ?? 0) > best) best = current[j] ?? 0;
      }
    }
    previous = current;
  }
  return best;
}

/** The set's rule: the passage holds an evidence string, or 60% of its words as one unbroken run. */
export function isHit(passageText: string, evidence: string[]): boolean {
  const text = normalise(passageText);
  const words = wordList(passageText);
  return evidence.some((e) => {
    if (text.includes(normalise(e))) return true;
    const ew = wordList(e);
    return ew.length > 0 && longestSharedRun(ew, words) >= 0.6 * ew.length;
  });
}

export interface EvalSummary {
  hitAt1: number;
  hitAt3: number;
  hitAt5: number;
  mrr: number;
  answered: number;
  offtopicRefused: number;
  nearMissHonest: number;
  p50Ms: number;
  p95Ms: number;
}

function share(values: boolean[]): number {
  return values.length === 0 ? 0 : values.filter(Boolean).length / values.length;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

export function firstHitRank(item: QaItem, answer: Answer): number | null {
  const index = answer.passages.findIndex((p) => isHit(p.text, item.evidence));
  return index === -1 ? null : index + 1;
}

export function summarise(items: QaItem[], answers: Answer[], latenciesMs: number[]): EvalSummary {
  const answerable = items
    .map((item, i) => ({ item, answer: answers[i] as Answer }))
    .filter((r) => r.item.answerable);
  const ranks = answerable.map((r) => firstHitRank(r.item, r.answer));
  const round = (n: number) => Math.round(n * 1000) / 1000;
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  const of = (kind: string) =>
    items.map((item, i) => ({ item, answer: answers[i] as Answer })).filter((r) => r.item.kind === kind);
  return {
    hitAt1: round(share(ranks.map((r) => r !== null && r <= 1))),
    hitAt3: round(share(ranks.map((r) => r !== null && r <= 3))),
    hitAt5: round(share(ranks.map((r) => r !== null && r <= 5))),
    mrr: round(
      ranks.reduce<number>((sum, r) => sum + (r !== null && r <= 10 ? 1 / r : 0), 0) / (ranks.length || 1),
    ),
    answered: round(share(answerable.map((r) => r.answer.status === "answered"))),
    offtopicRefused: round(share(of("offtopic").map((r) => r.answer.status === "not_found"))),
    nearMissHonest: round(share(of("near-miss").map((r) => r.answer.status !== "answered"))),
    p50Ms: round(percentile(sorted, 50)),
    p95Ms: round(percentile(sorted, 95)),
  };
}

/** The answerable questions' figures for each `style` of a set that has styles (hit@k, MRR, answered). */
export function summariseByStyle(
  items: QaItem[],
  answers: Answer[],
  latenciesMs: number[],
): Array<{ style: string; questions: number; summary: EvalSummary }> {
  const styles = [
    ...new Set(items.map((item) => item.style).filter((s): s is string => typeof s === "string")),
  ];
  return styles.sort().map((style) => {
    const at = items.flatMap((item, i) => (item.style === style && item.answerable ? [i] : []));
    const summary = summarise(
      at.map((i) => items[i] as QaItem),
      at.map((i) => answers[i] as Answer),
      at.map((i) => latenciesMs[i] ?? 0),
    );
    return { style, questions: at.length, summary };
  });
}
