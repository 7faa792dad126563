import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";
import { AppError, describeError } from "../errors.js";
import type { Logger } from "../logger.js";
import type { HealthReport } from "./status.js";

export interface HealthServerOptions {
  /** 0 picks a free port (see `port` once started). */
  port: number;
  host: string;
  report: () => HealthReport;
  registry: Registry;
  log: Logger;
}

export interface HealthServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * `GET /healthz` (the report as JSON: 200 when healthy, 503 otherwise) and
 * `GET /metrics` (Prometheus text, from prom-client). Nothing else is served;
 * nothing it serves holds a secret or a question.
 */
export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const { log } = options;
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://health").pathname;
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    if (path === "/healthz") {
      const report = options.report();
      res
        .writeHead(report.status === "ok" ? 200 : 503, {
          "content-type": "application/json",
          "cache-control": "no-store",
        })
        .end(req.method === "HEAD" ? undefined : JSON.stringify(report));
      return;
    }
    if (path === "/metrics") {
      options.registry.metrics().then(
        (text) => {
          res.writeHead(200, { "content-type": options.registry.contentType });
          res.end(req.method === "HEAD" ? undefined : text);
        },
        (error: unknown) => {
          log.error({ err: describeError(error) }, "collecting metrics failed");
          res.writeHead(500, { "content-type": "text/plain" }).end("collecting metrics failed\n");
        },
      );
      return;
    }
    res.writeHead(404, { "content-type": "text/plain" }).end("not found: try /healthz or /metrics\n");
  });
  await listen(server, options.port, options.host);
  const port = (server.address() as AddressInfo).port;
  log.info({ port, host: options.host }, `health server on port ${port}: /healthz and /metrics`);
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        new AppError(
          "E_HEALTH_PORT",
          error.code === "EADDRINUSE"
            ? `port ${port} is already in use: set HEALTH_PORT to a free port (or leave it empty for no health server).`
            : `cannot listen on ${host}:${port} (${error.message}): check HEALTH_PORT and HEALTH_HOST.`,
          { cause: error },
        ),
      );
    };
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve();
    });
  });
}
