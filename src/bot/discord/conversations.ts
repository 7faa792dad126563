import type { ReplyChains } from "../reply-chains.js";

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
 * The conversation a Discord question belongs to: its thread, its DM, or the
 * reply chain it continues. Which conversation each of the bot's answers
 * belongs to is kept in `ReplyChains` (this process's memory, or Redis shared
 * by shards and replicas), so a reply to an answer continues that
 * conversation; a reply to an answer it no longer knows starts a new one
 * rooted there.
 */
export class DiscordConversations {
  constructor(private readonly chains: ReplyChains) {}

  /** Remembers that the bot's message `messageId` answered within `conversation`. */
  remember(messageId: string, conversation: string): Promise<void> {
    return this.chains.remember(chainKey(messageId), conversation);
  }

  /** Whether `messageId` is one of the bot's answers the reply chains remember. */
  async isAnswer(messageId: string): Promise<boolean> {
    return (await this.chains.conversationOf(chainKey(messageId))) !== undefined;
  }

  /** The conversation id a question belongs to (passed to `ask` as `conversation`). */
  async resolve(place: QuestionPlace): Promise<string> {
    if (place.threadId) return `discord:thread:${place.threadId}`;
    if (place.dmChannelId) return `discord:dm:${place.dmChannelId}`;
    if (place.repliedToId) {
      return (
        (await this.chains.conversationOf(chainKey(place.repliedToId))) ??
        `discord:chain:${place.repliedToId}`
      );
    }
    return `discord:chain:${place.rootId}`;
  }
}

/** A Discord message's key among the reply chains of every platform. */
function chainKey(messageId: string): string {
  return `discord:${messageId}`;
}
