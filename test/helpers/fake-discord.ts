import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";

/**
 * A small Discord for tests, on 127.0.0.1: the REST API (`/api/v10/...`) and the
 * gateway WebSocket (`/gateway`) on one ephemeral port. It records every REST
 * request and every gateway payload it receives, answers like Discord does,
 * and can be told to fail a route (429, 500, 404 with a Discord error code) or
 * to close the gateway with a code.
 */

export const IDS = {
  app: "1100000000000000001",
  /** The bot's user id: the application id, as for every application made since 2019. */
  bot: "1100000000000000001",
  guild: "1200000000000000001",
  channel: "1300000000000000001",
  /** A thread the bot started (owner_id = bot). */
  botThread: "1300000000000000002",
  dmChannel: "1300000000000000003",
  user: "1400000000000000001",
  otherUser: "1400000000000000002",
  otherBot: "1400000000000000003",
  botRole: "1500000000000000001",
} as const;

/** A token whose first part is the application id in base64, like real bot tokens. */
export const TOKEN = `${Buffer.from(IDS.app).toString("base64url")}.GfAkEt.${"c".repeat(38)}`;

const OP = { dispatch: 0, heartbeat: 1, identify: 2, hello: 10, heartbeatAck: 11 } as const;

export interface RecordedRequest {
  method: string;
  /** The path after `/api/v10`, e.g. `/channels/1300000000000000001/messages`. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  // biome-ignore lint/suspicious/noExplicitAny: JSON bodies are inspected freely in assertions.
  body: any;
  /** The status the fake answered with. */
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: the JSON the fake answered with.
  response?: any;
}

export interface Fault {
  method: string;
  path: RegExp;
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** How many matching requests fail (default 1). */
  times?: number;
}

// biome-ignore lint/suspicious/noExplicitAny: request bodies are JSON of any shape.
type Handler = (match: RegExpExecArray, body: any, headers: IncomingHttpHeaders) => [number, unknown?];

export interface FakeDiscordOptions {
  /** What `/gateway/bot` recommends (default 1). */
  recommendedShards?: number;
  /** The token the fake accepts (default TOKEN); anything else gets 401 / close 4004. */
  token?: string;
  /** Intent bits that are not enabled for the app: identifying with any of them closes with 4014. */
  disallowedIntents?: number;
}

interface User {
  id: string;
  username: string;
  global_name?: string;
  discriminator: string;
  avatar: null;
  bot?: boolean;
}

export const USERS: Record<"bot" | "user" | "otherUser" | "otherBot", User> = {
  bot: { id: IDS.bot, username: "episode-bot", discriminator: "0", avatar: null, bot: true },
  user: { id: IDS.user, username: "ada", global_name: "Ada", discriminator: "0", avatar: null },
  otherUser: { id: IDS.otherUser, username: "grace", discriminator: "0", avatar: null },
  otherBot: { id: IDS.otherBot, username: "other-bot", discriminator: "0", avatar: null, bot: true },
};

export interface MessageInit {
  content: string;
  author?: User;
  /** Default: the guild text channel. `dm` sends it in a DM with the bot. */
  where?: "channel" | "botThread" | "dm";
  /** Users the message mentions (Discord lists them; the content holds `<@id>`). */
  mentions?: User[];
  mentionEveryone?: boolean;
  /** Role ids the message mentions (the content holds `<@&id>`). */
  mentionRoles?: string[];
  /** The message this one replies to (a message object as the fake returned it). */
  replyTo?: { id: string; channel_id: string; author: User };
  /** `false`: the reply does not mention the author it replies to (Discord's "@ON"/"@OFF" toggle). */
  replyMention?: boolean;
  /** The message replied to was deleted: Discord sends `referenced_message: null`, so no author. */
  replyToDeleted?: boolean;
  webhookId?: string;
}

let sequence = 0;
/** A fresh snowflake-shaped id. */
export function nextId(): string {
  sequence += 1;
  return (1_600_000_000_000_000_000n + BigInt(sequence)).toString();
}

function member(user: User) {
  return { user, roles: [], joined_at: "2024-01-01T00:00:00.000Z", deaf: false, mute: false, flags: 0 };
}

function channelOf(where: MessageInit["where"]): string {
  if (where === "dm") return IDS.dmChannel;
  return where === "botThread" ? IDS.botThread : IDS.channel;
}

