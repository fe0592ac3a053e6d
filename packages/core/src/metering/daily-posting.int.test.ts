import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@hubfed/auth/permissions";
import { useTestDatabase } from "@hubfed/db/testing";
import { createInMemoryJobQueues, provisionHubJob } from "@hubfed/jobs";
import { hubSpecSchema } from "@hubfed/hub-spec";
import { allocateToInstitution } from "../credits/allocations";
import { findLedgerMismatches } from "../credits/balance-check";
import { topUpHubAllocation } from "../credits/hub-allocation-top-up";
import { createHubBudgetSwitch } from "../hubs/budget-switch";
import { createHubWithHold } from "../hubs/create-hub";
import { actorFor, seedDemoFederation } from "../testing/demo-federation";
import { postDailyUsage, runDailyUsagePosting } from "./metering";

// Billing that no hub can block (issue 17): fifty hubs, one of them short of funds. Every
// hub-day is posted on its own and exactly once; the short hub follows its allocation's policy;
// a rerun posts nothing twice; days a stopped worker missed are posted by the next run; a day
// that fails for another reason is recorded, told to ops, makes the job fail visibly, and is
// posted once fixed.

const database = useTestDatabase();
const queues = createInMemoryJobQueues();
const hubs = createHubBudgetSwitch(queues);
const dayMs = 86_400_000;
// Consecutive days inside the catch-up window, before the demo's month of usage history (whose
// days the seed has already gone through). Each run is told its "now".
const today = new Date(Math.floor(Date.now() / dayMs) * dayMs);
const [day0, day1, day2, day3, day4] = [40, 39, 38, 37, 36].map(
  (back) => new Date(today.getTime() - back * dayMs),
) as [Date, Date, Date, Date, Date];
const hourAfter = (day: Date) => new Date(day.getTime() + dayMs + 3_600_000);

let ops: Actor;
const hubIds: string[] = [];
let shortHubId = "";
let shortAllocationId = "";
let institutionAllocationId = "";

/** A day of samples: students' servers all day (or none, a suspended hub) and their homes. */
async function sampleDay(hubId: string, day: Date, { servers }: { servers: number }) {
  const db = database().db;
  await db.usageSample.createMany({
    data: Array.from({ length: 96 }, (_, index) => ({
      hubId,
      sampledAt: new Date(day.getTime() + index * 15 * 60_000),
      activeUsers: servers,
      runningServers: servers,
      requestedMemoryMib: servers * 2048,
      requestedMilliCpu: servers * 500,
      storageMib: 50n * 1024n,
      source: "test",
    })),
  });
}

async function postedDays(hubId: string) {
  const db = database().db;
  return (await db.dailyUsageCost.findMany({ where: { hubId }, orderBy: { day: "asc" } })).map(
    (cost) => cost.day.toISOString().slice(0, 10),
  );
}

const iso = (day: Date) => day.toISOString().slice(0, 10);

beforeAll(async () => {
  const db = database().db;
  await seedDemoFederation(db);
  ops = await actorFor(db, "ops@hubfed.example");
  const pool = await db.creditPool.findUniqueOrThrow({ where: { slug: "aws-cloud-credits-2026" } });
  const cluster = await db.cluster.findFirstOrThrow({ where: { slug: "aws-eks-1" } });
  const institution = await db.institution.findUniqueOrThrow({ where: { slug: "west-valley" } });
  const spec = hubSpecSchema.parse(
    (await db.hub.findFirstOrThrow({ where: { slug: "wvc-data-101-fa26" } })).spec,
  );
  // The short hub draws on an institution allocation of one dollar, all of it held for it.
  const institutionAllocation = await allocateToInstitution(db, ops, {
    poolId: pool.id,
    institutionId: institution.id,
    amountCents: 100n,
    idempotencyKey: "short-institution-allocation",
  });
  institutionAllocationId = institutionAllocation.id;
  for (let index = 0; index < 50; index += 1) {
    const isShort = index === 17;
    const course = await db.course.create({
      data: {
        slug: `burn-${String(index).padStart(2, "0")}`,
        institutionId: institution.id,
        code: `BURN ${index}`,
        title: "Burn test",
        term: "Fall 2026",
        startDate: new Date(today.getTime() - 60 * dayMs),
        endDate: new Date(today.getTime() + 60 * dayMs),
        timezone: "UTC",
        expectedEnrollment: 20,
        expectedConcurrentUsers: 10,
      },
    });
    const { hub } = await db.$transaction((tx) =>
      createHubWithHold(tx, {
        course,
        clusterId: cluster.id,
        pool,
        institutionAllocation: isShort ? institutionAllocation : null,
        spec,
        holdCents: isShort ? 100n : 200_00n,
        requestId: `burn-test-${index}`,
      }),
    );
    await db.hub.update({ where: { id: hub.id }, data: { status: "READY", appliedRevision: 1 } });
    hubIds.push(hub.id);
    if (isShort) {
      shortHubId = hub.id;
      shortAllocationId = (
        await db.allocation.update({ where: { hubId: hub.id }, data: { limitPolicy: "SUSPEND" } })
      ).id;
    }
    await sampleDay(hub.id, day0, { servers: 4 });
  }
}, 120_000);

