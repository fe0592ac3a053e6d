// No "server-only" here: apps/portal/server.ts runs this outside Next, under tsx.
import cluster, { type Worker } from "node:cluster";
import { serveClusterMetrics, type Logger } from "@hubfed/observability";

/**
 * How many processes serve the portal. One Node process renders pages on one core, and rendering
 * is what a page costs (docs/benchmarks.md, "My hubs"): on a machine with two cores one process
 * leaves half of it idle. So the portal runs one worker per core (node:cluster), all listening on
 * the same port; the primary only hands out connections, replaces a worker that dies, and
 * gathers the workers' metrics for /metrics. Every piece of state a request relies on lives in
 * PostgreSQL or Redis (sessions are cookies; rate limits, clicks and queues are in Redis), so any
 * worker can answer any request.
 */
export interface PortalProcessesOptions {
  /** How many workers; 1 runs the portal in this process, without a primary. */
  processes: number;
  /** Starts the portal's server in this process (a worker, or the only process). */
  serve: () => Promise<void>;
  log: Logger;
  /** A worker that dies this many times within `crashWindowMs` takes the portal down instead. */
  maxCrashes?: number;
  crashWindowMs?: number;
}

/**
 * Each worker's young generation (V8's semi-space), in MiB: pages allocate a lot of short-lived
 * objects, and with Node's default the collector ran often enough to show in the page's tail.
 * Measured on My hubs, interleaved runs of three rounds each: p95 113 and 118 ms with the
 * default, 92 and 91 ms with 64 MiB, at the same requests/s and CPU per page
 * (docs/benchmarks.md, "My hubs"). A --max-semi-space-size given to the portal wins.
 */
export const workerSemiSpaceMiB = 64;

/** The Node flags a worker starts with: the primary's own, and the young generation's size. */
export function workerExecArgv(primaryExecArgv: readonly string[]): string[] {
  return primaryExecArgv.some((flag) => flag.startsWith("--max-semi-space-size"))
    ? [...primaryExecArgv]
    : [...primaryExecArgv, `--max-semi-space-size=${workerSemiSpaceMiB}`];
}

export async function runPortalProcesses({
  processes,
  serve,
  log,
  maxCrashes = 5,
  crashWindowMs = 60_000,
}: PortalProcessesOptions): Promise<void> {
  if (processes <= 1 || cluster.isWorker) return serve();

  serveClusterMetrics();
  cluster.setupPrimary({ execArgv: workerExecArgv(process.execArgv) });
  let exitCode: number | undefined; // set once the portal is stopping
  const crashes: number[] = [];
  const fork = () => cluster.fork();

  cluster.on("exit", (worker: Worker, code, signal) => {
    if (exitCode !== undefined) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(exitCode);
      return;
    }
    const now = Date.now();
    crashes.push(now);
    while (crashes.length > 0 && (crashes[0] ?? now) < now - crashWindowMs) crashes.shift();
    if (crashes.length >= maxCrashes) {
      // Something is wrong with every worker (a bad configuration, a database that refuses us):
      // restarting forever would hide it. Whoever started the portal (npm start's supervisor,
      // systemd, Kubernetes) sees the exit and restarts or reports it.
      log.error(
        { pid: worker.process.pid, code, signal, crashes: crashes.length },
        `portal workers died ${crashes.length} times within ${crashWindowMs / 1000} s; stopping`,
      );
      stop(1);
      return;
    }
    log.warn({ pid: worker.process.pid, code, signal }, "a portal worker died; starting another");
    setTimeout(fork, 1_000).unref();
  });

  function stop(code: number) {
    if (exitCode !== undefined) return;
    exitCode = code;
    const workers = Object.values(cluster.workers ?? {}).filter((worker) => worker !== undefined);
    if (workers.length === 0) process.exit(code);
    // Each worker closes its server and flushes what it holds (server.ts); then the primary goes.
    for (const worker of workers) worker.process.kill("SIGTERM");
    setTimeout(() => process.exit(code), 8_000).unref();
  }
  process.on("SIGTERM", () => stop(0));
  process.on("SIGINT", () => stop(0));

  log.info({ processes }, `portal: starting ${processes} worker processes`);
  for (let index = 0; index < processes; index++) fork();
}
