import { createHmac, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";

/**
 * A fake Slack on 127.0.0.1 for tests: the Web API (`/api/<method>`), the
 * `response_url`s of commands and buttons (`/response/<id>`) and the Socket
 * Mode WebSocket (`/link`). It records every request as it crossed the wire,
 * and can be told to fail the next calls of a method (429, 500, Slack errors).
 */

export const TEAM_ID = "T0000FAKE";
export const BOT_USER_ID = "U0000B0T";
export const BOT_ID = "B0000B0T";
export const APP_ID = "A0000APP";

/** One request received by the fake. */
export interface SlackCall {
  /** Web API method ("chat.postMessage"), or "response_url" for a post to a response URL. */
  method: string;
  path: string;
  /** The body's fields, with JSON-valued fields (blocks, prompts…) parsed. */
  params: Record<string, unknown>;
  /** The body's fields as they were sent, JSON-encoded: search it for what reached Slack. */
  wire: string;
  /** The bearer token the request carried. */
  token?: string;
  /** The status the fake answered with. */
  status: number;
}

/** A message the bot posted, as the fake keeps it (what `conversations.replies` and `.history` return). */
export interface StoredMessage {
  channel: string;
  ts: string;
  /** The thread it was posted in; undefined for a top-level message. */
  threadTs?: string;
  text: unknown;
  /** The `metadata` it was posted with (Slack returns it only to `include_all_metadata`). */
  metadata?: unknown;
}

/** A call held without an answer: Slack did (or did not) do the work, and the reply never came. */
export interface HeldCall {
  /** Resolves with the call once it has arrived. */
  arrived: Promise<SlackCall>;
  /** Sends the answer after all (to a client that may have given up on it meanwhile). */
  release(): void;
}

/** A scripted answer for the next call of a method. */
export interface ScriptedResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface FakeSlackOptions {
  botToken: string;
  appToken?: string;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function decode(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (raw === "") return {};
  if (contentType?.includes("application/json")) return JSON.parse(raw) as Record<string, unknown>;
  const params: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    params[key] = value;
    if (/^[[{]/.test(value)) {
      try {
        params[key] = JSON.parse(value);
      } catch {
        // Not JSON after all: keep the string.
      }
    }
  }
  return params;
}

export class FakeSlack {
  readonly calls: SlackCall[] = [];
  readonly socketAcks: Array<Record<string, unknown>> = [];
  /** Messages the bot posted (and Slack kept), oldest first. */
  readonly messages: StoredMessage[] = [];
  private readonly scripted = new Map<string, ScriptedResponse[]>();
  private readonly held = new Map<
    string,
    Array<{ lands: boolean; call: (call: SlackCall) => void; release: Promise<void> }>
  >();
  private readonly sockets = new Set<WebSocket>();
  private readonly wss = new WebSocketServer({ noServer: true });
  private tsCounter = 0;
  private unreachable = false;

  private constructor(
    private readonly server: Server,
    private readonly options: FakeSlackOptions,
  ) {}

  /** Starts a fake on an ephemeral port of 127.0.0.1. */
  static async start(options: FakeSlackOptions): Promise<FakeSlack> {
    const server = createServer();
    const fake = new FakeSlack(server, options);
    server.on("request", (req, res) => {
      fake.handle(req, res).catch((error: unknown) => {
        res.writeHead(500);
        res.end(String(error));
      });
    });
    server.on("connection", (socket) => {
      if (fake.unreachable) socket.destroy();
    });
    server.on("upgrade", (req, socket, head) => {
      if (req.url !== "/link") {
        socket.destroy();
        return;
      }
      fake.wss.handleUpgrade(req, socket, head, (ws) => fake.onSocket(ws));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return fake;
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The Web API base URL to configure as SLACK_API_URL. */
  get apiUrl(): string {
    return `${this.origin}/api/`;
  }

  /** A response URL served by this fake (posts to it are recorded as "response_url"). */
  responseUrl(id = randomUUID()): string {
    return `${this.origin}/response/${id}`;
  }

  /** The successful calls of one method, in order. */
  callsTo(method: string): SlackCall[] {
    return this.calls.filter((call) => call.method === method && call.status === 200);
  }

  /** Every call of one method, whatever the fake answered. */
  attemptsOf(method: string): SlackCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** The next calls of `method` get these answers, in order, before the defaults resume. */
  script(method: string, ...responses: ScriptedResponse[]): void {
    this.scripted.set(method, [...(this.scripted.get(method) ?? []), ...responses]);
  }

  /**
   * The next call of `method` gets no answer until `release()` (or the fake closes). With `lands`
   * (the default) Slack did the work all the same, as when a post completes but its reply is lost;
   * without it, the work was never done.
   */
  hold(method: string, options: { lands?: boolean } = {}): HeldCall {
    let arrive: (call: SlackCall) => void = () => {};
    const arrived = new Promise<SlackCall>((resolve) => {
      arrive = resolve;
    });
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const queue = this.held.get(method) ?? [];
    queue.push({ lands: options.lands ?? true, call: arrive, release: released });
    this.held.set(method, queue);
    return { arrived, release };
  }

  /** The bot's messages in a thread (or, with `threadTs` undefined, at the top level of the channel). */
  messagesIn(channel: string, threadTs?: string): StoredMessage[] {
    return this.messages.filter((m) => m.channel === channel && m.threadTs === threadTs);
  }

  /** Waits until `predicate` holds (polling), failing with `what` after `timeoutMs`. */
  async waitFor(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Sends a Socket Mode envelope to every connected client and resolves with the client's ack. */
  async sendEnvelope(type: string, payload: unknown): Promise<Record<string, unknown>> {
    const envelopeId = randomUUID();
    const message = JSON.stringify({
      envelope_id: envelopeId,
      type,
      payload,
      accepts_response_payload: type !== "events_api",
      retry_attempt: 0,
      retry_reason: "",
    });
    for (const socket of this.sockets) socket.send(message);
    await this.waitFor(
      () => this.socketAcks.some((ack) => ack.envelope_id === envelopeId),
      `the ack of envelope ${type}`,
    );
    return this.socketAcks.find((ack) => ack.envelope_id === envelopeId) ?? {};
  }

  get connectedSockets(): number {
    return this.sockets.size;
  }

  /**
   * Slack gone: the sockets are dropped and every connection from now on is reset. The port stays
   * taken, so no other server started meanwhile can answer in Slack's place (as one could on a
   * port freed by close()).
   */
  goUnreachable(): void {
    this.unreachable = true;
    for (const socket of this.sockets) socket.terminate();
    this.server.closeAllConnections();
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private onSocket(ws: WebSocket): void {
    this.sockets.add(ws);
    ws.on("close", () => this.sockets.delete(ws));
    ws.on("message", (data) => {
      const text = data.toString();
      try {
        this.socketAcks.push(JSON.parse(text) as Record<string, unknown>);
      } catch {
        // Pings and anything unparsable are not acks.
      }
    });
    ws.send(
      JSON.stringify({
        type: "hello",
        num_connections: 1,
        debug_info: { host: "fake", approximate_connection_time: 3600 },
        connection_info: { app_id: APP_ID },
      }),
    );
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const params = decode(raw, req.headers["content-type"]);
    const path = new URL(req.url ?? "/", this.origin).pathname;
    const method = path.startsWith("/response/") ? "response_url" : path.replace(/^\/api\//, "");
    const auth = req.headers.authorization;
    const token = auth?.startsWith("Bearer ") ? auth.slice("Bearer ".length) : undefined;

    const hold = this.held.get(method)?.shift();
    const scripted = this.scripted.get(method)?.shift();
    const answer = scripted ?? this.defaultAnswer(method, params, token, hold?.lands ?? true);
    const status = answer.status ?? 200;
    const call = { method, path, params, wire: JSON.stringify(params), token, status };
    this.calls.push(call);
    if (hold) {
      hold.call(call);
      await hold.release;
      // The client may have given up and closed the connection meanwhile.
      if (res.destroyed) return;
    }
    const body = typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body ?? { ok: true });
    res.writeHead(status, { "content-type": "application/json", ...answer.headers });
    res.end(body);
  }

  private defaultAnswer(
    method: string,
    params: Record<string, unknown>,
    token: string | undefined,
    lands: boolean,
  ): ScriptedResponse {
    if (method === "response_url") return { body: "ok" };
    if (method === "apps.connections.open") {
      return token === this.options.appToken && this.options.appToken !== undefined
        ? { body: { ok: true, url: `${this.origin.replace("http", "ws")}/link` } }
        : { body: { ok: false, error: "invalid_auth" } };
    }
    if (token !== this.options.botToken) return { body: { ok: false, error: "invalid_auth" } };
    switch (method) {
      case "auth.test":
        return {
          body: {
            ok: true,
            url: "https://fake.slack.test/",
            team: "Fake",
            user: "episode-bot",
            team_id: TEAM_ID,
            user_id: BOT_USER_ID,
            bot_id: BOT_ID,
          },
        };
      case "chat.postMessage": {
        this.tsCounter += 1;
        const ts = `1700000100.${String(this.tsCounter).padStart(6, "0")}`;
        if (lands) {
          const threadTs = typeof params.thread_ts === "string" ? params.thread_ts : undefined;
          const channel = String(params.channel);
          this.messages.push({ channel, ts, threadTs, text: params.text, metadata: params.metadata });
        }
        return { body: { ok: true, channel: params.channel, ts, message: { text: params.text, ts } } };
      }
      case "conversations.replies":
      case "conversations.history": {
        // Every message here is recent, so `oldest` changes nothing; `limit` is honoured.
        const channel = String(params.channel);
        const found =
          method === "conversations.replies"
            ? this.messagesIn(channel, String(params.ts))
            : this.messagesIn(channel, undefined);
        const withMetadata = params.include_all_metadata === true || params.include_all_metadata === "true";
        const limit = Number(params.limit ?? 100);
        const messages = found.slice(0, limit).map((m) => ({
          type: "message",
          user: BOT_USER_ID,
          bot_id: BOT_ID,
          ts: m.ts,
          ...(m.threadTs === undefined ? {} : { thread_ts: m.threadTs }),
          text: m.text,
          ...(withMetadata && m.metadata !== undefined ? { metadata: m.metadata } : {}),
        }));
        return { body: { ok: true, messages, has_more: found.length > limit } };
      }
      case "chat.update":
        return { body: { ok: true, channel: params.channel, ts: params.ts, text: params.text } };
      case "chat.postEphemeral":
        return { body: { ok: true, message_ts: "1700000200.000001" } };
      case "assistant.threads.setStatus":
      case "assistant.threads.setSuggestedPrompts":
      case "assistant.threads.setTitle":
        return { body: { ok: true } };
      default:
        return { body: { ok: false, error: "unknown_method" } };
    }
  }
}

// ---------------------------------------------------------------------------
// Requests as Slack sends them to the app, signed with the signing secret.

/** Slack's v0 request signature over `v0:{timestamp}:{body}`. */
export function signature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

export interface SignedPostOptions {
  /** Seconds since the epoch; default now. */
  timestamp?: number;
  /** Overrides the computed signature (to forge one). */
  signature?: string;
  headers?: Record<string, string>;
}

/** POSTs a body to the app the way Slack does, with a valid signature unless told otherwise. */
export function signedPost(
  url: string,
  secret: string,
  body: string,
  contentType: string,
  options: SignedPostOptions = {},
): Promise<Response> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  return fetch(url, {
    method: "POST",
    headers: {
      "content-type": contentType,
      "x-slack-request-timestamp": String(timestamp),
      "x-slack-signature": options.signature ?? signature(secret, timestamp, body),
      ...options.headers,
    },
    body,
  });
}

let eventCounter = 0;

/** An Events API envelope around `event`, with a fresh `event_id` unless one is given. */
export function eventCallback(event: Record<string, unknown>, eventId?: string): Record<string, unknown> {
  eventCounter += 1;
  return {
    token: "unused-verification-token",
    team_id: TEAM_ID,
    api_app_id: APP_ID,
    event,
    type: "event_callback",
    event_id: eventId ?? `Ev${Date.now()}${eventCounter}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: TEAM_ID, user_id: BOT_USER_ID, is_bot: true, is_enterprise_install: false }],
  };
}

/** Sends an event (JSON) to the app's events URL. */
export function sendEvent(
  url: string,
  secret: string,
  body: Record<string, unknown>,
  options?: SignedPostOptions,
): Promise<Response> {
  return signedPost(url, secret, JSON.stringify(body), "application/json", options);
}

/** Sends a slash command (form-encoded) to the app's events URL. */
export function sendCommand(
  url: string,
  secret: string,
  fields: Record<string, string>,
  options?: SignedPostOptions,
): Promise<Response> {
  const body = new URLSearchParams({
    token: "unused-verification-token",
    team_id: TEAM_ID,
    team_domain: "fake",
    api_app_id: APP_ID,
    command: "/ask",
    trigger_id: "1.2.3",
    user_name: "someone",
    channel_name: "general",
    ...fields,
  }).toString();
  return signedPost(url, secret, body, "application/x-www-form-urlencoded", options);
}

/** Sends an interaction (a button click: `payload=` JSON, form-encoded) to the app's events URL. */
export function sendInteraction(
  url: string,
  secret: string,
  payload: Record<string, unknown>,
  options?: SignedPostOptions,
): Promise<Response> {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return signedPost(url, secret, body, "application/x-www-form-urlencoded", options);
}

/** A block_actions payload for a click on the button `actionId` of a posted message. */
export function buttonClick(options: {
  actionId: string;
  value: string;
  user: string;
  channel: string;
  messageTs: string;
  responseUrl: string;
  threadTs?: string;
  ephemeral?: boolean;
}): Record<string, unknown> {
  return {
    type: "block_actions",
    team: { id: TEAM_ID, domain: "fake" },
    user: { id: options.user, username: "someone", name: "someone", team_id: TEAM_ID },
    api_app_id: APP_ID,
    token: "unused-verification-token",
    container: {
      type: "message",
      message_ts: options.messageTs,
      channel_id: options.channel,
      is_ephemeral: options.ephemeral === true,
      ...(options.threadTs ? { thread_ts: options.threadTs } : {}),
    },
    trigger_id: "1.2.3",
    channel: { id: options.channel, name: "general" },
    ...(options.ephemeral
      ? {}
      : { message: { type: "message", user: BOT_USER_ID, ts: options.messageTs, text: "answer" } }),
    response_url: options.responseUrl,
    actions: [
      {
        type: "button",
        action_id: options.actionId,
        block_id: "answer_actions",
        value: options.value,
        text: { type: "plain_text", text: "button" },
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  };
}