export class FakeDiscord {
  readonly requests: RecordedRequest[] = [];
  /** Payloads the client sent over the gateway (IDENTIFY, heartbeats…). */
  readonly gatewayReceived: Array<{ op: number; d: unknown }> = [];
  private readonly faults: Fault[] = [];
  /** Messages created in channels, in order (a create Discord matched by its nonce adds none). */
  // biome-ignore lint/suspicious/noExplicitAny: the JSON of each message.
  readonly created: any[] = [];
  /** Created messages by channel and nonce, for `enforce_nonce`. */
  private readonly byNonce = new Map<string, unknown>();
  private readonly holds: Array<{
    method: string;
    path: RegExp;
    arrive: () => void;
    released: Promise<void>;
  }> = [];
  private readonly sockets = new Set<WebSocket>();
  private readonly interactionChannels = new Map<string, string>();
  private seq = 0;
  apiUrl = "";
  gatewayUrl = "";

  private readonly server = createServer((req, res) => void this.onRequest(req, res));
  private readonly wss = new WebSocketServer({ server: this.server, path: "/gateway" });

  constructor(private readonly options: FakeDiscordOptions = {}) {
    this.wss.on("connection", (socket) => this.onConnection(socket));
  }

  /** Starts the fake on an ephemeral port of 127.0.0.1. */
  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const fake = new FakeDiscord(options);
    await new Promise<void>((resolve) => fake.server.listen(0, "127.0.0.1", resolve));
    const { port } = fake.server.address() as AddressInfo;
    fake.apiUrl = `http://127.0.0.1:${port}/api`;
    fake.gatewayUrl = `ws://127.0.0.1:${port}/gateway`;
    return fake;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Makes the next matching request(s) fail with `status` (and a Discord-shaped body). */
  fail(fault: Fault): void {
    this.faults.push({ times: 1, ...fault });
  }

  /**
   * The next request matching `method` and `path` is carried out (a message is created) but gets
   * no answer until `release()`, as when Discord did the work and the reply was lost.
   */
  hold(method: string, path: RegExp): { arrived: Promise<void>; release: () => void } {
    let arrive = () => {};
    const arrived = new Promise<void>((resolve) => {
      arrive = resolve;
    });
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.holds.push({ method, path, arrive, released });
    return { arrived, release };
  }

  /** Sends a gateway dispatch (`t`, `d`) to every connected client. */
  dispatch(t: string, d: unknown): void {
    this.seq += 1;
    const payload = JSON.stringify({ op: OP.dispatch, t, s: this.seq, d });
    for (const socket of this.sockets) socket.send(payload);
  }

  /** Closes every gateway connection with `code`, as Discord does on a fatal error. */
  closeGateway(code: number, reason = ""): void {
    for (const socket of this.sockets) socket.close(code, reason);
  }

  /** Dispatches MESSAGE_CREATE for a user's message and returns the message. */
  sendMessage(init: MessageInit) {
    const author = init.author ?? USERS.user;
    const channelId = channelOf(init.where);
    const inGuild = init.where !== "dm";
    const mentions = [...(init.mentions ?? [])];
    if (
      init.replyTo &&
      init.replyMention !== false &&
      !mentions.some((u) => u.id === init.replyTo?.author.id)
    )
      mentions.push(init.replyTo.author);
    const message = {
      id: nextId(),
      channel_id: channelId,
      ...(inGuild ? { guild_id: IDS.guild, member: member(author) } : {}),
      channel_type: inGuild ? (init.where === "botThread" ? 11 : 0) : 1,
      author,
      content: init.content,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: init.mentionEveryone ?? false,
      mentions,
      mention_roles: init.mentionRoles ?? [],
      attachments: [],
      embeds: [],
      components: [],
      pinned: false,
      type: init.replyTo ? 19 : 0,
      flags: 0,
      ...(init.webhookId ? { webhook_id: init.webhookId } : {}),
      ...(init.replyTo
        ? {
            message_reference: {
              type: 0,
              message_id: init.replyTo.id,
              channel_id: init.replyTo.channel_id,
              ...(inGuild ? { guild_id: IDS.guild } : {}),
            },
            referenced_message: init.replyToDeleted ? null : this.referenced(init.replyTo),
          }
        : {}),
    };
    this.dispatch("MESSAGE_CREATE", message);
    return message;
  }

