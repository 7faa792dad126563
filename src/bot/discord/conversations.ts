import type { LRUCache } from "lru-cache";
import { expiringMap } from "../../expiring-map.js";

/** Where a question was asked, as far as conversations are concerned. */
export interface QuestionPlace {
  /** The thread it was asked in: the whole thread is one conversation. */
  threadId?: string;
  /** The direct-message channel it was asked in: a DM is one conversation too. */
  dmChannelId?: string;
  /** The message it replies to, if any. */
  repliedToId?: string;
  /** The question's own id (message or interaction): the root of a new reply chain. */
  rootId: string;
}

/**
 * Which conversation each of the bot's answers belongs to, so a reply to an
 * answer continues that conversation. Kept in memory, bounded; after a restart
 * a reply to an old answer simply starts a new conversation rooted there.
 */
export class DiscordConversations {
  private readonly byMessage: LRUCache<string, string>;

  constructor(maxMessages = 20_000) {
    this.byMessage = expiringMap({ max: maxMessages });
  }

  /** Remembers that the bot's message `messageId` answered within `conversation`. */
  remember(messageId: string, conversation: string): void {
    this.byMessage.set(messageId, conversation);
  }

  /** Whether `messageId` is one of the bot's answers this process remembers. */
  isAnswer(messageId: string): boolean {
    return this.byMessage.get(messageId) !== undefined;
  }

  /** The conversation id a question belongs to (passed to `ask` as `conversation`). */
  resolve(place: QuestionPlace): string {
    if (place.threadId) return `discord:thread:${place.threadId}`;
    if (place.dmChannelId) return `discord:dm:${place.dmChannelId}`;
    if (place.repliedToId) {
      return this.byMessage.get(place.repliedToId) ?? `discord:chain:${place.repliedToId}`;
    }
    return `discord:chain:${place.rootId}`;
  }
}
