import { describe, expect, it } from "vitest";
import { useTestDatabase } from "@hubfed/db/testing";
import {
  createInMemoryJobQueues,
  decommissionHubJob,
  decommissionJobId,
  provisionHubJob,
  provisionJobId,
} from "@hubfed/jobs";
import { seedDemoFederation } from "../testing/demo-federation";
import { queueFleetReconcile, retireEndedHubs } from "./fleet";

// What the fleet's scheduled jobs queue, checked on the in-memory queues: the
// worker runs these functions and nothing else (its own tests use BullMQ).

const database = useTestDatabase();

describe("the fleet's periodic reconcile", () => {
  it("queues a drift reconcile per live hub and a decommission per retiring one, once per period", async () => {
    const db = database().db;
    await seedDemoFederation(db);
    const [live, retiring] = await db.hub.findMany({
      orderBy: { slug: "asc" },
      select: { id: true },
    });
    if (!live || !retiring) throw new Error("the demo seeds two hubs");
    await db.hub.update({ where: { id: live.id }, data: { status: "DEGRADED" } });
    await db.hub.update({ where: { id: retiring.id }, data: { status: "DECOMMISSIONING" } });
    const queues = createInMemoryJobQueues();

    // 10:00 and 10:05 UTC fall in one ten-minute period of the job, 10:10 in the next.
    const tenOClock = new Date("2026-11-02T10:00:00Z");
    const driftWindow = tenOClock.getTime() / 600_000;
    expect(await queueFleetReconcile(db, queues, { now: tenOClock })).toEqual({
      reconciling: 1,
      retiring: 1,
    });
    await queueFleetReconcile(db, queues, { now: new Date("2026-11-02T10:05:00Z") });
    expect(queues.jobs.map(({ queue, name, id, data }) => ({ queue, name, id, data }))).toEqual([
      {
        queue: "provisioning",
        name: provisionHubJob.name,
        id: provisionJobId(live.id, { driftWindow }),
        data: { hubId: live.id, trigger: "drift" },
      },
      {
        queue: "provisioning",
        name: decommissionHubJob.name,
        id: decommissionJobId(retiring.id),
        data: { hubId: retiring.id },
      },
    ]);

    await queueFleetReconcile(db, queues, { now: new Date("2026-11-02T10:10:00Z") });
    expect(queues.jobsOf(provisionHubJob).map((job) => job.id)).toEqual([
      provisionJobId(live.id, { driftWindow }),
      provisionJobId(live.id, { driftWindow: driftWindow + 1 }),
    ]);
    expect(queues.jobsOf(decommissionHubJob)).toHaveLength(1);

    // A suspended hub is kept stopped: its drift check is queued like a running hub's (the
    // reconcile converges it to stopped), a FAILED one waits for its Retry.
    await db.hub.update({ where: { id: live.id }, data: { status: "SUSPENDED" } });
    expect(
      await queueFleetReconcile(db, queues, { now: new Date("2026-11-02T10:20:00Z") }),
    ).toEqual({ reconciling: 1, retiring: 1 });
    expect(queues.jobsOf(provisionHubJob).at(-1)?.data).toEqual({
      hubId: live.id,
      trigger: "drift",
    });
    await db.hub.update({ where: { id: live.id }, data: { status: "FAILED" } });
    expect(
      await queueFleetReconcile(db, queues, { now: new Date("2026-11-02T10:30:00Z") }),
    ).toEqual({ reconciling: 0, retiring: 1 });
    expect(queues.jobs).toHaveLength(4);
  });
});

describe("the end of term", () => {
  it("moves ended hubs to DECOMMISSIONING and queues each one's decommission, once", async () => {
    const db = database().db;
    await seedDemoFederation(db);
    // Both demo courses end in December 2026; their hubs run until then.
    await db.hub.updateMany({ data: { status: "READY" } });
    const queues = createInMemoryJobQueues();
    const afterTerm = new Date("2027-01-15T00:00:00Z");

    const moved = await retireEndedHubs(db, queues, { now: afterTerm, graceDays: 14 });
    expect(moved.sort()).toEqual(["ccc-cs-120-fa26", "wvc-data-101-fa26"]);
    expect(await retireEndedHubs(db, queues, { now: afterTerm, graceDays: 14 })).toEqual([]);

    const retired = await db.hub.findMany({ where: { slug: { in: moved } }, select: { id: true } });
    expect(
      queues
        .jobsOf(decommissionHubJob)
        .map((job) => job.id)
        .sort(),
    ).toEqual(retired.map((hub) => decommissionJobId(hub.id)).sort());
  });
});
