import type { StreamingAsk } from "../../answer/types.js";
import type { ChannelScopes } from "../../config.js";
import type { Logger } from "../../logger.js";
import type { DiscordConversations } from "./conversations.js";
import type { MoreQuotesStore } from "./more-quotes.js";

/** What the event handlers share: the use case, the logger and the adapter's in-memory state. */
export interface HandlerContext {
  ask: StreamingAsk;
  log: Logger;
  conversations: DiscordConversations;
  moreQuotes: MoreQuotesStore;
  /** Answer a mention in a new thread on the question instead of a reply (DISCORD_REPLY_IN_THREAD). */
  replyInThread: boolean;
  /** Channels pinned to some episodes (CHANNEL_SCOPES). */
  channelScopes?: ChannelScopes;
}
