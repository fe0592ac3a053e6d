import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@hubfed/auth/permissions";
import { useTestDatabase } from "@hubfed/db/testing";
import { createInMemoryJobQueues, decommissionHubJob, provisionHubJob } from "@hubfed/jobs";
import { topUpHubAllocation } from "../credits/hub-allocation-top-up";
import { actorFor, seedDemoFederation } from "../testing/demo-federation";
import { availableHubActions, takeHubAction } from "./actions";
import { createHubBudgetSwitch } from "./budget-switch";
import { getHubDetail } from "./queries";

// Ops' and institution admins' actions on a hub: each needs its permission, a reason and a
// status that allows it; each is audited, told to the course's staff and carried out by a
// queued job.

const database = useTestDatabase();
const queues = createInMemoryJobQueues();
const slug = "wvc-data-101-fa26";
let ops: Actor;
let westValleyAdmin: Actor;
let instructor: Actor;
let hubId = "";

async function staffNotices(kind: string) {
  const db = database().db;
  return db.notification.findMany({
    where: { kind, user: { enrollments: { some: { course: { slug } } } } },
    include: { user: { select: { email: true } } },
    orderBy: { createdAt: "asc" },
  });
}

beforeAll(async () => {
  const db = database().db;
  await seedDemoFederation(db);
  ops = await actorFor(db, "ops@hubfed.example");
  westValleyAdmin = await actorFor(db, "it-admin@westvalley.edu");
  instructor = await actorFor(db, "prof.rivera@westvalley.edu");
  const hub = await db.hub.update({
    where: { slug },
    data: { status: "READY", appliedRevision: 1, specRevision: 1 },
  });
  hubId = hub.id;
});