  /** Dispatches INTERACTION_CREATE for `/ask question:<question> [in:<within>]` and returns the interaction. */
  sendAsk(question: string, where: "channel" | "botThread" | "dm" = "channel", within?: string) {
    const options = [{ name: "question", type: 3, value: question }];
    if (within !== undefined) options.push({ name: "in", type: 3, value: within });
    return this.sendInteraction(
      { type: 2, data: { id: "1700000000000000001", name: "ask", type: 1, options } },
      where,
    );
  }

  /** Dispatches the autocomplete interaction of `/ask` while `typed` is being typed into its `in` option. */
  sendAutocomplete(typed: string, where: "channel" | "botThread" | "dm" = "channel") {
    return this.sendInteraction(
      {
        type: 4,
        data: {
          id: "1700000000000000001",
          name: "ask",
          type: 1,
          options: [
            { name: "question", type: 3, value: "what about" },
            { name: "in", type: 3, value: typed, focused: true },
          ],
        },
      },
      where,
    );
  }

  /** Dispatches INTERACTION_CREATE for a press of the button `customId` under `message`. */
  pressButton(customId: string, message: { id: string; channel_id: string }) {
    return this.sendInteraction(
      {
        type: 3,
        data: { custom_id: customId, component_type: 2 },
        message: this.referenced({ id: message.id, channel_id: message.channel_id, author: USERS.bot }),
      },
      "channel",
    );
  }

