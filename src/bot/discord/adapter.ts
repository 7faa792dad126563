import { once } from "node:events";
import { type Client, Events, type Interaction, type Message, Status } from "discord.js";
import type { EpisodeCatalog } from "../../answer/scope-names.js";
import type { StreamingAsk } from "../../answer/types.js";
import type { Config } from "../../config.js";
import { type AppError, describeError } from "../../errors.js";
import type { Logger } from "../../logger.js";
import type { ChatAdapter } from "../adapter.js";
import { type Claims, MemoryClaims } from "../claims.js";
import { InFlight } from "../in-flight.js";
import { MemoryQuoteStore, type QuoteStore } from "../quote-store.js";
import { MemoryReplyChains, type ReplyChains } from "../reply-chains.js";
import { createDiscordClient } from "./client.js";
import type { HandlerContext } from "./context.js";
import { DiscordConversations } from "./conversations.js";
import { gatewayCloseError, loginError, restFailure } from "./failures.js";
import { handleInteraction } from "./handle-interaction.js";
import { handleMessage } from "./handle-message.js";
import { tokenUserId, validateDiscordConfig } from "./settings.js";

export interface DiscordAdapterOptions {
  /** `config.discord`; checked here, before anything connects. */
  config: Config["discord"];
  ask: StreamingAsk;
  log: Logger;
  /**
   * Called when Discord ends the session for good after start-up (a revoked
   * intent or token: gateway close 4014, 4004…). Default: log it, stop, exit 1.
   */
  onFatal?: (error: AppError) => void;
  /** How long `stop()` waits for answers in progress before disconnecting. */
  drainMs?: number;
  /** How long one REST request may take before discord.js sends it again (default 15 s). */
  restTimeoutMs?: number;
  /** The episodes of the index serving now, for `/ask`'s `in` option (default: none, so every name is unknown). */
  episodes?: EpisodeCatalog;
  /** Answers kept for "More quotes" (Redis, shared by replicas); default this process's memory. */
  quotes?: QuoteStore;
  /** Messages claimed, so each is answered once (Redis, across processes); default memory. */
  claims?: Claims;
  /** Which conversation each of the bot's answers belongs to, for replies to them (Redis, across processes); default memory. */
  replyChains?: ReplyChains;
}

/** The Discord side of the bot: connected while the gateway session is ready. */
export type DiscordAdapter = ChatAdapter;

/**
 * The Discord bot: `/ask`, mentions, replies, threads and DMs, as a thin layer
 * over `ask`. Throws AppError(E_CONFIG) at once on bad settings; `start()`
 * resolves once the gateway session is ready and rejects with an AppError that
 * says what to change when Discord refuses the login.
 */
export function createDiscordAdapter(options: DiscordAdapterOptions): DiscordAdapter {
  const config = validateDiscordConfig(options.config);
  const log = options.log.child({ adapter: "discord" });
  if (tokenUserId(config.token) !== undefined && tokenUserId(config.token) !== config.appId) {
    log.warn("DISCORD_TOKEN does not look like a token of DISCORD_APP_ID (fine for apps made before 2019)");
  }
  const client = createDiscordClient(config, options.restTimeoutMs);
  const ctx: HandlerContext = {
    flow: {
      ask: options.ask,
      log,
      quotes: options.quotes ?? new MemoryQuoteStore(),
      platform: "discord",
      failure: restFailure,
    },
    log,
    conversations: new DiscordConversations(options.replyChains ?? new MemoryReplyChains()),
    claims: options.claims ?? new MemoryClaims(),
    replyInThread: config.replyInThread,
    channelScopes: config.channelScopes,
    episodes: options.episodes ?? (() => []),
  };
  const inFlight = new InFlight();
  let state: "idle" | "starting" | "running" | "stopping" = "idle";
  let refusal: AppError | undefined;

  const stop = async (): Promise<void> => {
    if (state === "stopping") return;
    state = "stopping";
    // Answers already being written are finished, not dropped half-way.
    const drained = await inFlight.drain(options.drainMs ?? 10_000);
    if (!drained) log.warn({ inFlight: inFlight.size }, "Discord stopped with answers still in progress");
    await client.destroy();
  };
  const onFatal =
    options.onFatal ??
    ((error: AppError) => {
      log.fatal({ code: error.code }, error.message);
      void stop().finally(() => process.exit(1));
    });

  const track = (work: () => Promise<void>): void => {
    if (state !== "running") return;
    inFlight.run(work).catch((error: unknown) => {
      log.error({ err: describeError(error) }, "Discord event handler failed");
    });
  };
  wireEvents(client, log, {
    message: (message) => track(() => handleMessage(message, ctx)),
    interaction: (interaction) => track(() => handleInteraction(interaction, ctx)),
    closed: (code) => {
      const error = gatewayCloseError(code);
      if (!error) return;
      refusal = error;
      if (state === "running") onFatal(error);
    },
  });

  return {
    name: "discord",
    async start() {
      if (state !== "idle") throw new Error("the Discord adapter can be started once");
      state = "starting";
      try {
        await client.login(config.token);
        if (!client.isReady()) await once(client, Events.ClientReady);
      } catch (error) {
        state = "idle";
        await client.destroy();
        throw refusal ?? loginError(error);
      }
      state = "running";
      log.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, "Discord bot connected");
    },
    stop,
    isConnected: () => state === "running" && client.ws.status === Status.Ready,
  };
}

interface EventHandlers {
  message: (message: Message) => void;
  interaction: (interaction: Interaction) => void;
  closed: (code: number) => void;
}

function wireEvents(client: Client, log: Logger, handlers: EventHandlers): void {
  // An unhandled `error` event would end the process.
  client.on(Events.Error, (error) => log.error({ err: describeError(error) }, "Discord client error"));
  client.on(Events.Warn, (message) => log.warn(message));
  client.on(Events.ShardError, (error, shardId) =>
    log.warn({ err: describeError(error), shard: shardId }, "Discord connection error"),
  );
  client.on(Events.ShardDisconnect, (event, shardId) => {
    log.warn({ code: event.code, shard: shardId }, "Discord closed the gateway connection for good");
    handlers.closed(event.code);
  });
  client.on(Events.ShardReconnecting, (shardId) => log.debug({ shard: shardId }, "reconnecting to Discord"));
  client.rest.on("rateLimited", (info) =>
    // Not the route: webhook routes carry interaction tokens.
    log.warn(
      { method: info.method, retryAfterMs: info.retryAfter, global: info.global },
      "Discord rate limit",
    ),
  );
  if (log.isLevelEnabled("trace")) client.on(Events.Debug, (line) => log.trace(line));
  client.on(Events.MessageCreate, handlers.message);
  client.on(Events.InteractionCreate, handlers.interaction);
}
