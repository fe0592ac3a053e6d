import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { HealthMonitor } from "@hubfed/core";
import { answerMetricsRequest, type MetricsAccess, type Registry } from "@hubfed/observability";

export interface ProbeServerOptions {
  host: string;
  port: number;
  registry: Registry;
  metricsAccess: MetricsAccess;
  /** The worker's dependencies (PostgreSQL, Redis), answered within about a second. */
  health: HealthMonitor;
}

/**
 * The worker's small HTTP listener: `/metrics` for Prometheus (guarded like the portal's),
 * `/healthz` (the process answers: a liveness probe) and `/readyz` (PostgreSQL and Redis
 * answer: a readiness probe; each component's state, never its wording, which can name hosts).
 */
export async function startProbeServer(options: ProbeServerOptions): Promise<Server> {
  const server = createServer((request, response) => {
    const path = request.url?.split("?")[0];
    void answerMetricsRequest(request, response, options.registry, options.metricsAccess)
      .then(async (handled) => {
        if (handled) return;
        response.setHeader("cache-control", "no-store");
        if (request.method === "GET" && path === "/healthz") {
          response.setHeader("content-type", "application/json");
          response.end(JSON.stringify({ isAlive: true }));
          return;
        }
        if (request.method === "GET" && path === "/readyz") {
          const report = await options.health.check();
          const isReady = report.database.isHealthy && report.redis.isHealthy;
          response.statusCode = isReady ? 200 : 503;
          response.setHeader("content-type", "application/json");
          response.end(
            JSON.stringify({
              isReady,
              database: { isHealthy: report.database.isHealthy, state: report.database.state },
              redis: { isHealthy: report.redis.isHealthy, state: report.redis.state },
            }),
          );
          return;
        }
        response.statusCode = 404;
        response.end("Not found");
      })
      .catch(() => {
        if (!response.headersSent) response.statusCode = 500;
        response.end();
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return server;
}

export function probeServerUrl(server: Server): string {
  const { address, port } = server.address() as AddressInfo;
  return `http://${address.includes(":") ? `[${address}]` : address}:${port}`;
}
