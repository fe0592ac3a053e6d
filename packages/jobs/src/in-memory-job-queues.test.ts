import { describe, expect, it } from "vitest";
import { gitOpsExportJob, heartbeatJob, provisionHubJob, queueNames } from "./definitions";
import { createInMemoryJobQueues } from "./in-memory-job-queues";
import { provisionJobId } from "./job-ids";

describe("the in-memory job queues", () => {
  it("records a job on its definition's queue with the validated payload", async () => {
    const queues = createInMemoryJobQueues();
    const jobId = provisionJobId("hub1", { specRevision: 1 });
    expect(
      await queues.add(provisionHubJob, { hubId: "hub1", trigger: "approval" }, { jobId }),
    ).toBe(jobId);
    expect(queues.getJob(queueNames.provisioning, jobId)).toEqual({
      queue: "provisioning",
      name: "hub.provision",
      id: "provision:hub1:1",
      data: { hubId: "hub1", trigger: "approval" },
      delayMs: undefined,
    });
    expect(queues.getJob(queueNames.system, jobId)).toBeUndefined();
  });

  it("ignores a second add with an id it holds, as BullMQ does", async () => {
    const queues = createInMemoryJobQueues();
    const jobId = provisionJobId("hub1", { specRevision: 1 });
    await queues.add(provisionHubJob, { hubId: "hub1", trigger: "approval" }, { jobId });
    await queues.add(provisionHubJob, { hubId: "hub1", trigger: "retry" }, { jobId });
    expect(queues.jobsOf(provisionHubJob).map((job) => job.data)).toEqual([
      { hubId: "hub1", trigger: "approval" },
    ]);
  });

  it("numbers jobs without an id per queue, as BullMQ does", async () => {
    const queues = createInMemoryJobQueues();
    expect(await queues.add(heartbeatJob, {})).toBe("1");
    expect(await queues.add(heartbeatJob, {})).toBe("2");
    expect(await queues.add(provisionHubJob, { hubId: "hub1", trigger: "drift" })).toBe("1");
    expect(queues.jobs.map((job) => `${job.queue}/${job.id}`)).toEqual([
      "system/1",
      "system/2",
      "provisioning/1",
    ]);
  });

  it("keeps the delay and lists one definition's jobs only", async () => {
    const queues = createInMemoryJobQueues();
    await queues.add(heartbeatJob, {});
    await queues.add(gitOpsExportJob, { regionSlug: "pacific" }, { delayMs: 31_000 });
    expect(queues.jobsOf(gitOpsExportJob)).toEqual([
      expect.objectContaining({ data: { regionSlug: "pacific" }, delayMs: 31_000 }),
    ]);
  });

  it("refuses a payload its schema does not accept, and records nothing", async () => {
    const queues = createInMemoryJobQueues();
    await expect(queues.add(heartbeatJob, { unexpected: true } as never)).rejects.toThrow();
    expect(queues.jobs).toEqual([]);
  });

  it("refuses a job id BullMQ would refuse, and records nothing", async () => {
    const queues = createInMemoryJobQueues();
    await expect(
      queues.add(provisionHubJob, { hubId: "hub1", trigger: "retry" }, { jobId: "provision:hub1" }),
    ).rejects.toThrow(/exactly twice/);
    expect(queues.jobs).toEqual([]);
  });
});
