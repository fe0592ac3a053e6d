import { beforeAll, describe, expect, it } from "vitest";
import { createHub, useDemoFederation } from "../enrollment/test-fixtures";
import { loadClusterSupply, loadHubDemand } from "./demand";
import { planCapacity } from "./plan";
import { plannedSeatsAt } from "./timeline";

const { database } = useDemoFederation();
const courseSlug = "wvc-data-101-fa26";
const from = new Date("2026-10-12T00:00:00Z");
const to = new Date("2026-10-19T00:00:00Z");

beforeAll(async () => {
  const db = database().db;
  const course = await db.course.findUniqueOrThrow({ where: { slug: courseSlug } });
  const window = (status: "APPROVED" | "PENDING" | "REJECTED", day: number, seats: number) => ({
    courseId: course.id,
    reason: `${status.toLowerCase()} window`,
    startsAt: new Date(`2026-10-${day}T17:00:00Z`),
    endsAt: new Date(`2026-10-${day}T19:00:00Z`),
    seats,
    memoryMibPerSeat: 2048,
    status,
  });
  await db.capacityWindow.createMany({
    data: [
      window("APPROVED", 14, 120),
      window("PENDING", 15, 300),
      window("REJECTED", 16, 300),
      window("APPROVED", 28, 120), // after the span
    ],
  });
});

describe("loadHubDemand", () => {
  it("reads a hub's calendar, audience and memory guarantee for the span", async () => {
    const db = database().db;
    const hub = await db.hub.findUniqueOrThrow({
      where: { slug: courseSlug },
      include: { cluster: true },
    });
    const [demand] = await loadHubDemand(db, { hubIds: [hub.id], from, to });
    expect(demand).toMatchObject({
      hubId: hub.id,
      hubSlug: courseSlug,
      clusterId: hub.clusterId,
      timeZone: "America/Los_Angeles",
      startDate: "2026-08-24",
      endDate: "2026-12-18",
      enrollment: 120,
      expectedConcurrentUsers: 60,
      memoryGuaranteeMib: 1024,
    });
    expect(demand?.meetings).toEqual([
      { label: "Lecture", dayOfWeek: 1, startMinute: 600, durationMinutes: 50 },
      { label: "Lecture", dayOfWeek: 3, startMinute: 600, durationMinutes: 50 },
      { label: "Lab", dayOfWeek: 4, startMinute: 840, durationMinutes: 110 },
      { label: "Lecture", dayOfWeek: 5, startMinute: 600, durationMinutes: 50 },
    ]);
    // The midterm is in the span; the final exam is not.
    expect(demand?.importantDates.map((date) => date.title)).toEqual(["Midterm"]);
    // Only approved windows that touch the span are planned.
    expect(demand?.capacityWindows).toEqual([
      expect.objectContaining({ reason: "approved window", seats: 120, memoryMibPerSeat: 2048 }),
    ]);
  });

  it("shares a course's audience and window seats among its live hubs", async () => {
    const db = database().db;
    const second = await createHub(db, {
      courseSlug,
      clusterSlug: "gcp-gke-1",
      slug: "wvc-data-101-fa26-b",
      status: "READY",
    });
    const demands = await loadHubDemand(db, { from, to });
    const ofCourse = demands.filter((demand) => demand.hubSlug.startsWith(courseSlug));
    expect(
      ofCourse.map((demand) => [demand.hubSlug, demand.enrollment, demand.expectedConcurrentUsers]),
    ).toEqual([
      [courseSlug, 60, 30],
      ["wvc-data-101-fa26-b", 60, 30],
    ]);
    expect(ofCourse.map((demand) => demand.capacityWindows[0]?.seats)).toEqual([60, 60]);
    await db.hub.update({ where: { id: second.id }, data: { status: "ARCHIVED" } });
    const afterRetiring = await loadHubDemand(db, { from, to });
    expect(afterRetiring.some((demand) => demand.hubId === second.id)).toBe(false);
  });
});

describe("the planner, fed from the database", () => {
  it("holds an approved window's seats, not a pending one's", async () => {
    const db = database().db;
    const hub = await db.hub.findUniqueOrThrow({ where: { slug: courseSlug } });
    const plan = planCapacity({
      hubs: await loadHubDemand(db, { hubIds: [hub.id], from, to }),
      clusters: await loadClusterSupply(db),
      from,
      to,
    });
    const spans = plan.hubs.find((entry) => entry.hubId === hub.id)?.spans ?? [];
    // The approved window (Oct 14, 17:00–19:00 UTC) holds at least its 120 seats;
    // the pending 300-seat window the next day is not planned.
    expect(plannedSeatsAt(spans, new Date("2026-10-14T18:00:00Z"))).toBeGreaterThanOrEqual(120);
    expect(plannedSeatsAt(spans, new Date("2026-10-15T18:00:00Z"))).toBeLessThan(300);
  });
});

describe("loadClusterSupply", () => {
  it("gives each cluster its user node pool and lead time", async () => {
    const db = database().db;
    const supply = await loadClusterSupply(db);
    const aws = await db.cluster.findFirstOrThrow({
      where: { slug: "aws-eks-1" },
      include: { nodePools: { where: { purpose: "user" } } },
    });
    const entry = supply.find((cluster) => cluster.clusterId === aws.id);
    expect(entry?.leadTimeMinutes).toBe(15);
    const pool = aws.nodePools[0];
    expect(entry?.userPool).toEqual({
      name: pool?.name,
      memoryMib: pool?.memoryMib,
      vcpu: pool?.vcpu,
      minNodes: pool?.minNodes,
      maxNodes: pool?.maxNodes,
    });
    // Every cluster in the demo has a user pool.
    expect(supply).toHaveLength(await db.cluster.count());
  });
});
