import type { AddressInfo } from "node:net";
import { App, HTTPReceiver, SocketModeReceiver, webApi } from "@slack/bolt";
import type { EpisodeCatalog } from "../../answer/scope-names.js";
import type { StreamingAsk } from "../../answer/types.js";
import type { Config } from "../../config.js";
import { describeError } from "../../errors.js";
import type { Logger } from "../../logger.js";
import type { ChatAdapter } from "../adapter.js";
import { type Claims, MemoryClaims } from "../claims.js";
import type { FeedbackLog } from "../feedback.js";
import { InFlight } from "../in-flight.js";
import { MemoryQuoteStore, type QuoteStore } from "../quote-store.js";
import type { SlackDeps } from "./answer-question.js";
import { boltLogger } from "./bolt-logger.js";
import { slackClientOptions, slackPostClientOptions } from "./client-options.js";
import { registerAskCommand } from "./handlers/ask-command.js";
import { createAssistant } from "./handlers/assistant.js";
import { registerDirectMessage } from "./handlers/direct-message.js";
import { registerFeedback } from "./handlers/feedback.js";
import { registerMention } from "./handlers/mention.js";
import { registerMoreQuotes } from "./handlers/more-quotes.js";
import { dropDuplicateEvents, ignoreBots, trackInFlight } from "./middleware.js";
import { postOnce } from "./post-once.js";
import { createReceiver, SLACK_EVENTS_PATH } from "./receiver.js";
import { guardSlackRequests } from "./request-guard.js";
import { startError } from "./start-errors.js";

const DEFAULT_API_URL = "https://slack.com/api/";

export interface SlackAdapterOptions {
  /** The `slack` section of the config (present when SLACK_BOT_TOKEN is set). */
  config: NonNullable<Config["slack"]>;
  /** The use case: every answer comes from here. */
  ask: StreamingAsk;
  log: Logger;
  /** Where 👍/👎 clicks are appended. */
  feedbackLog: FeedbackLog;
  /** Answers kept for their buttons (Redis, shared by replicas); default this process's memory. */
  quotes?: QuoteStore;
  /** Events and messages claimed, so each is answered once (Redis, across replicas); default memory. */
  claims?: Claims;
  /** Interface the HTTP receiver binds to (default: all). */
  host?: string;
  /** How long `stop()` waits for answers still being written (default 10 s). */
  drainTimeoutMs?: number;
  /**
   * How long one post of a message may take before it counts as lost (default
   * SLACK_REQUEST_TIMEOUT_MS); then the thread is looked up before it is sent again.
   */
  postTimeoutMs?: number;
  /** The episodes of the index serving now, for `/ask in:NAME` (default: none, so every name is unknown). */
  episodes?: EpisodeCatalog;
}

/**
 * The Slack side of the bot. `start()` checks the bot token (auth.test), then connects (Socket
 * Mode) or listens (HTTP); it is connected while listening, or while holding an open socket.
 */
export interface SlackAdapter extends ChatAdapter {
  readonly mode: "socket" | "http";
  /** The port the HTTP receiver listens on once started; undefined in Socket Mode. */
  readonly port: number | undefined;
}

/**
 * A thin Slack layer over `ask`, on Bolt: Socket Mode when an app-level token
 * is configured (no public URL needed), otherwise HTTP on `port` at
 * `/slack/events` with Bolt's request-signature check. Listens to mentions,
 * DMs, `/ask`, the AI side panel and the answer buttons.
 */
export function createSlackAdapter(options: SlackAdapterOptions): SlackAdapter {
  const { config } = options;
  const log = options.log.child({ adapter: "slack" });
  const mode = config.appToken === undefined ? "http" : "socket";
  const apiUrl = config.apiUrl ?? DEFAULT_API_URL;
  const logger = boltLogger(log);
  const clientOptions = { ...slackClientOptions(config.apiUrl, log), logger };
  const receiver = createReceiver(config, logger, clientOptions);
  const app = new App({
    token: config.botToken,
    receiver,
    logger,
    clientOptions,
    // auth.test runs in start(), where a rejected token becomes a clear error.
    deferInitialization: true,
    convoStore: false,
  });

  const inFlight = new InFlight();
  const claims = options.claims ?? new MemoryClaims();
  const deps: SlackDeps = {
    flow: { ask: options.ask, log, quotes: options.quotes ?? new MemoryQuoteStore(), platform: "slack" },
    log,
    // Posts go through a client of their own, which never retries by itself (see post-once.ts).
    post: postOnce({
      poster: new webApi.WebClient(undefined, slackPostClientOptions(clientOptions, options.postTimeoutMs)),
      log,
    }),
    feedbackLog: options.feedbackLog,
    claims,
    ephemeralByDefault: config.ephemeral,
    channelScopes: config.channelScopes,
    episodes: options.episodes ?? (() => []),
  };
  app.use(trackInFlight(inFlight));
  app.use(dropDuplicateEvents(log, claims));
  app.use(ignoreBots());
  app.assistant(createAssistant(deps));
  registerMention(app, deps);
  registerDirectMessage(app, deps);
  registerAskCommand(app, deps);
  registerMoreQuotes(app, deps);
  registerFeedback(app, deps);
  app.error(async (error) => {
    // Handlers catch their own failures; this is the last net, and it must not rethrow.
    log.error({ err: describeError(error) }, "unhandled error in a Slack handler");
  });

  let port: number | undefined;
  let running = false;
  // Bolt's HTTP receiver crashes on some signed bodies and accepts future timestamps: gate it.
  if (receiver instanceof HTTPReceiver && config.signingSecret) {
    guardSlackRequests(receiver, { signingSecret: config.signingSecret, endpoint: SLACK_EVENTS_PATH, log });
  }
  // In Socket Mode the receiver's socket says whether Slack can reach us.
  const socketUp = () =>
    !(receiver instanceof SocketModeReceiver) || receiver.client.websocket?.isActive() === true;
  return {
    name: "slack",
    mode,
    get port() {
      return port;
    },
    isConnected: () => running && socketUp(),
    async start() {
      try {
        await app.init();
      } catch (error) {
        throw startError(error, "SLACK_BOT_TOKEN", { apiUrl });
      }
      try {
        if (mode === "socket") {
          await app.start();
        } else {
          const listen = options.host === undefined ? config.port : { port: config.port, host: options.host };
          const server = await app.start(listen);
          port = (server.address() as AddressInfo).port;
        }
      } catch (error) {
        throw startError(error, mode === "socket" ? "SLACK_APP_TOKEN" : "SLACK_BOT_TOKEN", {
          apiUrl,
          port: config.port,
        });
      }
      running = true;
      log.info(
        mode === "socket" ? { mode } : { mode, port, path: SLACK_EVENTS_PATH },
        mode === "socket" ? "Slack connected (Socket Mode)" : "Slack listening for events",
      );
    },
    async stop() {
      if (!running) return;
      running = false;
      try {
        await app.stop();
      } catch (error) {
        log.warn({ err: describeError(error) }, "Slack receiver did not stop cleanly");
      }
      const drained = await inFlight.drain(options.drainTimeoutMs ?? 10_000);
      if (!drained) log.warn({ inFlight: inFlight.size }, "Slack stopped with answers still in progress");
    },
  };
}
