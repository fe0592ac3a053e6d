// The worker's probe listener: Kubernetes asks it whether to restart the pod (/livez) and
// whether the worker is doing its job (/readyz). The worker serves no other HTTP; this module is
// all of it, so it stays small and separate from the queues.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface WorkerProbeState {
  /** Processing: every queue's BullMQ worker runs and Redis answers. */
  isReady(): boolean;
  /** Shutting down (SIGTERM): not ready, but alive until the running jobs finish. */
  isStopping(): boolean;
}

export interface WorkerProbeServer {
  port: number;
  close(): Promise<void>;
}

/**
 * Liveness is only "the event loop answers": a Redis or database outage is not fixed by
 * restarting the worker, and restarting it would cut running jobs short. Readiness says whether
 * the worker processes jobs, for `kubectl get pods` and alerts (no Service sends it traffic).
 * The bodies name no host: the port is reachable from the cluster's network.
 */
export async function startProbeServer(
  state: WorkerProbeState,
  { port, host = "0.0.0.0" }: { port: number; host?: string },
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
      const isReady = !state.isStopping() && state.isReady();
      return answer(isReady ? 200 : 503, { isReady, isStopping: state.isStopping() });
    }
    return answer(404, {});
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
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
