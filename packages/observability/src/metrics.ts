import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

// Every metric Hubfed exports is defined here, once, with its labels and buckets; the portal and
// the worker each get a registry holding theirs. docs/observability.md lists them and
// charts/hubfed/dashboards/hubfed.json charts them.

/** Seconds; from well under a millisecond (the interact redirect) to a slow page. */
const httpBuckets = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];
/** Seconds; from a heartbeat to a long provisioning or grading run. */
const jobBuckets = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 600, 1800];

export type HttpLabel = "route" | "method" | "status";

/**
 * `histogram.observe(labels, value)` with each label set's child kept: prom-client hashes the
 * labels on every observe, which the interact path should not pay per click. Only for label
 * sets that stay few (route families, methods, statuses).
 */
export function fastObserverOf<Label extends string>(
  histogram: Histogram<Label>,
): (labels: Record<Label, string>, value: number) => void {
  const children = new Map<string, { observe(value: number): void }>();
  return (labels, value) => {
    const key = Object.values<string>(labels).join("\u0000");
    let child = children.get(key);
    if (!child) {
      child = histogram.labels(labels);
      children.set(key, child);
    }
    child.observe(value);
  };
}

export interface PortalMetrics {
  registry: Registry;
  /** Every response of the portal, by route family (never the raw path: codes would explode it). */
  httpRequestDuration: Histogram<HttpLabel>;
}

export function createPortalMetrics(): PortalMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ app: "portal" });
  collectDefaultMetrics({ register: registry });
  const httpRequestDuration = new Histogram({
    name: "hubfed_http_request_duration_seconds",
    help: "Time from a request's arrival to its response's last byte, by route family, method and status",
    labelNames: ["route", "method", "status"],
    buckets: httpBuckets,
    registers: [registry],
  });
  return { registry, httpRequestDuration };
}

export type JobLabel = "queue" | "job" | "outcome";

type QueueFigures = Record<string, Record<string, number>> | undefined;
type HubFigures = Record<string, number> | undefined;

/** Figures the worker's metrics read from Redis and PostgreSQL when they are scraped. */
export interface WorkerMetricSources {
  /** Jobs per queue per state (waiting, active, delayed, failed). */
  queueDepths(): Promise<Record<string, Record<string, number>>>;
  /** Hubs per lifecycle status, every status present (0 when no hub holds it). */
  hubsByStatus(): Promise<Record<string, number>>;
  /** A scrape never waits longer than this for a source; a stalled one keeps its last figures. */
  timeoutMs?: number;
}

export interface WorkerMetrics {
  registry: Registry;
  /** How long each job ran, by queue, job name and outcome (completed or failed). */
  jobDuration: Histogram<JobLabel>;
  /** Failed attempts, by queue and job; outcome "retrying" while attempts remain, "failed" at the last. */
  jobFailures: Counter<JobLabel>;
}

export function createWorkerMetrics(sources: WorkerMetricSources): WorkerMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ app: "worker" });
  collectDefaultMetrics({ register: registry });
  const timeoutMs = sources.timeoutMs ?? 1_000;
  const jobDuration = new Histogram({
    name: "hubfed_job_duration_seconds",
    help: "Run time of each job attempt, by queue, job name and outcome",
    labelNames: ["queue", "job", "outcome"],
    buckets: jobBuckets,
    registers: [registry],
  });
  const jobFailures = new Counter({
    name: "hubfed_job_failures_total",
    help: "Failed job attempts, by queue and job name; outcome is 'failed' when no attempt remains",
    labelNames: ["queue", "job", "outcome"],
    registers: [registry],
  });
  // One read of each source per scrape, shared by the gauges that report it: the registry
  // collects every metric at once, so "up" must wait for the same reads the figures come from.
  let reading: { queues: Promise<QueueFigures>; hubs: Promise<HubFigures> } | undefined;
  const readSources = () => {
    if (reading) return reading;
    const current = {
      queues: readWithin(() => sources.queueDepths(), timeoutMs),
      hubs: readWithin(() => sources.hubsByStatus(), timeoutMs),
    };
    reading = current;
    void Promise.all([current.queues, current.hubs]).then(() => {
      if (reading === current) reading = undefined;
    });
    return current;
  };
  new Gauge({
    name: "hubfed_metrics_source_up",
    help: "1 when the scrape read this source (queues: Redis, hubs: PostgreSQL) in time, else 0",
    labelNames: ["source"],
    registers: [registry],
    async collect() {
      const { queues, hubs } = readSources();
      this.set({ source: "queues" }, (await queues) ? 1 : 0);
      this.set({ source: "hubs" }, (await hubs) ? 1 : 0);
    },
  });
  new Gauge({
    name: "hubfed_queue_jobs",
    help: "Jobs in each queue by state, read when scraped (a stalled Redis keeps the last figures)",
    labelNames: ["queue", "state"],
    registers: [registry],
    async collect() {
      const depths = await readSources().queues;
      if (!depths) return;
      for (const [queue, states] of Object.entries(depths))
        for (const [state, count] of Object.entries(states)) this.set({ queue, state }, count);
    },
  });
  new Gauge({
    name: "hubfed_hubs",
    help: "Hubs by lifecycle status, read when scraped (a stalled database keeps the last figures)",
    labelNames: ["status"],
    registers: [registry],
    async collect() {
      const counts = await readSources().hubs;
      if (!counts) return;
      for (const [status, count] of Object.entries(counts)) this.set({ status }, count);
    },
  });
  return { registry, jobDuration, jobFailures };
}

/** The source's figures, or undefined when it failed or did not answer in time. */
async function readWithin<T>(read: () => Promise<T>, timeoutMs: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      read(),
      new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), timeoutMs);
      }),
    ]);
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}
