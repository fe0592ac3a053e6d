import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "@hubfed/db/testing";
import { simulateUsageDay } from "../demo/simulate-usage";
import { actorFor, seedDemoFederation } from "../testing/demo-federation";
import { describeCredits } from "../credits/overview";
import { createInMemoryJobQueues, provisionHubJob } from "@hubfed/jobs";
import { postDailyUsage } from "./metering";
import { topUpHubAllocation } from "../credits/hub-allocation-top-up";
import { findLedgerMismatches } from "../credits/balance-check";
import { createHubBudgetSwitch } from "../hubs/budget-switch";

// A month of metered usage for the demo fleet: DATA 101 runs (READY) with a
// small SUSPEND-policy allocation. Every day is sampled, priced and posted;
// the alerts, the suspension at 100 % and the resumption after a top-up are
// checked along the way.

const database = useTestDatabase();
const queues = createInMemoryJobQueues();
const hubs = createHubBudgetSwitch(queues);
const dayMs = 86_400_000;
// The demo seed already posted the 30 days before today; the simulation carries on from today.
const firstDay = new Date(Math.floor(Date.now() / dayMs) * dayMs);

let hubId = "";
let allocationId = "";

beforeAll(async () => {
  const db = database().db;
  await seedDemoFederation(db);
  const hub = await db.hub.update({
    where: { slug: "wvc-data-101-fa26" },
    // Running, as reconcile leaves a hub: its spec's revision applied.
    data: { status: "READY", statusReason: null, appliedRevision: 1, specRevision: 1 },
  });
  hubId = hub.id;
  // A small SUSPEND-policy budget: what the seeded month spent plus $150.
  const seeded = await db.allocation.findUniqueOrThrow({
    where: { hubId },
    include: { ledgerAccount: true },
  });
  const allocation = await db.allocation.update({
    where: { hubId },
    data: {
      budgetCents: seeded.ledgerAccount.postedDebitsCents + 150_00n,
      limitPolicy: "SUSPEND",
      suspendGraceHours: 24,
    },
  });
  allocationId = allocation.id;
});