describe("hub actions", () => {
  it("offers each person the actions the permission table and the hub's status allow", async () => {
    const db = database().db;
    const hub = await db.hub.findUniqueOrThrow({ where: { slug }, include: { course: true } });
    expect(availableHubActions(ops, hub)).toEqual(["suspend", "retire", "restart", "retry"]);
    expect(availableHubActions(westValleyAdmin, hub)).toEqual(["suspend"]);
    expect(availableHubActions(instructor, hub)).toEqual([]);
    // The hub page carries the same list.
    expect((await getHubDetail(db, westValleyAdmin, slug)).actions).toEqual(["suspend"]);
  });

  it("refuses an action without a reason, or by someone the table does not allow, writing nothing", async () => {
    const db = database().db;
    await expect(
      takeHubAction(db, ops, queues, { slug, action: "suspend", reason: "  no " }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", fieldErrors: { reason: [expect.any(String)] } });
    await expect(
      takeHubAction(db, instructor, queues, { slug, action: "suspend", reason: "Exam is over" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      takeHubAction(db, westValleyAdmin, queues, { slug, action: "retire", reason: "Done here" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    // Another institution's admin does not even learn that the hub exists.
    const cascadeAdmin = await db.user.create({
      data: { email: "admin@cascade.edu", username: "cascade-admin", name: "Cascade Admin" },
    });
    const cascade = await db.institution.findUniqueOrThrow({ where: { slug: "cascade" } });
    await db.institutionMembership.create({
      data: { userId: cascadeAdmin.id, institutionId: cascade.id, role: "ADMIN" },
    });
    await expect(
      takeHubAction(db, await actorFor(db, "admin@cascade.edu"), queues, {
        slug,
        action: "suspend",
        reason: "Not my hub at all",
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await db.hub.findUniqueOrThrow({ where: { id: hubId } })).status).toBe("READY");
    expect(await db.auditEvent.count({ where: { subjectId: hubId, action: "hub.suspend" } })).toBe(
      0,
    );
    expect(queues.jobsOf(provisionHubJob)).toEqual([]);
  });

  it("suspends with the reason: audited, told to the staff, and a job that stops the hub", async () => {
    const db = database().db;
    const result = await takeHubAction(db, westValleyAdmin, queues, {
      slug,
      action: "suspend",
      reason: "The course is paused for the strike",
    });
    expect(result).toMatchObject({ action: "suspend", status: "SUSPENDED" });
    expect(queues.jobsOf(provisionHubJob).map((job) => job.data)).toEqual([
      { hubId, trigger: "suspend" },
    ]);
    const hub = await db.hub.findUniqueOrThrow({ where: { id: hubId } });
    expect(hub).toMatchObject({
      status: "SUSPENDED",
      statusReason: "The course is paused for the strike",
    });
    const event = await db.auditEvent.findFirstOrThrow({
      where: { subjectId: hubId, action: "hub.suspend" },
    });
    expect(event).toMatchObject({
      actorId: westValleyAdmin.userId,
      details: { reason: "The course is paused for the strike", status: "READY" },
    });
    const notices = await staffNotices("hub.status-change");
    expect(notices.map((notice) => notice.user.email).sort()).toEqual([
      "prof.rivera@westvalley.edu",
      "ta.chen@westvalley.edu",
    ]);
    expect(notices[0]?.body).toContain(
      "Suspended by your institution's admins: “The course is paused for the strike”",
    );
    expect(notices[0]?.href).toBe(`/courses/${slug}`);
    // Everyone who sees the hub reads why it is suspended.
    expect((await getHubDetail(db, instructor, slug)).suspension).toMatchObject({
      cause: "SuspendedByInstitutionAdmin",
      reason: "The course is paused for the strike",
    });
    // Suspending it again is refused: it already is.
    await expect(
      takeHubAction(db, ops, queues, { slug, action: "suspend", reason: "Again, to be sure" }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("resumes to UPDATING (READY once the runtime has started it), not straight to READY", async () => {
    const db = database().db;
    const result = await takeHubAction(db, westValleyAdmin, queues, {
      slug,
      action: "resume",
      reason: "The strike is over",
    });
    expect(result).toMatchObject({ action: "resume", status: "UPDATING" });
    expect(queues.jobsOf(provisionHubJob).at(-1)?.data).toEqual({ hubId, trigger: "resume" });
    expect((await db.hub.findUniqueOrThrow({ where: { id: hubId } })).status).toBe("UPDATING");
    expect((await getHubDetail(db, ops, slug)).suspension).toBeNull();
  });

  it("keeps an operator's suspension for operators: the institution's admin and a top-up cannot lift it", async () => {
    const db = database().db;
    await db.hub.update({ where: { id: hubId }, data: { status: "READY" } });
    await takeHubAction(db, ops, queues, {
      slug,
      action: "suspend",
      reason: "Crypto mining from a student account",
    });
    await expect(
      takeHubAction(db, westValleyAdmin, queues, {
        slug,
        action: "resume",
        reason: "We sorted it out",
      }),
    ).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringContaining("operators suspended") as string,
    });
    const allocation = await db.allocation.findUniqueOrThrow({ where: { hubId } });
    await topUpHubAllocation(
      db,
      ops,
      {
        allocationId: allocation.id,
        amountCents: 100_00n,
        idempotencyKey: "ops-suspension-top-up",
      },
      createHubBudgetSwitch(queues),
    );
    expect((await db.hub.findUniqueOrThrow({ where: { id: hubId } })).status).toBe("SUSPENDED");
    await takeHubAction(db, ops, queues, { slug, action: "resume", reason: "Account closed" });
    expect((await db.hub.findUniqueOrThrow({ where: { id: hubId } })).status).toBe("UPDATING");
  });

  it("refuses to resume a hub whose SUSPEND-policy allocation is used up: a top-up resumes it", async () => {
    const db = database().db;
    await db.hub.update({ where: { id: hubId }, data: { status: "READY" } });
    const allocation = await db.allocation.findUniqueOrThrow({
      where: { hubId },
      include: { ledgerAccount: true },
    });
    await db.allocation.update({
      where: { id: allocation.id },
      data: { limitPolicy: "SUSPEND", budgetCents: allocation.ledgerAccount.postedDebitsCents },
    });
    const hub = await db.hub.findUniqueOrThrow({ where: { id: hubId } });
    await db.$transaction((tx) =>
      createHubBudgetSwitch(queues).suspendForBudget(tx, hub, {
        at: new Date(),
        cause: "AllocationExhausted",
      }),
    );
    await expect(
      takeHubAction(db, ops, queues, { slug, action: "resume", reason: "Please come back" }),
    ).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: expect.stringContaining("top it up") as string,
    });
    await topUpHubAllocation(
      db,
      ops,
      { allocationId: allocation.id, amountCents: 50_00n, idempotencyKey: "budget-top-up-1" },
      createHubBudgetSwitch(queues),
    );
    expect((await db.hub.findUniqueOrThrow({ where: { id: hubId } })).status).toBe("UPDATING");
    expect(queues.jobsOf(provisionHubJob).at(-1)?.data).toEqual({ hubId, trigger: "resume" });
  });

  it("restarts and retries with a job each, and tells the staff of a restart", async () => {
    const db = database().db;
    await db.hub.update({ where: { id: hubId }, data: { status: "READY" } });
    await takeHubAction(db, ops, queues, { slug, action: "restart", reason: "Hub is sluggish" });
    await takeHubAction(db, ops, queues, { slug, action: "retry", reason: "Check the config" });
    expect(
      queues
        .jobsOf(provisionHubJob)
        .slice(-2)
        .map((job) => job.data.trigger),
    ).toEqual(["restart", "retry"]);
    expect((await staffNotices("hub.restart")).map((notice) => notice.body)).toEqual([
      expect.stringContaining("“Hub is sluggish”"),
      expect.stringContaining("“Hub is sluggish”"),
    ]);
    expect(
      await db.auditEvent.count({
        where: { subjectId: hubId, action: { in: ["hub.restart", "hub.retry"] } },
      }),
    ).toBe(2);
  });

  it("retires: DECOMMISSIONING with the reason, and the decommission job queued once", async () => {
    const db = database().db;
    const result = await takeHubAction(db, ops, queues, {
      slug,
      action: "retire",
      reason: "The course was cancelled",
    });
    expect(result).toMatchObject({ status: "DECOMMISSIONING" });
    expect(queues.jobsOf(decommissionHubJob).map((job) => job.data)).toEqual([{ hubId }]);
    expect(
      availableHubActions(
        ops,
        await db.hub.findUniqueOrThrow({
          where: { id: hubId },
          include: { course: true },
        }),
      ),
    ).toEqual([]);
    await expect(
      takeHubAction(db, ops, queues, { slug, action: "restart", reason: "Too late for that" }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
  });
});