describe("the daily posting, hub by hub", () => {
  it("posts the other 49 when one hub is short of funds; the short one follows its SUSPEND policy", async () => {
    const db = database().db;
    const report = await postDailyUsage(db, { hubs, now: hourAfter(day0) });
    const ofDay0 = report.hubDays.filter((entry) => entry.day.getTime() === day0.getTime());
    expect(ofDay0).toHaveLength(50);
    expect(ofDay0.filter((entry) => entry.result.outcome === "posted")).toHaveLength(49);
    const short = ofDay0.find((entry) => entry.hubSlug === "burn-17");
    expect(short?.result).toMatchObject({
      outcome: "unfunded",
      policy: "SUSPEND",
      isSuspended: true,
    });
    // The day really costs more than the short hub had: this is the case being tested.
    expect(short?.result.costCents).toBeGreaterThan(100n);

    for (const hubId of hubIds.filter((id) => id !== shortHubId))
      expect(await postedDays(hubId)).toEqual([iso(day0)]);
    expect(await postedDays(shortHubId)).toEqual([]);
    // Recorded as owed, suspended, and the runtime asked to stop it.
    expect(
      await db.usagePostingProblem.findUniqueOrThrow({
        where: { hubId_day: { hubId: shortHubId, day: day0 } },
      }),
    ).toMatchObject({ kind: "UNFUNDED", attempts: 1, resolvedAt: null });
    expect((await db.hub.findUniqueOrThrow({ where: { id: shortHubId } })).status).toBe(
      "SUSPENDED",
    );
    expect(queues.jobsOf(provisionHubJob).map((job) => job.data)).toEqual([
      { hubId: shortHubId, trigger: "suspend" },
    ]);
    // Ops, the institution's admin and the course's instructors (none here) are told, once.
    const notices = await db.notification.findMany({ where: { kind: "usage.unfunded" } });
    expect(notices.length).toBeGreaterThan(0);
    expect(notices.every((notice) => notice.href === "/ops/credits")).toBe(true);
    expect(await findLedgerMismatches(db)).toEqual([]);
  }, 120_000);

  it("posts nothing twice when run again", async () => {
    const db = database().db;
    const [costs, transfers] = await Promise.all([
      db.dailyUsageCost.count(),
      db.ledgerTransfer.count(),
    ]);
    const again = await postDailyUsage(db, { hubs, now: hourAfter(day0) });
    // Only the short hub's owed day is tried again, and it is still unfunded.
    expect(again.hubDays.map((entry) => [entry.hubSlug, entry.result.outcome])).toEqual([
      ["burn-17", "unfunded"],
    ]);
    expect(await db.dailyUsageCost.count()).toBe(costs);
    expect(await db.ledgerTransfer.count()).toBe(transfers);
    expect(
      (
        await db.usagePostingProblem.findUniqueOrThrow({
          where: { hubId_day: { hubId: shortHubId, day: day0 } },
        })
      ).attempts,
    ).toBe(2);
    // Told once, not at every attempt.
    const notices = await db.notification.findMany({ where: { kind: "usage.unfunded" } });
    expect(new Set(notices.map((notice) => notice.userId)).size).toBe(notices.length);
  }, 120_000);

  it("posts the days a stopped worker missed at the next run, each exactly once", async () => {
    const db = database().db;
    for (const day of [day1, day2])
      for (const hubId of hubIds)
        // The suspended hub has no server, only its students' homes: still billed.
        await sampleDay(hubId, day, { servers: hubId === shortHubId ? 0 : 4 });
    // No run on the morning after day 1: the worker was stopped. The next one is after day 2.
    const report = await postDailyUsage(db, { hubs, now: hourAfter(day2) });
    expect(report.days.map(iso)).toEqual(expect.arrayContaining([iso(day1), iso(day2)]));
    for (const hubId of hubIds.filter((id) => id !== shortHubId))
      expect(await postedDays(hubId)).toEqual([iso(day0), iso(day1), iso(day2)]);
    // The suspended hub's days are priced on its storage alone: small enough for what was left
    // of its hold, so they are posted; the first, larger day is still owed.
    const storageDays = await db.dailyUsageCost.findMany({
      where: { hubId: shortHubId },
      orderBy: { day: "asc" },
    });
    expect(storageDays.map((cost) => [iso(cost.day), cost.nodeMilliHours])).toEqual([
      [iso(day1), 0],
      [iso(day2), 0],
    ]);
    expect(storageDays.every((cost) => cost.storageMibDays > 0n && cost.costCents > 0n)).toBe(true);
    const owed = await db.usagePostingProblem.findMany({
      where: { hubId: shortHubId, resolvedAt: null },
    });
    expect(owed.map((problem) => iso(problem.day))).toEqual([iso(day0)]);
    // Running again after a catch-up posts nothing more.
    const costs = await db.dailyUsageCost.count();
    await postDailyUsage(db, { hubs, now: hourAfter(day2) });
    expect(await db.dailyUsageCost.count()).toBe(costs);
  }, 180_000);

  it("bills the owed days once there is credit, and the top-up resumes the hub", async () => {
    const db = database().db;
    const owedCents = (
      await db.usagePostingProblem.aggregate({
        where: { hubId: shortHubId, resolvedAt: null },
        _sum: { costCents: true },
      })
    )._sum.costCents!;
    const pool = await db.creditPool.findUniqueOrThrow({
      where: { slug: "aws-cloud-credits-2026" },
    });
    const institution = await db.institution.findUniqueOrThrow({ where: { slug: "west-valley" } });
    // Ops give the institution more credit and top the hub up by what it owes and a margin.
    await allocateToInstitution(db, ops, {
      poolId: pool.id,
      institutionId: institution.id,
      amountCents: owedCents + 100_00n,
      idempotencyKey: "short-institution-more-credit",
    });
    // Too little first: the days it owes count, so the hub stays suspended.
    await topUpHubAllocation(
      db,
      ops,
      { allocationId: shortAllocationId, amountCents: 1n, idempotencyKey: "too-small-top-up" },
      hubs,
    );
    expect((await db.hub.findUniqueOrThrow({ where: { id: shortHubId } })).status).toBe(
      "SUSPENDED",
    );
    await topUpHubAllocation(
      db,
      ops,
      {
        allocationId: shortAllocationId,
        amountCents: owedCents + 50_00n,
        idempotencyKey: "owed-top-up",
      },
      hubs,
    );
    expect((await db.hub.findUniqueOrThrow({ where: { id: shortHubId } })).status).toBe("UPDATING");
    expect(queues.jobsOf(provisionHubJob).at(-1)?.data).toEqual({
      hubId: shortHubId,
      trigger: "resume",
    });
    const report = await postDailyUsage(db, { hubs, now: hourAfter(day2) });
    expect(report.hubDays.map((entry) => [iso(entry.day), entry.result.outcome])).toEqual([
      [iso(day0), "posted"],
    ]);
    expect(await postedDays(shortHubId)).toEqual([iso(day0), iso(day1), iso(day2)]);
    expect(
      await db.usagePostingProblem.count({ where: { hubId: shortHubId, resolvedAt: null } }),
    ).toBe(0);
    const allocation = await db.allocation.findUniqueOrThrow({
      where: { id: shortAllocationId },
      include: { ledgerAccount: true },
    });
    const billed = await db.dailyUsageCost.aggregate({
      where: { hubId: shortHubId },
      _sum: { costCents: true },
    });
    expect(allocation.ledgerAccount.postedDebitsCents).toBe(billed._sum.costCents);
    // Once more: nothing.
    expect((await postDailyUsage(db, { hubs, now: hourAfter(day2) })).hubDays).toEqual([]);
    expect(await findLedgerMismatches(db)).toEqual([]);
    expect(institutionAllocationId).not.toBe("");
  }, 120_000);

  it("keeps a NOTIFY hub running when its day cannot be paid, and tells people", async () => {
    const db = database().db;
    // A hub of another institution whose allocation (NOTIFY, the default) draws on one dollar.
    const pool = await db.creditPool.findUniqueOrThrow({
      where: { slug: "aws-cloud-credits-2026" },
    });
    const cascade = await db.institution.findUniqueOrThrow({ where: { slug: "cascade" } });
    const cluster = await db.cluster.findFirstOrThrow({ where: { slug: "aws-eks-1" } });
    const institutionAllocation = await allocateToInstitution(db, ops, {
      poolId: pool.id,
      institutionId: cascade.id,
      amountCents: 100n,
      idempotencyKey: "notify-institution-allocation",
    });
    const course = await db.course.create({
      data: {
        slug: "burn-notify",
        institutionId: cascade.id,
        code: "BURN N",
        title: "Burn test, notify",
        term: "Fall 2026",
        startDate: new Date(today.getTime() - 60 * dayMs),
        endDate: new Date(today.getTime() + 60 * dayMs),
        timezone: "UTC",
        expectedEnrollment: 20,
        expectedConcurrentUsers: 10,
      },
    });
    const spec = hubSpecSchema.parse(
      (await db.hub.findUniqueOrThrow({ where: { id: hubIds[0]! } })).spec,
    );
    const { hub } = await db.$transaction((tx) =>
      createHubWithHold(tx, {
        course,
        clusterId: cluster.id,
        pool,
        institutionAllocation,
        spec,
        holdCents: 100n,
        requestId: "burn-test-notify",
      }),
    );
    await db.hub.update({ where: { id: hub.id }, data: { status: "READY", appliedRevision: 1 } });
    await sampleDay(hub.id, day3, { servers: 4 });
    const report = await postDailyUsage(db, { hubs, day: day3, now: hourAfter(day3) });
    expect(report.hubDays.find((entry) => entry.hubSlug === "burn-notify")?.result).toMatchObject({
      outcome: "unfunded",
      policy: "NOTIFY",
      isSuspended: false,
    });
    expect((await db.hub.findUniqueOrThrow({ where: { id: hub.id } })).status).toBe("READY");
    const admin = await db.user.findUniqueOrThrow({ where: { email: "ops@hubfed.example" } });
    expect(
      await db.notification.findFirst({
        where: { kind: "usage.unfunded", userId: admin.id, title: { startsWith: "burn-notify" } },
      }),
    ).toMatchObject({
      href: "/ops/credits",
      body: expect.stringContaining("keeps running") as string,
    });
  }, 120_000);

  it("records a hub-day that fails for another reason, tells ops, fails the job visibly, and posts it once fixed", async () => {
    const db = database().db;
    const hubId = hubIds[5]!;
    await sampleDay(hubId, day4, { servers: 2 });
    await sampleDay(hubIds[6]!, day4, { servers: 2 });
    // A broken record: the hub's allocation account in another currency than its pool.
    const allocation = await db.allocation.findUniqueOrThrow({ where: { hubId } });
    await db.ledgerAccount.update({
      where: { id: allocation.ledgerAccountId },
      data: { currency: "EUR" },
    });
    await expect(
      runDailyUsagePosting(db, { hubs, day: day4, now: hourAfter(day4) }),
    ).rejects.toThrow(/burn-05 .*Cannot transfer between/);
    // The other hub of that day was posted all the same.
    expect(await postedDays(hubIds[6]!)).toContain(iso(day4));
    expect(
      await db.usagePostingProblem.findUniqueOrThrow({
        where: { hubId_day: { hubId, day: day4 } },
      }),
    ).toMatchObject({ kind: "FAILED", resolvedAt: null });
    const operators = await db.user.count({ where: { isOperator: true } });
    expect(await db.notification.count({ where: { kind: "usage.posting-failed" } })).toBe(
      operators,
    );
    // Fixed: the next run posts it, once.
    await db.ledgerAccount.update({
      where: { id: allocation.ledgerAccountId },
      data: { currency: "USD" },
    });
    const report = await runDailyUsagePosting(db, { hubs, now: hourAfter(day4) });
    expect(
      report.hubDays.filter((entry) => entry.hubSlug === "burn-05").map((entry) => entry.result),
    ).toEqual([expect.objectContaining({ outcome: "posted" })]);
    expect(await postedDays(hubId)).toContain(iso(day4));
    expect(
      (
        await db.usagePostingProblem.findUniqueOrThrow({
          where: { hubId_day: { hubId, day: day4 } },
        })
      ).resolvedAt,
    ).not.toBeNull();
    expect(await findLedgerMismatches(db)).toEqual([]);
  }, 120_000);
});