describe("a simulated month of usage", () => {
  it("burns daily, alerts at 75/90/100 % once each, suspends at 100 % after the grace period, resumes after a top-up", async () => {
    const db = database().db;
    const ops = await actorFor(db, "ops@hubfed.example");
    const timeline: Array<{ day: string; status: string; alerts: number[] }> = [];
    let hasToppedUp = false;
    for (let offset = 0; offset < 30; offset += 1) {
      const day = new Date(firstDay.getTime() + offset * dayMs);
      await simulateUsageDay(db, day);
      const endOfDay = new Date(day.getTime() + dayMs + 3_600_000);
      const result = await postDailyUsage(db, { hubs, day, now: endOfDay });
      // Posting a day twice changes nothing.
      const again = await postDailyUsage(db, { hubs, day, now: endOfDay });
      expect(again.hubDays).toEqual([]);
      expect(again.alerts).toEqual([]);
      const hub = await db.hub.findUniqueOrThrow({ where: { id: hubId } });
      timeline.push({
        day: day.toISOString().slice(0, 10),
        status: hub.status,
        alerts: result.alerts.map((alert) => alert.thresholdPercent),
      });
      if (hub.status === "SUSPENDED" && !hasToppedUp) {
        await topUpHubAllocation(
          db,
          ops,
          {
            allocationId,
            amountCents: 400_00n,
            idempotencyKey: "simulated-month-top-up",
          },
          hubs,
        );
        hasToppedUp = true;
        // Resumed: the runtime is asked to start it again, READY once it answers.
        expect((await db.hub.findUniqueOrThrow({ where: { id: hubId } })).status).toBe("UPDATING");
        expect(queues.jobsOf(provisionHubJob).at(-1)?.data).toEqual({ hubId, trigger: "resume" });
        // What that reconcile does once the hub answers (the runtimes' own tests run it for real).
        await db.hub.update({ where: { id: hubId }, data: { status: "READY" } });
        expect(
          (
            await db.hubCondition.findUniqueOrThrow({
              where: { hubId_type: { hubId, type: "WithinBudget" } },
            })
          ).status,
        ).toBe("TRUE");
      }
    }

    const fired = timeline.flatMap((entry) => entry.alerts);
    expect(fired.filter((threshold) => threshold === 75)).toHaveLength(1);
    expect(fired.filter((threshold) => threshold === 90)).toHaveLength(1);
    expect(fired.filter((threshold) => threshold === 100).length).toBeGreaterThanOrEqual(1);
    const ninetyNotices = await db.notification.findMany({
      where: { kind: "allocation.alert", title: { contains: "90%" } },
    });
    // ops, West Valley's admin and DATA 101's instructor: once each.
    expect(ninetyNotices.map((notice) => notice.userId).sort()).toEqual(
      [...new Set(ninetyNotices.map((notice) => notice.userId))].sort(),
    );
    expect(ninetyNotices).toHaveLength(3);
    // Each is told with a page they may open: the instructor their course's, which shows its spend.
    const instructorId = (await actorFor(db, "prof.rivera@westvalley.edu")).userId;
    expect(
      ninetyNotices.map((notice) => [notice.userId === instructorId, notice.href]).sort(),
    ).toEqual([
      [false, "/ops/credits"],
      [false, "/ops/credits"],
      [true, "/courses/wvc-data-101-fa26"],
    ]);

    const suspendedOn = timeline.findIndex((entry) => entry.status === "SUSPENDED");
    const exhaustedOn = timeline.findIndex((entry) => entry.alerts.includes(100));
    expect(exhaustedOn).toBeGreaterThanOrEqual(0);
    // The grace period is 24 h: the hub runs on the day 100 % is crossed and is suspended at the next evaluation.
    expect(suspendedOn).toBe(exhaustedOn + 1);
    expect(hasToppedUp).toBe(true);
    expect(
      await db.auditEvent.count({
        where: {
          subjectId: hubId,
          action: "hub.status-change",
          details: { path: ["to"], equals: "SUSPENDED" },
        },
      }),
    ).toBeGreaterThanOrEqual(1);

    const overview = await describeCredits(db, ops, {
      now: new Date(firstDay.getTime() + 30 * dayMs),
    });
    const data101 = overview.allocations.find(
      (allocation) => allocation.hubSlug === "wvc-data-101-fa26",
    );
    expect(data101?.series.filter((point) => point.forecastCents === undefined)).toHaveLength(
      await db.dailyUsageCost.count({ where: { hubId } }),
    );
    // Nothing is forecast past the course's end; before it, the forecast runs up to it.
    const courseEnd = (await db.course.findUniqueOrThrow({ where: { slug: "wvc-data-101-fa26" } }))
      .endDate;
    expect(data101?.forecastUntil).toEqual(courseEnd);
    expect(
      data101?.series.some(
        (point) => point.forecastCents !== undefined && point.day.getTime() > courseEnd.getTime(),
      ),
    ).toBe(false);
    const beforeEnd = await describeCredits(db, ops, {
      now: new Date(Math.min(firstDay.getTime() + 5 * dayMs, courseEnd.getTime() - 3 * dayMs)),
    });
    const forecastBeforeEnd = beforeEnd.allocations
      .find((allocation) => allocation.hubSlug === "wvc-data-101-fa26")
      ?.series.filter((point) => point.forecastCents !== undefined);
    expect(forecastBeforeEnd?.length).toBeGreaterThan(0);
    expect(forecastBeforeEnd?.at(-1)?.day.getTime()).toBeLessThanOrEqual(courseEnd.getTime());
    expect(data101?.costPerStudentMonthCents).toBeGreaterThan(0n);
    const awsPool = overview.pools.find((pool) => pool.slug === "aws-cloud-credits-2026");
    expect(awsPool?.dailyBurnCents).toBeGreaterThan(0n);
    expect(awsPool?.series.length).toBeGreaterThan(30);

    // Institution admins see their own institution's allocations, and no pools.
    const admin = await actorFor(db, "it-admin@westvalley.edu");
    const adminView = await describeCredits(db, admin);
    expect(adminView.pools).toEqual([]);
    expect(adminView.allocations.map((allocation) => allocation.institution)).toEqual([
      "West Valley College",
    ]);
    const student = await actorFor(db, "student@westvalley.edu");
    await expect(describeCredits(db, student)).rejects.toMatchObject({ code: "FORBIDDEN" });

    expect(await findLedgerMismatches(db)).toEqual([]);
  }, 180_000);
});
