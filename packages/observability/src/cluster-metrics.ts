import cluster, { type Worker } from "node:cluster";
import { randomUUID } from "node:crypto";
import { AggregatorRegistry, type Registry } from "prom-client";

/**
 * Metrics of a process that runs as several workers (node:cluster; the portal runs one per core,
 * apps/portal/src/server/processes.ts). A scrape reaches whichever worker the primary hands the
 * connection to, so each worker's own registry would show a fraction of the traffic, and counters
 * would jump between scrapes. The worker that is scraped asks the primary, which gathers every
 * worker's registry (prom-client's aggregation: counters and histograms summed) and answers.
 */

/** What /metrics reads: a prom-client Registry has this shape, and so does the cluster's view. */
export interface MetricsSource {
  metrics(): Promise<string>;
  readonly contentType: string;
}

// A worker asks the primary for the cluster's metrics; the primary asks every worker for its
// share (its registry as JSON), adds them up (prom-client's AggregatorRegistry.aggregate: counters
// and histograms summed, gauges per their aggregator) and answers the one that asked.
const askCluster = "hubfed:cluster-metrics";
const clusterAnswer = "hubfed:cluster-metrics-answer";
const askShare = "hubfed:metrics-share";
const shareAnswer = "hubfed:metrics-share-answer";

type Message =
  | { type: typeof askCluster; id: string }
  | { type: typeof clusterAnswer; id: string; text?: string; error?: string }
  | { type: typeof askShare; id: string }
  | { type: typeof shareAnswer; id: string; share?: unknown[]; error?: string };

const messageOf = (message: unknown): Message | undefined =>
  typeof message === "object" &&
  message !== null &&
  typeof (message as { type?: unknown }).type === "string" &&
  typeof (message as { id?: unknown }).id === "string" &&
  (message as { type: string }).type.startsWith("hubfed:")
    ? (message as Message)
    : undefined;

/** In the primary: answers workers' requests for the whole cluster's metrics. */
export function serveClusterMetrics(timeoutMs = 3_000): void {
  const gathering = new Map<string, (worker: Worker, share: unknown[] | undefined) => void>();
  cluster.on("message", (worker: Worker, raw: unknown) => {
    const message = messageOf(raw);
    if (message?.type === shareAnswer) gathering.get(message.id)?.(worker, message.share);
    if (message?.type !== askCluster) return;
    const answer = (reply: { text?: string; error?: string }) => {
      if (worker.isConnected()) worker.send({ type: clusterAnswer, id: message.id, ...reply });
    };
    gatherShares(gathering, timeoutMs).then(
      (text) => answer({ text }),
      (error: unknown) => answer({ error: error instanceof Error ? error.message : String(error) }),
    );
  });
}

async function gatherShares(
  gathering: Map<string, (worker: Worker, share: unknown[] | undefined) => void>,
  timeoutMs: number,
): Promise<string> {
  const workers = Object.values(cluster.workers ?? {}).filter(
    (worker): worker is Worker => worker !== undefined && worker.isConnected(),
  );
  const id = randomUUID();
  const shares = await new Promise<unknown[][]>((resolve, reject) => {
    const pending = new Set(workers.map((worker) => worker.id));
    const received: unknown[][] = [];
    const timer = setTimeout(() => {
      gathering.delete(id);
      reject(new Error(`${pending.size} worker(s) did not send their metrics in ${timeoutMs} ms`));
    }, timeoutMs);
    gathering.set(id, (worker, share) => {
      if (!pending.delete(worker.id)) return;
      if (share) received.push(share);
      if (pending.size > 0) return;
      clearTimeout(timer);
      gathering.delete(id);
      resolve(received);
    });
    for (const worker of workers) worker.send({ type: askShare, id });
  });
  return AggregatorRegistry.aggregate(shares).metrics();
}

/**
 * In a worker: the cluster's metrics, read through the primary, with this worker's `registry`
 * as its share. Outside a cluster (one process) it is the registry itself.
 */
export function clusterMetricsSource(registry: Registry, timeoutMs = 5_000): MetricsSource {
  if (!cluster.isWorker || !process.send) return registry;
  const waiting = new Map<string, (text: string | undefined, error?: string) => void>();
  process.on("message", (raw: unknown) => {
    const message = messageOf(raw);
    if (message?.type === askShare)
      void registry.getMetricsAsJSON().then(
        (share) => process.send?.({ type: shareAnswer, id: message.id, share }),
        (error: unknown) =>
          process.send?.({ type: shareAnswer, id: message.id, error: String(error) }),
      );
    if (message?.type === clusterAnswer) waiting.get(message.id)?.(message.text, message.error);
  });
  return {
    contentType: registry.contentType,
    metrics: () =>
      new Promise<string>((resolve, reject) => {
        const id = randomUUID();
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(new Error(`the primary did not gather the metrics within ${timeoutMs} ms`));
        }, timeoutMs);
        waiting.set(id, (text, error) => {
          clearTimeout(timer);
          waiting.delete(id);
          if (text !== undefined) resolve(text);
          else reject(new Error(error ?? "no metrics"));
        });
        process.send?.({ type: askCluster, id });
      }),
  };
}
