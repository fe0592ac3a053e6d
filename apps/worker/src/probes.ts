// The worker's one HTTP listener: Kubernetes asks it whether to restart the pod (/livez) and
// whether the worker is doing its job (/readyz), and Prometheus scrapes /metrics. The worker
// serves no other HTTP; this module is all of it, so it stays small and separate from the queues.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { HealthMonitor } from "@hubfed/core";
import { answerMetricsRequest, type MetricsAccess, type Registry } from "@hubfed/observability";

export interface WorkerProbeState {
  /** Processing: every queue's BullMQ worker runs and Redis is connected. */
  isReady(): boolean;
  /** Shutting down (SIGTERM): not ready, but alive until the running jobs finish. */
  isStopping(): boolean;
}

export interface WorkerProbeServer {
  port: number;
  close(): Promise<void>;
}

export interface WorkerProbeOptions {
  port: number;
  host?: string;
  /** /metrics, guarded like the portal's (a bearer token, or this machine only). */
  metrics?: { registry: Registry; access: MetricsAccess };
  /**
   * PostgreSQL and Redis, each answered within about a second: a connection that is open but
   * stalled (a partition) makes the worker not ready, which a connected socket alone would not.
   */
  health?: HealthMonitor;
}

/**
 * Liveness is only "the event loop answers": a Redis or database outage is not fixed by
 * restarting the worker, and restarting it would cut running jobs short. Readiness says whether
 * the worker processes jobs, for `kubectl get pods` and alerts (no Service sends it traffic).
 * The bodies name no host, only each dependency's state: the port is reachable from the
 * cluster's network.
 */
export async function startProbeServer(
  state: WorkerProbeState,
  { port, host = "0.0.0.0", metrics, health }: WorkerProbeOptions,
): Promise<WorkerProbeServer> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? "").split("?")[0];
    const answer = (status: number, body: object) => {
      response.writeHead(status, {
        "content-type": "application/json",
        "cache-control": "no-store",
      });
      response.end(JSON.stringify(body));
    };
    if (request.method !== "GET" && request.method !== "HEAD") return answer(405, {});
    if (path === "/livez") return answer(200, { isAlive: true });
    if (path === "/readyz") {
      void readiness(state, health).then(
        ({ isReady, ...body }) => answer(isReady ? 200 : 503, { isReady, ...body }),
        () => answer(503, { isReady: false, isStopping: state.isStopping() }),
      );
      return;
    }
    if (path === "/metrics" && metrics) {
      void answerMetricsRequest(request, response, metrics.registry, metrics.access).catch(() => {
        if (!response.headersSent) answer(500, {});
      });
      return;
    }
    return answer(404, {});
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function readiness(state: WorkerProbeState, health: HealthMonitor | undefined) {
  const isStopping = state.isStopping();
  if (!health) return { isReady: !isStopping && state.isReady(), isStopping };
  const report = await health.check();
  return {
    isReady: !isStopping && state.isReady() && report.database.isHealthy && report.redis.isHealthy,
    isStopping,
    database: { isHealthy: report.database.isHealthy, state: report.database.state },
    redis: { isHealthy: report.redis.isHealthy, state: report.redis.state },
  };
}
