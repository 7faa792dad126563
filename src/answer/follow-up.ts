import { terms, words } from "../retrieval/analysis/tokens.js";

// Openings that lean on what was said before: "and GPUs?", "what about…".
const CONNECTIVE = /^\s*(and|but|also|or|plus|what about|how about|what else)\b/i;
// "why?", "how come?", "really?" only lean on the question before when they bring no topic of their own.
const BARE = /^\s*(why|how come|really|how|when|who)\b/i;
const ANAPHORA = new Set(["that", "this", "it", "those", "these", "them", "there", "then"]);

/** Whether a question only makes sense together with the one before it. */
export function isFollowUp(question: string): boolean {
  const topic = terms(question).length;
  if (topic === 0 || CONNECTIVE.test(question)) return true;
  if (BARE.test(question) && topic <= 1) return true;
  const asked = words(question).map((w) => w.word);
  return asked.length <= 8 && topic <= 2 && asked.some((w) => ANAPHORA.has(w));
}

const MAX_STANDALONE_WORDS = 40;

/** The follow-up merged with the question it follows, bounded so chains of follow-ups stay short. */
export function mergeFollowUp(question: string, previous: string): string {
  return `${question} ${previous}`.split(/\s+/).slice(0, MAX_STANDALONE_WORDS).join(" ");
}
