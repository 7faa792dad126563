import { randomUUID } from "node:crypto";
import type { Answer, AnswerPassage } from "../../answer/types.js";
import { BoundedMap } from "./bounded-map.js";

const PREFIX = "more-quotes:";

/**
 * The quotes of an answer not shown yet. They were fetched with the answer, so a press of
 * "More quotes" is no new question: it asks nothing, counts toward no rate limit and
 * costs no second LLM summary.
 */
export interface MoreQuotesState {
  /** The question as understood (a follow-up already merged). */
  question: string;
  status: Answer["status"];
  message?: string;
  /** The passages still to show, best first. */
  remaining: AnswerPassage[];
}

/**
 * The state behind "More quotes" buttons, in memory: a custom_id holds at most
 * 100 characters, too few for a question, so the button carries a random key.
 * A button older than the bounded store (or than the process) says it expired.
 */
export class MoreQuotesStore {
  private readonly states: BoundedMap<string, MoreQuotesState>;

  // Each state holds up to six passages (about 15 kB): 2,000 of them stay under 30 MB.
  constructor(max = 2_000) {
    this.states = new BoundedMap(max);
  }

  /**
   * Stores `state` and returns the custom_id of a button that refers to it. Registering again
   * under the same `key` replaces the state: the quotes shown early and the answer that replaces
   * them are one message, with one button.
   */
  register(state: MoreQuotesState, key: string = newMoreQuotesKey()): string {
    this.states.set(key, state);
    return `${PREFIX}${key}`;
  }

  /** The state a button's custom_id refers to, or undefined when it has expired. */
  lookup(customId: string): MoreQuotesState | undefined {
    return isMoreQuotesId(customId) ? this.states.get(customId.slice(PREFIX.length)) : undefined;
  }
}

/** A fresh key for `register`. */
export function newMoreQuotesKey(): string {
  return randomUUID();
}

/** Whether a component's custom_id is one of this bot's "More quotes" buttons. */
export function isMoreQuotesId(customId: string): boolean {
  return customId.startsWith(PREFIX);
}
