import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";

/**
 * A real `redis-server` (Debian's package) for tests, on a free port of
 * 127.0.0.1, without persistence. `.ci/run` installs the package when it is
 * missing; here a missing server is an error that says so, never a skip.
 */
export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** A client of its own (for assertions); closed by `stop`. */
  readonly client: Redis;
  /** Stops the server (SIGTERM) and waits for it to exit; the port stays this server's to restart on. */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty. */
  restart(): Promise<void>;
  /** Stops it for good and removes its folder. */
  close(): Promise<void>;
}

function redisServerPath(): string {
  try {
    return execFileSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" }).trim();
  } catch {
    throw new Error(
      "redis-server is not installed: the Redis tests need Debian's package (apt-get install -y redis-server; .ci/run installs it)",
    );
  }
}

/** A port nothing listens on right now (the OS picks it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject()));
    });
  });
}

/** Starts redis-server on `port` and resolves once it says it accepts connections. */
function launch(binary: string, port: number, dir: string): Promise<ChildProcess> {
  const child = spawn(
    binary,
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      if (output.includes("Ready to accept connections")) {
        child.stdout?.off("data", onData);
        child.stdout?.resume();
        resolve(child);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    child.once("exit", (code) =>
      reject(new Error(`redis-server exited (${code}) before it was ready:\n${output}`)),
    );
    child.once("error", reject);
  });
}

export async function startRedisServer(): Promise<RedisServer> {
  const binary = redisServerPath();
  const dir = await mkdtemp(join(tmpdir(), "redis-test-"));
  // Another process may take the free port before redis-server binds it: try a few.
  let port = 0;
  let child: ChildProcess | undefined;
  for (let attempt = 0; child === undefined; attempt++) {
    port = await freePort();
    try {
      child = await launch(binary, port, dir);
    } catch (error) {
      if (attempt >= 4) throw error;
    }
  }
  let running: ChildProcess | undefined = child;
  const url = `redis://127.0.0.1:${port}`;
  // The server logged that it is ready; a PING over a real connection confirms it.
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => 50 });
  client.on("error", () => undefined);
  await client.connect();
  await client.ping();

  const stop = async () => {
    const current = running;
    running = undefined;
    if (!current || current.exitCode !== null) return;
    const exited = new Promise((resolve) => current.once("exit", resolve));
    current.kill("SIGTERM");
    await exited;
  };
  return {
    port,
    url,
    client,
    stop,
    async restart() {
      await stop();
      running = await launch(binary, port, dir);
      await client.ping();
    },
    async close() {
      client.disconnect();
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
