import { Worker } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testRedisUrl, useTestDatabase } from "@hubfed/db/testing";
import {
  createBullMqJobQueues,
  jobStatesCounted,
  queueNames,
  redisConnectionFromUrl,
  sweepGradingJob,
  type BullMqJobQueues,
} from "@hubfed/jobs";
import { listFailedJobs, queueOverview, retryFailedJob } from "@hubfed/core";
import { actorFor, seedDemoFederation } from "@hubfed/core/testing";

// The operators' jobs view (core's health/jobs.ts) over real BullMQ queues in Redis, failed by a
// real BullMQ worker: a job whose last attempt failed is
// listed with its reason, a retry puts it back on its queue and is audited, and nobody but ops
// may look or retry.

const database = useTestDatabase();
const redisUrl = `${testRedisUrl()}/7`;
const prefix = `jobs-view-${process.pid}`;
let queues: BullMqJobQueues;

beforeAll(async () => {
  await seedDemoFederation(database().db);
  queues = createBullMqJobQueues(redisConnectionFromUrl(redisUrl), { prefix });
});

afterAll(async () => {
  for (const queue of Object.values(queues.bullMqQueues)) await queue.obliterate({ force: true });
  await queues.close();
});

/** Runs the system queue with a processor that fails every job with `reason`, until `count` have. */
async function failEverything(reason: string, count: number): Promise<void> {
  let failed = 0;
  const worker = new Worker(queueNames.system, () => Promise.reject(new Error(reason)), {
    connection: redisConnectionFromUrl(redisUrl),
    prefix,
  });
  await new Promise<void>((resolve) =>
    worker.on("failed", () => {
      failed += 1;
      if (failed === count) resolve();
    }),
  );
  await worker.close();
}

describe("failed jobs for operators", () => {
  it("lists failed jobs with their reasons, newest first, a page at a time", async () => {
    const ops = await actorFor(database().db, "ops@hubfed.example");
    for (let index = 0; index < 27; index += 1) await queues.add(sweepGradingJob, {});
    await failEverything("the sandbox could not start: no slot", 27);

    const overview = await queueOverview(ops, queues);
    // Exactly the counted states, whatever else BullMQ answers with (the API's schema is strict).
    expect(Object.keys(overview.system).sort()).toEqual([...jobStatesCounted].sort());
    expect(overview.system).toMatchObject({ failed: 27, waiting: 0 });
    expect(overview.grading.failed).toBe(0);
    const first = await listFailedJobs(ops, queues, { queue: "system", page: 1 });
    expect(first).toMatchObject({ total: 27, page: 1, pageCount: 2 });
    expect(first.jobs).toHaveLength(25);
    expect(first.jobs[0]).toMatchObject({
      queue: "system",
      name: sweepGradingJob.name,
      failedReason: "the sandbox could not start: no slot",
      attemptsMade: sweepGradingJob.attempts,
    });
    const failedAt = first.jobs.map((job) => job.failedAt?.getTime() ?? 0);
    expect(failedAt).toEqual([...failedAt].sort((a, b) => b - a));
    const second = await listFailedJobs(ops, queues, { queue: "system", page: 2 });
    expect(second.jobs).toHaveLength(2);
    const ids = [...first.jobs, ...second.jobs].map((job) => job.id);
    expect(new Set(ids).size).toBe(27);
  });

  it("retries a failed job onto its queue and records who did it, with the reason it had failed", async () => {
    const db = database().db;
    const ops = await actorFor(db, "ops@hubfed.example");
    const [job] = (await listFailedJobs(ops, queues, { queue: "system", page: 1 })).jobs;
    if (!job) throw new Error("a failed job from the first test");

    const retried = await retryFailedJob(
      db,
      ops,
      queues,
      { queue: "system", jobId: job.id },
      {
        ipAddress: "192.0.2.7",
      },
    );
    expect(retried.id).toBe(job.id);
    expect(await (await queues.bullMqQueues.system.getJob(job.id))?.getState()).toBe("waiting");
    expect((await queueOverview(ops, queues)).system).toMatchObject({ failed: 26, waiting: 1 });
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "job.retry" } });
    expect(audit).toMatchObject({
      actorId: ops.userId,
      subjectType: "Job",
      subjectId: `system/${job.id}`,
      ipAddress: "192.0.2.7",
      details: {
        queue: "system",
        jobId: job.id,
        name: sweepGradingJob.name,
        failedReason: "the sandbox could not start: no slot",
      },
    });

    // A second retry of the same job finds it waiting, not failed: refused, and not audited twice.
    await expect(
      retryFailedJob(db, ops, queues, { queue: "system", jobId: job.id }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(
      retryFailedJob(db, ops, queues, { queue: "system", jobId: "no-such-job" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await db.auditEvent.count({ where: { action: "job.retry" } })).toBe(1);
  });

  it("refuses everyone but operators, before touching the queues", async () => {
    const db = database().db;
    for (const email of [
      "it-admin@westvalley.edu",
      "prof.rivera@westvalley.edu",
      "student@westvalley.edu",
    ]) {
      const actor = await actorFor(db, email);
      await expect(queueOverview(actor, queues)).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(
        listFailedJobs(actor, queues, { queue: "system", page: 1 }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
      const [job] = (
        await listFailedJobs(await actorFor(db, "ops@hubfed.example"), queues, {
          queue: "system",
          page: 1,
        })
      ).jobs;
      await expect(
        retryFailedJob(db, actor, queues, { queue: "system", jobId: job!.id }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
      expect(await (await queues.bullMqQueues.system.getJob(job!.id))?.getState()).toBe("failed");
    }
  });
});
