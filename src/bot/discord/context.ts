import type { EpisodeCatalog } from "../../answer/scope-names.js";
import type { ChannelScopes } from "../../config.js";
import type { Logger } from "../../logger.js";
import type { FlowDeps } from "../answer-flow.js";
import type { Claims } from "../claims.js";
import type { DiscordConversations } from "./conversations.js";

/** What the event handlers share: the answer flow's needs, the logger and the adapter's state. */
export interface HandlerContext {
  /** The use case and the quote store behind "More quotes" (see answer-flow.ts). */
  flow: FlowDeps;
  log: Logger;
  /** The conversation a question belongs to, and the one each of the bot's answers does. */
  conversations: DiscordConversations;
  /** Messages claimed, so two processes holding the same shard (a rolling restart) answer once. */
  claims: Claims;
  /** Answer a mention in a new thread on the question instead of a reply (DISCORD_REPLY_IN_THREAD). */
  replyInThread: boolean;
  /** Channels pinned to some episodes (CHANNEL_SCOPES). */
  channelScopes?: ChannelScopes;
  /** The episodes of the index serving now, which `/ask`'s `in` option names one of. */
  episodes: EpisodeCatalog;
}
