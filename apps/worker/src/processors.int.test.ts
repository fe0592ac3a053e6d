import { Worker } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import {
  readWorkerHeartbeat,
  type HubRuntime,
  type PlannedHub,
  type RuntimeResolver,
} from "@hubfed/core";
import { seedDemoFederation } from "@hubfed/core/testing";
import { testRedisUrl, useTestDatabase } from "@hubfed/db/testing";
import {
  applyCapacityJob,
  createBullMqJobQueues,
  decommissionHubJob,
  decommissionJobId,
  heartbeatJob,
  provisionHubJob,
  queueNames,
  reconcileFleetJob,
  redisConnectionFromUrl,
  revokeHubAccessJob,
  type QueueName,
} from "@hubfed/jobs";
import { createProcessor } from "./processors";

const database = useTestDatabase();

describe("the worker's system queue", () => {
  // A Redis database of this file's own, so other files' queues never interfere.
  const redisUrl = `${testRedisUrl()}/3`;
  const connection = redisConnectionFromUrl(redisUrl);
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queues = createBullMqJobQueues(connection);

  // What the capacity job was given and what it asked the Kubernetes runtime to do.
  let capacityPlans: PlannedHub[] = [];
  const scaleCalls: Array<{ hub: string; pods: number }> = [];

  /** A real BullMQ worker on the system queue, with the worker app's own processor. */
  function startSystemWorker(): Worker {
    return startWorker(queueNames.system);
  }

  /** A real BullMQ worker on one queue, with the worker app's own processor. */
  function startWorker(queue: QueueName, runtimeFor?: RuntimeResolver): Worker {
    const dependencies = {
      db: database().db,
      redis,
      queues,
      workerId: "test-worker",
      endOfTermGraceDays: 14,
      usageProbeFor: () => undefined,
      verifyLink: () =>
        Promise.resolve({ outcome: "unknown" as const, message: "not in this test" }),
      gitOpsSettings: {
        render: {
          portalUrl: "http://localhost:3000",
          ingressControllerNamespace: "ingress-nginx",
        },
        destination: { kind: "misconfigured" as const, reason: "no GitOps export in this test" },
      },
      runtimeFor:
        runtimeFor ??
        (() => {
          throw new Error("no runtime in this test");
        }),
      placeholderScaler: {
        scalePlaceholders: (hub: { slug: string }, pods: number) => {
          scaleCalls.push({ hub: hub.slug, pods });
          return Promise.resolve();
        },
      },
      loadCapacityPlans: () => Promise.resolve(capacityPlans),
      gradingSandboxFor: () => {
        throw new Error("no grading in this test");
      },
    };
    return new Worker(queue, createProcessor(queue, dependencies), {
      connection,
      prefix: "hubfed",
    });
  }

  afterAll(async () => {
    await queues.close();
    redis.disconnect();
  });

  it("processes a heartbeat through BullMQ and records it in Redis", async () => {
    await redis.flushdb();
    const worker = startSystemWorker();
    try {
      const completed = new Promise<void>((resolve) => worker.once("completed", () => resolve()));
      await queues.add(heartbeatJob, {});
      await completed;
      const heartbeat = await readWorkerHeartbeat(redis);
      expect(heartbeat?.workerId).toBe("test-worker");
      expect(Date.now() - Date.parse(heartbeat?.beatAt ?? "")).toBeLessThan(10_000);
    } finally {
      await worker.close();
    }
  });

  it("fails a job with no handler visibly, keeping its reason", async () => {
    const worker = startSystemWorker();
    try {
      const failed = new Promise<string>((resolve) =>
        worker.once("failed", (_job, error) => resolve(error.message)),
      );
      const job = await queues.bullMqQueues.system.add("no-such-job", {});
      expect(await failed).toBe('No handler for job "no-such-job" on queue "system"');
      expect(await (await queues.bullMqQueues.system.getJob(job.id ?? ""))?.getState()).toBe(
        "failed",
      );
    } finally {
      await worker.close();
    }
  });

  it("rejects a payload that does not match the job's schema before enqueueing", async () => {
    await expect(queues.add(heartbeatJob, { unexpected: true } as never)).rejects.toThrow();
  });

  it("runs the fleet reconcile, which queues a drift reconcile and a decommission in Redis", async () => {
    const db = database().db;
    await seedDemoFederation(db);
    const [live, retiring] = await db.hub.findMany({
      orderBy: { slug: "asc" },
      select: { id: true },
    });
    if (!live || !retiring) throw new Error("the demo seeds two hubs");
    await db.hub.update({ where: { id: live.id }, data: { status: "READY" } });
    await db.hub.update({ where: { id: retiring.id }, data: { status: "DECOMMISSIONING" } });
    const worker = startSystemWorker();
    try {
      const completed = new Promise<unknown>((resolve, reject) => {
        worker.on("completed", (job, result) => {
          if (job.name === reconcileFleetJob.name) resolve(result);
        });
        worker.on("failed", (job, error) => {
          if (job?.name === reconcileFleetJob.name) reject(error);
        });
      });
      await queues.add(reconcileFleetJob, {});
      expect(await completed).toEqual({ reconciling: 1, retiring: 1 });
    } finally {
      await worker.close();
    }
    const provisioning = queues.bullMqQueues.provisioning;
    const waiting = await provisioning.getJobs(["waiting", "delayed", "prioritized"]);
    expect(waiting.map((job) => ({ name: job.name, data: job.data as unknown }))).toEqual(
      expect.arrayContaining([
        { name: provisionHubJob.name, data: { hubId: live.id, trigger: "drift" } },
        { name: decommissionHubJob.name, data: { hubId: retiring.id } },
      ]),
    );
    const decommission = await provisioning.getJob(decommissionJobId(retiring.id));
    expect(decommission?.opts.attempts).toBe(decommissionHubJob.attempts);
    expect(decommission?.opts.removeOnFail).toBe(false);
  });

  it("runs capacity.apply through BullMQ: the plan due now scales the hub's placeholders", async () => {
    const db = database().db;
    if ((await db.hub.count()) === 0) await seedDemoFederation(db);
    const cluster = await db.cluster.findFirstOrThrow({ where: { runtime: "KUBERNETES" } });
    const hub = await db.hub.findFirstOrThrow({ orderBy: { slug: "asc" } });
    await db.hub.update({
      where: { id: hub.id },
      data: { status: "READY", clusterId: cluster.id, appliedPlaceholderPods: null },
    });
    const now = Date.now();
    capacityPlans = [
      {
        plan: {
          hubId: hub.id,
          hubSlug: hub.slug,
          clusterId: cluster.id,
          spans: [
            {
              from: new Date(now - 60_000),
              to: new Date(now + 3_600_000),
              seats: 30,
              memoryMibPerSeat: 1024,
              reason: "CS 120 lecture",
            },
          ],
        },
        leadTimeMinutes: 15,
        userPool: { name: "user", memoryMib: 16384, vcpu: 4, minNodes: 0, maxNodes: 10 },
      },
    ];
    const worker = startSystemWorker();
    try {
      const completed = new Promise<unknown>((resolve, reject) => {
        worker.on("completed", (job, result) => {
          if (job.name === applyCapacityJob.name) resolve(result);
        });
        worker.on("failed", (job, error) => {
          if (job?.name === applyCapacityJob.name) reject(error);
        });
      });
      await queues.add(applyCapacityJob, {});
      // 30 seats × 1 GiB on 16 GiB nodes, of which 90 % (14 745 MiB) is users': 14 seats a
      // node, so three node-sized placeholders (capacity/plan.ts placeholderPodsFor).
      expect(await completed).toMatchObject({ scaled: { [hub.slug]: 3 }, failed: {} });
    } finally {
      await worker.close();
    }
    expect(scaleCalls).toContainEqual({ hub: hub.slug, pods: 3 });
    expect((await db.hub.findUniqueOrThrow({ where: { id: hub.id } })).appliedPlaceholderPods).toBe(
      3,
    );
  });

  it("access outlives enrolment: a hub that cannot be reached ends the removal FAILED, visibly", async () => {
    const db = database().db;
    if ((await db.hub.count()) === 0) await seedDemoFederation(db);
    const hub = await db.hub.findFirstOrThrow({ orderBy: { slug: "asc" } });
    await db.hub.update({ where: { id: hub.id }, data: { status: "READY" } });
    const revocation = await db.hubAccessRevocation.create({
      data: { hubId: hub.id, userId: "someone", username: "someone", reason: "UNENROLLED" },
    });
    // A runtime whose hub is down: nothing listens on the loopback's port 9.
    const unreachable = {
      hubApiAccess: () => Promise.resolve({ apiUrl: "http://127.0.0.1:9/hub/api", token: "t" }),
    } as unknown as HubRuntime;
    const worker = startWorker(queueNames.hubAccess, () => unreachable);
    try {
      const lastFailure = new Promise<string>((resolve) => {
        worker.on("failed", (job, error) => {
          if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) resolve(error.message);
        });
      });
      // The definition's own attempts, with a short backoff so the test need not wait minutes.
      const job = await queues.bullMqQueues[queueNames.hubAccess].add(
        revokeHubAccessJob.name,
        { revocationId: revocation.id },
        { attempts: 2, backoff: { type: "fixed", delay: 10 }, removeOnFail: false },
      );
      expect(await lastFailure).toMatch(
        /^DELETE http:\/\/127\.0\.0\.1:9\/hub\/api\/users\/someone/,
      );
      const failed = await queues.bullMqQueues[queueNames.hubAccess].getJob(job.id ?? "");
      expect(await failed?.getState()).toBe("failed");
      expect(failed?.failedReason).toMatch(/127\.0\.0\.1:9/);
    } finally {
      await worker.close();
    }
    expect(
      await db.hubAccessRevocation.findUniqueOrThrow({ where: { id: revocation.id } }),
    ).toMatchObject({
      status: "FAILED",
      attempts: 2,
      lastError: expect.stringMatching(/127\.0\.0\.1:9/) as unknown,
    });
  });

  it("registers the repeatable heartbeat once, however many workers start", async () => {
    await queues.scheduleRepeatableJobs();
    await queues.scheduleRepeatableJobs();
    const schedulers = await queues.bullMqQueues.system.getJobSchedulers();
    expect(
      schedulers.filter(
        (scheduler) => scheduler.key === heartbeatJob.name || scheduler.name === heartbeatJob.name,
      ),
    ).toHaveLength(1);
  });
});
