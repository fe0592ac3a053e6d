import { TRPCError } from "@trpc/server";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  appRouter,
  createCallerFactory,
  databaseUnavailableMessage,
  queueUnavailableMessage,
  type ApiContext,
} from "@hubfed/api";
import { loadActor, type Actor } from "@hubfed/auth";
import { createHealthMonitor, type HealthMonitor, type HealthReport } from "@hubfed/core";
import { seedDemoFederation } from "@hubfed/core/testing";
import { createDatabaseClient, type DatabaseClient } from "@hubfed/db";
import { testRedisUrl, useTestDatabase } from "@hubfed/db/testing";
import { createSecretBox } from "@hubfed/identity/secret-box";
import {
  createBullMqJobQueues,
  provisionHubJob,
  queueNames,
  redisConnectionFromUrl,
  type BullMqJobQueues,
} from "@hubfed/jobs";
import { startStallingProxy, type StallingProxy } from "@hubfed/stack";
import { portalDependencyTimeouts } from "./dependency-timeouts";

// The fault test of issue 17: PostgreSQL, then Redis, stop answering for 30 s each (a stalling
// TCP proxy in front of the machine's real services: the connections stay open, bytes stop,
// as in a network partition). The portal's clients are built as services.ts builds them, with
// its timeouts. Throughout, the health report comes back within 2 s naming the stalled
// dependency, and actions fail fast with a plain 503 instead of hanging; afterwards everything
// answers again, and what was written or queued before the stall is all still there.

const stallMs = 30_000;
const database = useTestDatabase();
const queuePrefix = `stall-${process.pid}`;
let pgProxy: StallingProxy;
let redisProxy: StallingProxy;
let db: DatabaseClient;
let redis: Redis;
let queues: BullMqJobQueues;
let directQueues: BullMqJobQueues;
let health: HealthMonitor;
let ops: Actor;
let hub: { id: string; slug: string };

const createCaller = createCallerFactory(appRouter);
const caller = () =>
  createCaller({
    db,
    queues,
    jobInspector: queues,
    redis,
    secretBox: createSecretBox(Buffer.alloc(32, 1).toString("base64")),
    verifyLink: () => Promise.resolve({ outcome: "unknown" as const, message: "not checked" }),
    readRepositoryMaterial: () =>
      Promise.resolve({ ok: false as const, field: "repositoryUrl" as const, message: "not read" }),
    identifyHubUser: () => Promise.resolve(null),
    actor: ops,
    requestMetadata: {},
  } satisfies ApiContext);

beforeAll(async () => {
  const direct = database().db;
  await seedDemoFederation(direct);
  const operator = await direct.user.findUniqueOrThrow({ where: { email: "ops@hubfed.example" } });
  ops = (await loadActor(direct, operator.id))!;
  const seeded = await direct.hub.findFirstOrThrow({ select: { id: true, slug: true } });
  hub = seeded;
  await direct.hub.update({ where: { id: hub.id }, data: { status: "FAILED" } });

  const redisUrl = testRedisUrl();
  pgProxy = await startStallingProxy(database().url);
  redisProxy = await startStallingProxy(redisUrl);
  // As services.ts builds them, through the proxies.
  db = createDatabaseClient({
    databaseUrl: pgProxy.proxiedUrl(database().url),
    maxConnections: 10,
    ...portalDependencyTimeouts.database,
  });
  const proxiedRedisUrl = redisProxy.proxiedUrl(`${redisUrl}/5`);
  redis = new Redis(proxiedRedisUrl, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    commandTimeout: portalDependencyTimeouts.redisCommandMs,
  });
  redis.on("error", () => undefined);
  queues = createBullMqJobQueues(redisConnectionFromUrl(proxiedRedisUrl), {
    prefix: queuePrefix,
    answerWithinMs: portalDependencyTimeouts.queueAddMs,
  });
  // The same queues seen without the proxy: what is really in Redis.
  directQueues = createBullMqJobQueues(redisConnectionFromUrl(`${redisUrl}/5`), {
    prefix: queuePrefix,
  });
  health = createHealthMonitor({ db, redis });
  if (redis.status !== "ready") await new Promise((resolve) => redis.once("ready", resolve));
});

afterAll(async () => {
  for (const queue of Object.values(directQueues?.bullMqQueues ?? {}))
    await queue.obliterate({ force: true });
  await queues?.close();
  await directQueues?.close();
  redis?.disconnect();
  await db?.$disconnect();
  await pgProxy?.close();
  await redisProxy?.close();
});

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const startedAt = performance.now();
  const value = await work();
  return { value, ms: performance.now() - startedAt };
}

async function failureOf(work: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const { value, ms } = await timed(() =>
    work().then(
      () => undefined,
      (error: unknown) => error,
    ),
  );
  return { error: value, ms };
}

/**
 * Checks health every half second for the whole stall; `during` starts two seconds in and runs
 * beside the checks (a hanging action must not hold the health report up). Returns each report
 * with how long it took.
 */
