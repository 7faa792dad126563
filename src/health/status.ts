import type { Engine } from "../engine.js";

/** A chat adapter as health sees it. */
export interface AdapterStatus {
  name: string;
  isConnected(): boolean;
}

/** The connection to Redis as health and metrics see it (present when REDIS_URL is set). */
export interface RedisStatus {
  /** Connected, and the last command answered in time. */
  connected: boolean;
  /** Commands that failed or timed out since start; each was answered from this process's memory. */
  commandErrors: number;
  /** Failed connection attempts since start (the client keeps retrying). */
  connectionErrors: number;
}

export interface HealthSources {
  /** The engine, once its index is loaded (undefined while it is being built or loaded). */
  engine: () => Engine | undefined;
  /** The chat adapters started (none for the terminal chat). */
  adapters: () => AdapterStatus[];
  /** True once shutdown began: the bot finishes what it has but takes nothing new. */
  stopping?: () => boolean;
  /** Redis, when REDIS_URL is set. */
  redis?: () => RedisStatus | undefined;
}

/** The body of `/healthz`. */
export interface HealthReport {
  status: "ok" | "unavailable";
  index: {
    loaded: boolean;
    dataDir?: string;
    builtAt?: string;
    embedder?: string;
    episodes?: number;
    passages?: number;
    reloads?: { swapped: number; rejected: number; lastRejection?: string };
  };
  adapters: Record<string, { connected: boolean }>;
  /**
   * Present when REDIS_URL is set. Its loss does not make the bot unhealthy: it answers on from
   * its own memory, and taking every replica out of a load balancer would stop all answers.
   */
  redis?: RedisStatus;
  stopping: boolean;
}

/**
 * Healthy when the index is loaded, every adapter is connected, and the bot is not shutting down.
 * Redis's state is reported, not judged (see `HealthReport.redis`).
 */
export function healthReport(sources: HealthSources): HealthReport {
  const engine = sources.engine();
  const manifest = engine?.index.manifest;
  const adapters = Object.fromEntries(
    sources.adapters().map((adapter) => [adapter.name, { connected: adapter.isConnected() }]),
  );
  const stopping = sources.stopping?.() ?? false;
  const redis = sources.redis?.();
  const healthy = manifest !== undefined && !stopping && Object.values(adapters).every((a) => a.connected);
  return {
    status: healthy ? "ok" : "unavailable",
    index: manifest
      ? {
          loaded: true,
          dataDir: manifest.dataDir,
          builtAt: manifest.builtAt,
          embedder: manifest.embedder.id,
          episodes: manifest.episodes,
          passages: manifest.passageCount,
          reloads: { ...engine?.index.reloads },
        }
      : { loaded: false },
    adapters,
    ...(redis ? { redis } : {}),
    stopping,
  };
}
