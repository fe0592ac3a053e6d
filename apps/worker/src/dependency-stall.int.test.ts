import { PassThrough } from "node:stream";
import { Worker } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countHubsByStatus, createHealthMonitor, readWorkerHeartbeat } from "@hubfed/core";
import { seedDemoFederation } from "@hubfed/core/testing";
import { createDatabaseClient, type DatabaseClient } from "@hubfed/db";
import { testRedisUrl, useTestDatabase } from "@hubfed/db/testing";
import {
  createBullMqJobQueues,
  heartbeatJob,
  queueNames,
  reconcileFleetJob,
  redisConnectionFromUrl,
  type BullMqJobQueues,
} from "@hubfed/jobs";
import {
  createLogger,
  createWorkerMetrics,
  parsePrometheusText,
  sampleValue,
  type WorkerMetrics,
} from "@hubfed/observability";
import { startStallingProxy, type StallingProxy } from "@hubfed/stack";
import { workerDependencyTimeouts } from "./dependency-timeouts";
import { startProbeServer, type WorkerProbeServer } from "./probes";
import { createProcessor, type WorkerDependencies } from "./processors";

// The worker's side of issue 17's fault test: Redis, then PostgreSQL, stop answering for 30 s
// (a stalling proxy in front of each; the shared services themselves are never paused) while
// the worker runs with its own processors, timeouts and probe listener. Jobs queued during the
// stall (by a portal on the other side of the partition) all run once it ends, and the
// listener's /readyz and /metrics keep answering within 2 s throughout.

const stallMs = 30_000;
const database = useTestDatabase();
const redisUrl = `${testRedisUrl()}/6`;
const prefix = `worker-stall-${process.pid}`;
let pgProxy: StallingProxy;
let redisProxy: StallingProxy;
let db: DatabaseClient;
let redis: Redis;
let queues: BullMqJobQueues;
let producer: BullMqJobQueues;
let worker: Worker;
let metrics: WorkerMetrics;
let probes: WorkerProbeServer;
let probesUrl: string;

beforeAll(async () => {
  await seedDemoFederation(database().db);
  pgProxy = await startStallingProxy(database().url);
  redisProxy = await startStallingProxy(redisUrl);
  // As main.ts builds them, through the proxies.
  db = createDatabaseClient({
    databaseUrl: pgProxy.proxiedUrl(database().url),
    maxConnections: 6,
    ...workerDependencyTimeouts.database,
  });
  const proxiedRedisUrl = redisProxy.proxiedUrl(redisUrl);
  const connection = redisConnectionFromUrl(proxiedRedisUrl);
  redis = new Redis(proxiedRedisUrl, { maxRetriesPerRequest: null });
  queues = createBullMqJobQueues(connection, {
    prefix,
    answerWithinMs: workerDependencyTimeouts.queueAddMs,
  });
  // The portal's side of the partition: it still reaches Redis and queues work.
  producer = createBullMqJobQueues(redisConnectionFromUrl(redisUrl), { prefix });
  metrics = createWorkerMetrics({
    queueDepths: () => queues.countJobs(),
    hubsByStatus: () => countHubsByStatus(db),
  });
  const dependencies: WorkerDependencies = {
    db,
    redis,
    queues,
    workerId: "stall-test-worker",
    endOfTermGraceDays: 14,
    usageProbeFor: () => undefined,
    verifyLink: () => Promise.resolve({ outcome: "unknown" as const, message: "not here" }),
    gitOpsSettings: {
      render: { portalUrl: "http://localhost:3000", ingressControllerNamespace: "ingress-nginx" },
      destination: { kind: "misconfigured" as const, reason: "no GitOps export in this test" },
    },
    runtimeFor: () => {
      throw new Error("no runtime in this test");
    },
    placeholderScaler: { scalePlaceholders: () => Promise.resolve() },
    loadCapacityPlans: () => Promise.resolve([]),
    gradingSandboxFor: () => {
      throw new Error("no grading in this test");
    },
  };
  worker = new Worker(
    queueNames.system,
    createProcessor(queueNames.system, dependencies, {
      logger: createLogger({ component: "worker", destination: new PassThrough().resume() }),
      metrics,
    }),
    { connection, prefix },
  );
  worker.on("error", () => undefined);
  probes = await startProbeServer(
    { isReady: () => worker.isRunning(), isStopping: () => false },
    {
      host: "127.0.0.1",
      port: 0,
      metrics: { registry: metrics.registry, access: {} },
      health: createHealthMonitor({ db, redis }),
    },
  );
  probesUrl = `http://127.0.0.1:${probes.port}`;
  await worker.waitUntilReady();
});

afterAll(async () => {
  await probes?.close();
  await worker?.close(true);
  for (const queue of Object.values(producer?.bullMqQueues ?? {}))
    await queue.obliterate({ force: true });
  await producer?.close();
  await queues?.close();
  redis?.disconnect();
  await db?.$disconnect();
  await pgProxy?.close();
  await redisProxy?.close();
});

