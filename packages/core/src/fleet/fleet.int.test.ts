import { describe, expect, it } from "vitest";
import { useTestDatabase } from "@hubfed/db/testing";
import type { DatabaseClient } from "@hubfed/db";
import { actorFor, seedDemoFederation } from "../testing/demo-federation";
import { fleetCsv, listFleet } from "./fleet";

const database = useTestDatabase();

const wvcHub = "wvc-data-101-fa26";
const cccHub = "ccc-cs-120-fa26";

/** `count` more hubs for the demo's Cascade course, named <prefix>-NN (the database lives for the whole file). */
async function addCascadeHubs(db: DatabaseClient, prefix: string, count: number) {
  const template = await db.hub.findUniqueOrThrow({ where: { slug: cccHub } });
  await db.hub.createMany({
    data: Array.from({ length: count }, (_, index) => ({
      slug: `${prefix}-${String(index).padStart(2, "0")}`,
      courseId: template.courseId,
      clusterId: template.clusterId,
      status: "READY" as const,
      spec: template.spec ?? {},
    })),
  });
}

describe("the fleet view", () => {
  it("shows ops every hub, institution admins their institution's, and refuses everyone else", async () => {
    const db = database().db;
    await seedDemoFederation(db);
    const all = await listFleet(db, await actorFor(db, "ops@hubfed.example"), {});
    expect(all.items.map((hub) => hub.slug).sort()).toEqual(
      (await db.hub.findMany({ select: { slug: true } })).map((hub) => hub.slug).sort(),
    );
    const westValley = await listFleet(db, await actorFor(db, "it-admin@westvalley.edu"), {});
    expect(westValley.items.map((hub) => hub.slug)).toEqual([wvcHub]);
    // An institution filter cannot widen an admin's scope: another institution is refused.
    const cascade = await db.institution.findUniqueOrThrow({ where: { slug: "cascade" } });
    await expect(
      listFleet(db, await actorFor(db, "it-admin@westvalley.edu"), { institutionId: cascade.id }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    for (const email of ["prof.rivera@westvalley.edu", "student@westvalley.edu"])
      await expect(listFleet(db, await actorFor(db, email), {})).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
  });

  it("reports this month's spend from the posted days, the budget used and a runway", async () => {
    const db = database().db;
    await seedDemoFederation(db);
    const latest = await db.dailyUsageCost.findFirstOrThrow({
      where: { hub: { slug: wvcHub } },
      orderBy: { day: "desc" },
    });
    // "Now" is the day after the last posted day, so the month is the one the demo burned in.
    const now = new Date(latest.day.getTime() + 86_400_000 + 3_600_000);
    const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const spent = await db.dailyUsageCost.aggregate({
      where: { hub: { slug: wvcHub }, day: { gte: monthStart } },
      _sum: { costCents: true },
    });
    const page = await listFleet(
      db,
      await actorFor(db, "ops@hubfed.example"),
      { search: "DATA 101" },
      { now },
    );
    const hub = page.items[0]!;
    expect(page.total).toBe(1);
    expect(hub.slug).toBe(wvcHub);
    expect(hub.spentThisMonthCents).toBe(spent._sum.costCents ?? 0n);
    const allocation = await db.allocation.findUniqueOrThrow({
      where: { hubId: (await db.hub.findUniqueOrThrow({ where: { slug: wvcHub } })).id },
      include: { ledgerAccount: true },
    });
    expect(hub.budgetCents).toBe(allocation.budgetCents);
    expect(hub.burnedCents).toBe(allocation.ledgerAccount.postedDebitsCents);
    expect(hub.budgetUsedPercent).toBe(
      Number((allocation.ledgerAccount.postedDebitsCents * 100n) / allocation.budgetCents),
    );
    expect(hub.currency).toBe("USD");

    // A budget one cent above the burn runs out within the week at the demo's burn.
    await db.allocation.update({
      where: { id: allocation.id },
      data: { budgetCents: allocation.ledgerAccount.postedDebitsCents + 1n },
    });
    const tight = (
      await listFleet(db, await actorFor(db, "ops@hubfed.example"), { search: wvcHub }, { now })
    ).items[0]!;
    expect(tight.runwayDays).not.toBeNull();
    expect(tight.runwayDays!).toBeLessThanOrEqual(7);
    expect(tight.budgetUsedPercent).toBe(99);
  });

  it("shows active users only from a recent sample, and a false condition as needing attention", async () => {
    const db = database().db;
    await seedDemoFederation(db);
    const now = new Date("2026-11-04T18:00:00Z");
    const hub = await db.hub.update({ where: { slug: cccHub }, data: { status: "READY" } });
    await db.hubCondition.deleteMany({ where: { hubId: hub.id } });
    await db.usageSample.deleteMany({ where: { hubId: hub.id } });
    const ops = await actorFor(db, "ops@hubfed.example");
    const row = async () =>
      (await listFleet(db, ops, { search: cccHub }, { now })).items.find(
        (item) => item.slug === cccHub,
      )!;
    expect(await row()).toMatchObject({ activeUsers: null, health: "healthy" });

    const sample = {
      hubId: hub.id,
      runningServers: 3,
      requestedMemoryMib: 3072,
      requestedMilliCpu: 1500,
      storageMib: 100n,
      source: "hub-api",
    };
    await db.usageSample.create({
      data: { ...sample, sampledAt: new Date(now.getTime() - 2 * 3_600_000), activeUsers: 9 },
    });
    expect((await row()).activeUsers).toBeNull();
    await db.usageSample.create({
      data: { ...sample, sampledAt: new Date(now.getTime() - 5 * 60_000), activeUsers: 4 },
    });
    expect((await row()).activeUsers).toBe(4);

    await db.hubCondition.create({
      data: { hubId: hub.id, type: "Ready", status: "FALSE", reason: "HubDown" },
    });
    expect(await row()).toMatchObject({ health: "attention", failingConditions: ["Ready"] });
    const attention = await listFleet(db, ops, { health: "attention" }, { now });
    expect(attention.items.map((item) => item.slug)).toContain(cccHub);
    const healthy = await listFleet(db, ops, { health: "healthy" }, { now });
    expect(healthy.items.map((item) => item.slug)).not.toContain(cccHub);
  });

  it("pages in the database: every hub exactly once across pages, with the total", async () => {
    const db = database().db;
    await seedDemoFederation(db);
    await addCascadeHubs(db, "paging", 23);
    const ops = await actorFor(db, "ops@hubfed.example");
    const hubCount = await db.hub.count();
    const seen: string[] = [];
    const first = await listFleet(db, ops, { pageSize: 10, sort: "course" });
    expect(first.total).toBe(hubCount);
    expect(first.pageCount).toBe(Math.ceil(hubCount / 10));
    for (let page = 1; page <= first.pageCount; page += 1) {
      const result = await listFleet(db, ops, { pageSize: 10, page, sort: "course" });
      seen.push(...result.items.map((item) => item.slug));
    }
    expect(seen).toHaveLength(hubCount);
    expect(new Set(seen).size).toBe(hubCount);
    // Past the end: no rows, the total still known.
    const beyond = await listFleet(db, ops, { pageSize: 10, page: 99 });
    expect(beyond).toMatchObject({ items: [], total: hubCount });
  });

  it("sorts by the chosen column in either direction, and filters by status", async () => {
    const db = database().db;
    await seedDemoFederation(db);
    await addCascadeHubs(db, "sorting", 3);
    await db.hub.update({ where: { slug: "sorting-01" }, data: { status: "SUSPENDED" } });
    const ops = await actorFor(db, "ops@hubfed.example");
    const reconciled = new Date("2026-11-01T00:00:00Z");
    await db.hub.update({
      where: { slug: "sorting-02" },
      data: { lastReconciledAt: reconciled },
    });
    const newestFirst = await listFleet(db, ops, { sort: "lastReconciled", direction: "desc" });
    const times = newestFirst.items
      .map((item) => item.lastReconciledAt?.getTime())
      .filter((time): time is number => time !== undefined);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    // Never reconciled sorts last in both directions.
    expect(newestFirst.items.at(-1)?.lastReconciledAt ?? null).toBeNull();

    const byCourseDesc = await listFleet(db, ops, { sort: "course", direction: "desc" });
    const courses = byCourseDesc.items.map((item) => item.course);
    expect(courses).toEqual([...courses].sort().reverse());

    const suspended = await listFleet(db, ops, { status: "SUSPENDED" });
    expect(suspended.items.map((item) => item.slug)).toEqual(["sorting-01"]);
    expect(suspended.items[0]?.health).toBe("stopped");
  });

  it("treats search text as text, not as a pattern", async () => {
    const db = database().db;
    await seedDemoFederation(db);
    const ops = await actorFor(db, "ops@hubfed.example");
    expect((await listFleet(db, ops, { search: "%" })).total).toBe(0);
    expect((await listFleet(db, ops, { search: "_" })).total).toBe(0);
    expect((await listFleet(db, ops, { search: "cs-120" })).items.map((hub) => hub.slug)).toEqual([
      cccHub,
    ]);
  });

  it("refuses malformed queries field by field", async () => {
    const db = database().db;
    await seedDemoFederation(db);
    const ops = await actorFor(db, "ops@hubfed.example");
    await expect(listFleet(db, ops, { pageSize: 10_000 })).rejects.toThrow();
    await expect(listFleet(db, ops, { sort: "password" as never })).rejects.toThrow();
    await expect(listFleet(db, ops, { search: "x".repeat(500) })).rejects.toThrow();
  });

  it("exports every matching hub as CSV, with numbers as numbers", async () => {
    const db = database().db;
    await seedDemoFederation(db);
    await addCascadeHubs(db, "export", 30);
    const { csv, fileName } = await fleetCsv(
      db,
      await actorFor(db, "ops@hubfed.example"),
      { pageSize: 5 },
      { now: new Date("2026-11-04T18:00:00Z") },
    );
    const lines = csv.trim().split("\n");
    expect(fileName).toBe("hubfed-fleet-2026-11-04.csv");
    expect(lines[0]).toMatch(/^hub,status,health,course,institution,region,cluster,active_users/);
    // Not one page: every hub.
    expect(lines).toHaveLength((await db.hub.count()) + 1);
    expect(lines.find((line) => line.startsWith(`${wvcHub},`))).toMatch(/,USD,\d+\.\d{2},/);
  });
});