  /** Requests matching `method` and `path`, in order. */
  find(method: string, path: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && path.test(r.path));
  }

  /** Every request that posts or edits a message (channel messages, interaction replies, follow-ups). */
  messagePayloads(): RecordedRequest[] {
    return this.requests.filter(
      (r) =>
        (r.method === "POST" && /^\/channels\/\d+\/messages$/.test(r.path)) ||
        (r.method === "PATCH" && /^\/channels\/\d+\/messages\/\d+$/.test(r.path)) ||
        (r.method === "PATCH" && /^\/webhooks\/\d+\/[^/]+\/messages\/[^/]+$/.test(r.path)) ||
        (r.method === "POST" && /^\/webhooks\/\d+\/[^/]+$/.test(r.path)),
    );
  }

  /** Waits until `predicate` holds for the recorded requests; fails with what was recorded when it does not. */
  async waitFor<T>(what: string, check: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const result = check();
      if (result) return result;
      if (Date.now() > deadline) {
        const seen = this.requests.map((r) => `${r.method} ${r.path} -> ${r.status}`).join("\n  ");
        throw new Error(`timed out waiting for ${what}; requests:\n  ${seen}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  private referenced(message: { id: string; channel_id: string; author: User }) {
    return {
      id: message.id,
      channel_id: message.channel_id,
      author: message.author,
      content: "",
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: [],
      components: [],
      pinned: false,
      type: 0,
      flags: 0,
    };
  }

  private sendInteraction(extra: Record<string, unknown>, where: "channel" | "botThread" | "dm") {
    const channelId = channelOf(where);
    const inGuild = where !== "dm";
    const interaction = {
      id: nextId(),
      application_id: IDS.app,
      token: `interaction-token-${nextId()}`,
      version: 1,
      ...(inGuild
        ? {
            guild_id: IDS.guild,
            member: { ...member(USERS.user), permissions: "0" },
            channel: { id: channelId, type: where === "botThread" ? 11 : 0, guild_id: IDS.guild },
          }
        : { user: USERS.user, channel: { id: channelId, type: 1, recipients: [USERS.user] } }),
      channel_id: channelId,
      app_permissions: "0",
      locale: "en-US",
      entitlements: [],
      authorizing_integration_owners: { "0": IDS.guild },
      context: inGuild ? 0 : 1,
      ...extra,
    };
    this.interactionChannels.set(interaction.token, channelId);
    this.dispatch("INTERACTION_CREATE", interaction);
    return interaction;
  }

  private onConnection(socket: WebSocket): void {
    this.sockets.add(socket);
    socket.on("close", () => this.sockets.delete(socket));
    socket.on("message", (data) => {
      const payload = JSON.parse(String(data)) as { op: number; d: unknown };
      this.gatewayReceived.push(payload);
      if (payload.op === OP.heartbeat) socket.send(JSON.stringify({ op: OP.heartbeatAck }));
      if (payload.op === OP.identify)
        this.onIdentify(socket, payload.d as { token: string; intents: number });
    });
    // A long interval: tests finish long before a heartbeat is due.
    socket.send(JSON.stringify({ op: OP.hello, d: { heartbeat_interval: 45_000 } }));
  }

  private onIdentify(socket: WebSocket, identify: { token: string; intents: number }): void {
    if (identify.token !== (this.options.token ?? TOKEN)) {
      socket.close(4004, "Authentication failed.");
      return;
    }
    if ((identify.intents & (this.options.disallowedIntents ?? 0)) !== 0) {
      socket.close(4014, "Disallowed intent(s).");
      return;
    }
    this.dispatch("READY", {
      v: 10,
      user: USERS.bot,
      guilds: [{ id: IDS.guild, unavailable: true }],
      session_id: "fake-session",
      resume_gateway_url: this.gatewayUrl,
      application: { id: IDS.app, flags: 0 },
      shard: [0, 1],
    });
    this.dispatch("GUILD_CREATE", this.guild());
  }

  private guild() {
    const thread = {
      id: IDS.botThread,
      type: 11,
      guild_id: IDS.guild,
      parent_id: IDS.channel,
      owner_id: IDS.bot,
      name: "what did Holly say about cold starts?",
      message_count: 2,
      member_count: 2,
      thread_metadata: {
        archived: false,
        auto_archive_duration: 1440,
        archive_timestamp: "2024-01-01T00:00:00.000Z",
        locked: false,
      },
    };
    return {
      id: IDS.guild,
      name: "Podcast fans",
      icon: null,
      owner_id: IDS.otherUser,
      unavailable: false,
      member_count: 3,
      large: false,
      joined_at: "2024-01-01T00:00:00.000Z",
      features: [],
      premium_tier: 0,
      roles: [
        { id: IDS.guild, name: "@everyone", permissions: "0", position: 0, color: 0, hoist: false },
        {
          id: IDS.botRole,
          name: "episode-bot",
          permissions: "0",
          position: 1,
          color: 0,
          hoist: false,
          managed: true,
          tags: { bot_id: IDS.bot },
        },
      ],
      channels: [
        {
          id: IDS.channel,
          type: 0,
          guild_id: IDS.guild,
          name: "general",
          position: 0,
          permission_overwrites: [],
        },
      ],
      threads: [thread],
      members: [member(USERS.bot)],
      presences: [],
      voice_states: [],
      emojis: [],
      stickers: [],
    };
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const path = decodeURIComponent(url.pathname).replace(/^\/api\/v\d+/, "");
    const method = req.method ?? "GET";
    let body: unknown = raw;
    try {
      body = raw === "" ? undefined : JSON.parse(raw);
    } catch {
      // Kept as text: the assertions will show it.
    }
    const record: RecordedRequest = {
      method,
      path,
      query: url.searchParams,
      headers: req.headers,
      body,
      status: 0,
    };
    this.requests.push(record);
    const reply = (status: number, json?: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      record.response = json;
      res.writeHead(status, {
        ...(json === undefined ? {} : { "content-type": "application/json" }),
        ...headers,
      });
      res.end(json === undefined ? undefined : JSON.stringify(json));
    };

    const fault = this.faults.find((f) => f.method === method && f.path.test(path) && (f.times ?? 1) > 0);
    if (fault) {
      fault.times = (fault.times ?? 1) - 1;
      reply(fault.status, fault.body ?? { message: "fake failure", code: 0 }, fault.headers);
      return;
    }
    for (const route of this.routes()) {
      const match = route.method === method ? route.path.exec(path) : null;
      if (match) {
        const [status, json] = route.answer(match, body, req.headers);
        const held = this.holds.findIndex((h) => h.method === method && h.path.test(path));
        if (held !== -1) {
          const [hold] = this.holds.splice(held, 1);
          hold?.arrive();
          await hold?.released;
          // The client may have given up and closed the connection meanwhile.
          if (res.destroyed) return;
        }
        reply(status, json);
        return;
      }
    }
    reply(404, { message: "404: Not Found", code: 0 });
  }

  /** The routes the fake serves: method, path pattern, and the answer (status and JSON). */
  private routes(): Array<{ method: string; path: RegExp; answer: Handler }> {
    return [
      { method: "GET", path: /^\/gateway\/bot$/, answer: (_, __, headers) => this.gatewayBot(headers) },
      {
        method: "POST",
        path: /^\/channels\/(\d+)\/messages$/,
        answer: (m, body) => [200, this.createMessage(m[1], body)],
      },
      {
        method: "PATCH",
        path: /^\/channels\/(\d+)\/messages\/(\d+)$/,
        answer: (m, body) => [200, { ...this.botMessage(m[1], body), id: m[2] }],
      },
      { method: "POST", path: /^\/channels\/\d+\/typing$/, answer: () => [204] },
      {
        method: "POST",
        path: /^\/channels\/(\d+)\/messages\/(\d+)\/threads$/,
        answer: (m, body) => [201, this.thread(m[2] ?? "", m[1] ?? "", body?.name)],
      },
      { method: "POST", path: /^\/interactions\/\d+\/[^/]+\/callback$/, answer: () => [204] },
      {
        method: "PATCH",
        path: /^\/webhooks\/\d+\/([^/]+)\/messages\/@original$/,
        answer: (m, body) => [200, this.webhookMessage(m[1], body)],
      },
      {
        method: "POST",
        path: /^\/webhooks\/\d+\/([^/]+)$/,
        answer: (m, body) => [200, this.webhookMessage(m[1], body)],
      },
      {
        method: "PUT",
        path: /^\/applications\/\d+(\/guilds\/\d+)?\/commands$/,
        answer: (_, body) => [
          200,
          (Array.isArray(body) ? body : []).map((c: Record<string, unknown>) => ({
            ...c,
            id: nextId(),
            application_id: IDS.app,
            version: "1",
          })),
        ],
      },
    ];
  }

  private gatewayBot(headers: IncomingHttpHeaders): [number, unknown] {
    if (headers.authorization !== `Bot ${this.options.token ?? TOKEN}`) {
      return [401, { message: "401: Unauthorized", code: 0 }];
    }
    return [
      200,
      {
        url: this.gatewayUrl,
        shards: this.options.recommendedShards ?? 1,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 },
      },
    ];
  }

  private thread(id: string, parentId: string, name: unknown) {
    return {
      id,
      type: 11,
      guild_id: IDS.guild,
      parent_id: parentId,
      owner_id: IDS.bot,
      name,
      thread_metadata: {
        archived: false,
        auto_archive_duration: 1440,
        archive_timestamp: new Date().toISOString(),
        locked: false,
      },
    };
  }

  /**
   * A message created in a channel. With `enforce_nonce`, a nonce the channel has seen returns
   * the message made with it and creates nothing, as Discord does.
   */
  // biome-ignore lint/suspicious/noExplicitAny: echoes the request body.
  private createMessage(channel: string | undefined, body: any) {
    const key = `${channel}:${body?.nonce}`;
    if (body?.enforce_nonce === true && body.nonce !== undefined && this.byNonce.has(key)) {
      return this.byNonce.get(key);
    }
    const message = this.botMessage(channel, body);
    this.created.push(message);
    if (body?.nonce !== undefined) this.byNonce.set(key, message);
    return message;
  }

  // biome-ignore lint/suspicious/noExplicitAny: echoes the request body.
  private webhookMessage(token: string | undefined, body: any) {
    const channelId = this.interactionChannels.get(token ?? "") ?? IDS.channel;
    return { ...this.botMessage(channelId, body), webhook_id: IDS.app, application_id: IDS.app };
  }

  // biome-ignore lint/suspicious/noExplicitAny: echoes the request body.
  private botMessage(channel: string | undefined, body: any) {
    const channelId = channel ?? IDS.channel;
    return {
      id: nextId(),
      channel_id: channelId,
      ...(channelId === IDS.dmChannel ? {} : { guild_id: IDS.guild }),
      author: USERS.bot,
      content: body?.content ?? "",
      embeds: body?.embeds ?? [],
      components: body?.components ?? [],
      attachments: [],
      mentions: [],
      mention_roles: [],
      mention_everyone: false,
      pinned: false,
      tts: false,
      type: body?.message_reference ? 19 : 0,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      flags: body?.flags ?? 0,
      ...(body?.message_reference ? { message_reference: body.message_reference } : {}),
    };
  }
}

/** `config.discord` pointing at `fake`, with the fake's token and application id. */
export function botConfig(fake: FakeDiscord, overrides: Partial<BotConfig> = {}): BotConfig {
  return {
    token: TOKEN,
    appId: IDS.app,
    apiUrl: fake.apiUrl,
    messageContent: false,
    replyInThread: false,
    ...overrides,
  };
}

export interface BotConfig {
  token: string;
  appId: string;
  guildId?: string;
  apiUrl?: string;
  messageContent: boolean;
  replyInThread: boolean;
}