async function timedFetch(path: string) {
  const startedAt = performance.now();
  const response = await fetch(`${probesUrl}${path}`);
  const body = await response.text();
  return { status: response.status, body, ms: performance.now() - startedAt };
}

/** Probes /readyz and /metrics every half second for the whole stall; `during` runs two seconds in. */
async function throughoutTheStall(proxy: StallingProxy, during: () => Promise<void>) {
  const samples: Array<{
    ready: Awaited<ReturnType<typeof timedFetch>>;
    scrape: Awaited<ReturnType<typeof timedFetch>>;
  }> = [];
  const startedAt = Date.now();
  let acting: Promise<void> | undefined;
  proxy.stall();
  try {
    while (Date.now() - startedAt < stallMs) {
      const ready = await timedFetch("/readyz");
      const scrape = await timedFetch("/metrics");
      samples.push({ ready, scrape });
      if (!acting && Date.now() - startedAt > 2_000) acting = during();
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    await acting;
  } finally {
    proxy.resume();
  }
  return samples;
}

async function stateOf(jobId: string) {
  return (await producer.bullMqQueues.system.getJob(jobId))?.getState();
}

function sampleOf(body: string, name: string, labels: Record<string, string>) {
  return sampleValue(parsePrometheusText(body), name, labels);
}

describe("the worker through stalled dependencies", () => {
  it(
    "Redis: probes answer within 2 s naming Redis; jobs queued during the stall all run after it",
    async () => {
      const queuedDuringStall: string[] = [];
      const samples = await throughoutTheStall(redisProxy, async () => {
        queuedDuringStall.push(await producer.add(heartbeatJob, {}));
        queuedDuringStall.push(await producer.add(reconcileFleetJob, {}));
      });

      expect(samples.length).toBeGreaterThanOrEqual(10);
      for (const { ready, scrape } of samples) {
        expect(ready.ms).toBeLessThan(2_000);
        expect(ready.status).toBe(503);
        expect(JSON.parse(ready.body)).toMatchObject({
          isReady: false,
          redis: { isHealthy: false, state: "stalled" },
          database: { isHealthy: true, state: "up" },
        });
        expect(scrape.ms).toBeLessThan(2_000);
        // The queue depths could not be read in time, and the scrape says so.
        expect(sampleOf(scrape.body, "hubfed_metrics_source_up", { source: "queues" })).toBe(0);
      }
      expect(queuedDuringStall).toHaveLength(2);
      for (const jobId of queuedDuringStall)
        await expect.poll(() => stateOf(jobId), { timeout: 30_000 }).toBe("completed");
      const heartbeat = await readWorkerHeartbeat(redis);
      expect(heartbeat?.workerId).toBe("stall-test-worker");
      expect(Date.now() - Date.parse(heartbeat!.beatAt)).toBeLessThan(30_000);
      expect((await timedFetch("/readyz")).status).toBe(200);
      const scrape = (await timedFetch("/metrics")).body;
      expect(
        sampleOf(scrape, "hubfed_job_duration_seconds_count", {
          queue: "system",
          job: heartbeatJob.name,
          outcome: "completed",
        }),
      ).toBeGreaterThanOrEqual(1);
    },
    stallMs + 60_000,
  );

  it(
    "PostgreSQL: probes answer within 2 s naming the database; a job that needs it waits the stall out and completes",
    async () => {
      let jobId: string | undefined;
      const samples = await throughoutTheStall(pgProxy, async () => {
        jobId = await producer.add(reconcileFleetJob, {});
      });

      expect(samples.length).toBeGreaterThanOrEqual(10);
      for (const { ready, scrape } of samples) {
        expect(ready.ms).toBeLessThan(2_000);
        expect(JSON.parse(ready.body)).toMatchObject({
          isReady: false,
          database: { isHealthy: false, state: "stalled" },
          redis: { isHealthy: true, state: "up" },
        });
        expect(scrape.ms).toBeLessThan(2_000);
        // The hubs could not be counted in time, and the scrape says so.
        expect(sampleOf(scrape.body, "hubfed_metrics_source_up", { source: "hubs" })).toBe(0);
      }
      expect(jobId).toBeDefined();
      await expect.poll(() => stateOf(jobId!), { timeout: 30_000 }).toBe("completed");
      const job = await producer.bullMqQueues.system.getJob(jobId!);
      expect(job?.returnvalue).toHaveProperty("reconciling");
      expect((await timedFetch("/readyz")).status).toBe(200);
      const scrape = (await timedFetch("/metrics")).body;
      expect(sampleOf(scrape, "hubfed_metrics_source_up", { source: "hubs" })).toBe(1);
      const hubs = await database().db.hub.count({ where: { status: "PENDING" } });
      expect(sampleOf(scrape, "hubfed_hubs", { status: "PENDING" })).toBe(hubs);
    },
    stallMs + 60_000,
  );
});
