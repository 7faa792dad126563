import { randomUUID } from "node:crypto";
import type { AskScope } from "../../answer/types.js";
import { BoundedMap } from "./bounded-map.js";

const PREFIX = "more-quotes:";

/** What a "More quotes" button needs to fetch the next quotes of an answer. */
export interface MoreQuotesState {
  /** The question as understood (a follow-up already merged), so it stands on its own. */
  question: string;
  /** Ids of the passages already shown, in order. */
  shown: string[];
  /** The episodes the question's channel is pinned to, if any. */
  scope?: AskScope;
}

/**
 * The state behind "More quotes" buttons, in memory: a custom_id holds at most
 * 100 characters, too few for a question, so the button carries a random key.
 * A button older than the bounded store (or than the process) says it expired.
 */
export class MoreQuotesStore {
  private readonly states: BoundedMap<string, MoreQuotesState>;

  constructor(max = 5_000) {
    this.states = new BoundedMap(max);
  }

  /** Stores `state` and returns the custom_id of a button that refers to it. */
  register(state: MoreQuotesState): string {
    const key = randomUUID();
    this.states.set(key, state);
    return `${PREFIX}${key}`;
  }

  /** The state a button's custom_id refers to, or undefined when it has expired. */
  lookup(customId: string): MoreQuotesState | undefined {
    return isMoreQuotesId(customId) ? this.states.get(customId.slice(PREFIX.length)) : undefined;
  }
}

/** Whether a component's custom_id is one of this bot's "More quotes" buttons. */
export function isMoreQuotesId(customId: string): boolean {
  return customId.startsWith(PREFIX);
}