async function throughoutTheStall(
  proxy: StallingProxy,
  during: () => Promise<void>,
): Promise<Array<{ report: HealthReport; ms: number }>> {
  const samples: Array<{ report: HealthReport; ms: number }> = [];
  const startedAt = Date.now();
  let acting: Promise<void> | undefined;
  proxy.stall();
  try {
    while (Date.now() - startedAt < stallMs) {
      const { value: report, ms } = await timed(() => health.check());
      samples.push({ report, ms });
      if (!acting && Date.now() - startedAt > 2_000) acting = during();
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    await acting;
  } finally {
    proxy.resume();
  }
  return samples;
}

describe("dependencies that stall", () => {
  it(
    "Redis: health answers within 2 s naming Redis, queueing fails fast, and nothing queued is lost",
    async () => {
      const before = await queues.add(
        provisionHubJob,
        { hubId: hub.id, trigger: "drift" },
        { jobId: `provision-${hub.id}-before-stall` },
      );

      let retry: { error: unknown; ms: number } | undefined;
      let inspection: { error: unknown; ms: number } | undefined;
      const samples = await throughoutTheStall(redisProxy, async () => {
        retry = await failureOf(() =>
          caller().hub.retry({ slug: hub.slug, reason: "Retrying while Redis stalls" }),
        );
        inspection = await failureOf(() => caller().jobs.failed({ queue: "provisioning" }));
      });

      console.log(
        `Redis stalled ${stallMs / 1000} s: ${samples.length} health reports, slowest ${Math.round(Math.max(...samples.map((sample) => sample.ms)))} ms; ops retry failed after ${Math.round(retry?.ms ?? 0)} ms, failed-jobs view after ${Math.round(inspection?.ms ?? 0)} ms`,
      );
      expect(samples.length).toBeGreaterThanOrEqual(15);
      for (const { report, ms } of samples) {
        expect(ms).toBeLessThan(2_000);
        expect(report.redis).toMatchObject({ isHealthy: false, state: "stalled" });
        expect(report.database).toMatchObject({ isHealthy: true, state: "up" });
        expect(report.worker.state).toBe("unknown");
      }
      // Ops' retry needs the queue: a plain 503 after the queue's timeout, not a hang.
      expect(retry?.error).toBeInstanceOf(TRPCError);
      expect(retry?.error).toMatchObject({
        code: "SERVICE_UNAVAILABLE",
        message: queueUnavailableMessage,
      });
      expect(retry?.ms).toBeLessThan(portalDependencyTimeouts.queueAddMs + 1_000);
      expect(inspection?.error).toMatchObject({ code: "SERVICE_UNAVAILABLE" });
      expect(inspection?.ms).toBeLessThan(portalDependencyTimeouts.queueAddMs + 1_000);

      // After the stall: Redis answers again, the retry goes through, and the job queued
      // before the stall is still there.
      await expect
        .poll(async () => (await health.check()).redis.state, { timeout: 10_000 })
        .toBe("up");
      await caller().hub.retry({ slug: hub.slug, reason: "Retrying while Redis stalls" });
      const waiting = await directQueues.bullMqQueues.provisioning.getJobs(["waiting"]);
      const ids = waiting.map((job) => job.id);
      expect(ids).toContain(before);
      expect(
        waiting.filter((job) => (job.data as { trigger?: string }).trigger === "retry").length,
      ).toBeGreaterThan(0);
      const audits = await database().db.auditEvent.count({
        where: { action: "hub.retry", subjectId: hub.id },
      });
      expect(audits).toBeGreaterThanOrEqual(1);
    },
    stallMs + 60_000,
  );

  it(
    "PostgreSQL: health answers within 2 s naming the database, reads fail fast, and what was written survives",
    async () => {
      const written = await database().db.auditEvent.create({
        data: { actorId: null, action: "test.before-stall", subjectType: "Hub", subjectId: hub.id },
      });

      let read: { error: unknown; ms: number } | undefined;
      let queued: { value: string; ms: number } | undefined;
      const samples = await throughoutTheStall(pgProxy, async () => {
        read = await failureOf(() => caller().hub.get({ slug: hub.slug }));
        // Work that needs only the queue is still accepted while the database stalls.
        queued = await timed(() =>
          queues.add(
            provisionHubJob,
            { hubId: hub.id, trigger: "drift" },
            { jobId: `provision-${hub.id}-during-database-stall` },
          ),
        );
      });

      console.log(
        `PostgreSQL stalled ${stallMs / 1000} s: ${samples.length} health reports, slowest ${Math.round(Math.max(...samples.map((sample) => sample.ms)))} ms; hub.get failed after ${Math.round(read?.ms ?? 0)} ms; queueing took ${Math.round(queued?.ms ?? 0)} ms`,
      );
      expect(samples.length).toBeGreaterThanOrEqual(15);
      for (const { report, ms } of samples) {
        expect(ms).toBeLessThan(2_000);
        expect(report.database).toMatchObject({ isHealthy: false, state: "stalled" });
        expect(report.redis).toMatchObject({ isHealthy: true, state: "up" });
      }
      expect(read?.error).toMatchObject({
        code: "SERVICE_UNAVAILABLE",
        message: databaseUnavailableMessage,
      });
      const { queryTimeoutMs } = portalDependencyTimeouts.database;
      expect(read?.ms).toBeLessThan(queryTimeoutMs + 1_500);
      expect(queued?.ms).toBeLessThan(1_000);

      await expect
        .poll(async () => (await health.check()).database.state, { timeout: 15_000 })
        .toBe("up");
      const detail = await caller().hub.get({ slug: hub.slug });
      expect(detail.slug).toBe(hub.slug);
      expect(await db.auditEvent.findUnique({ where: { id: written.id } })).not.toBeNull();
      const job = await directQueues.bullMqQueues[queueNames.provisioning].getJob(
        `provision-${hub.id}-during-database-stall`,
      );
      expect(job?.data).toMatchObject({ hubId: hub.id });
    },
    stallMs + 60_000,
  );
});
