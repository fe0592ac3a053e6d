import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@hubfed/auth/permissions";
import { useTestDatabase } from "@hubfed/db/testing";
import { startKubernetesTestServer, type KubernetesTestServer } from "@hubfed/kube/test-server";
import { applyCapacity } from "./apply";
import { saveMeetings } from "./calendar";
import { describeCoursePlan, loadPlannedHubs } from "./plan-from-database";
import { placeholderPodsFor } from "./plan";
import { actorFor } from "../testing/demo-federation";
import { provisionSpringKubernetesHub } from "./test-fixtures";
import { decideCapacityWindow, requestCapacityWindow } from "./windows";

// The whole loop of issue 15 on real parts: an instructor asks for an exam
// window beyond the hub's envelope; until ops approve, nothing is planned;
// once approved, the plan shows it, and the capacity job scales the hub's
// placeholder Deployment on the Kubernetes API test server at the lead time
// before the window, and back down after it, with one write each time.

const database = useTestDatabase();
let server: KubernetesTestServer;
let provisioned: Awaited<ReturnType<typeof provisionSpringKubernetesHub>>;
let ops: Actor;
let instructor: Actor;
let courseSlug = "";
let windowId = "";

// Tuesday 16 March 2027, 10:00–12:00 in Los Angeles (PDT, UTC−7).
const windowStart = new Date("2027-03-16T17:00:00Z");
const windowEnd = new Date("2027-03-16T19:00:00Z");
const leadTimeMinutes = 15;
const seats = 100;
const memoryMibPerSeat = 4096;
const userPool = { name: "user", memoryMib: 32768, vcpu: 4, minNodes: 0, maxNodes: 20 };

const applyAt = (at: Date) =>
  applyCapacity(database().db, {
    scaler: provisioned.runtime,
    loadPlans: loadPlannedHubs,
    at,
  });

function placeholderReplicas(): unknown {
  const deployment = server.getObject({
    apiVersion: "apps/v1",
    kind: "Deployment",
    namespace: `hub-${provisioned.hub.slug}`,
    name: "hubfed-capacity-placeholders",
  });
  return (deployment?.spec as { replicas?: unknown } | undefined)?.replicas;
}

beforeAll(async () => {
  server = await startKubernetesTestServer({ controller: { isEnabled: true, delayMs: 20 } });
  provisioned = await provisionSpringKubernetesHub(database().db, server);
  ops = provisioned.ops;
  // Loaded again: the instructor's role in the new course exists only since the approval.
  instructor = await actorFor(database().db, "prof.rivera@westvalley.edu");
  const course = await database().db.course.findUniqueOrThrow({
    where: { id: provisioned.hub.courseId },
  });
  courseSlug = course.slug;
  // The exam week has no lectures, so the window alone decides the plan.
  await saveMeetings(database().db, instructor, { courseSlug, meetings: [] });
});

afterAll(async () => {
  await server.stop();
});

describe("from the course calendar to warm capacity on Kubernetes", () => {
  it("plans nothing for a window still waiting for ops", async () => {
    const requested = await requestCapacityWindow(database().db, instructor, {
      courseSlug,
      reason: "Midterm exam",
      startsAt: "2027-03-16T10:00",
      endsAt: "2027-03-16T12:00",
      seats,
      memoryMibPerSeat,
    });
    windowId = requested.id;
    expect(requested.status).toBe("PENDING");

    server.resetCounters();
    const report = await applyAt(new Date(windowStart.getTime() - leadTimeMinutes * 60_000));
    expect(report.scaled).toEqual({});
    expect(server.countWrites()).toBe(0);
    expect(placeholderReplicas()).toBe(0);
  });

  it("shows an approved window in the course's plan", async () => {
    const decided = await decideCapacityWindow(database().db, ops, {
      windowId,
      decision: "APPROVED",
    });
    expect(decided.status).toBe("APPROVED");

    const plan = await describeCoursePlan(database().db, instructor, courseSlug, {
      now: windowStart,
    });
    const hubPlan = plan.hubs.find((hub) => hub.hubSlug === provisioned.hub.slug);
    const atWindow = hubPlan?.points.find((point) => point.at.getTime() === windowStart.getTime());
    expect(atWindow?.plannedSeats).toBe(seats);
  });

  it("scales the placeholders at the lead time before the window, with one write", async () => {
    const beforeLeadTime = new Date(windowStart.getTime() - (leadTimeMinutes + 5) * 60_000);
    server.resetCounters();
    expect((await applyAt(beforeLeadTime)).scaled).toEqual({});
    expect(server.countWrites()).toBe(0);

    server.resetCounters();
    const atLeadTime = new Date(windowStart.getTime() - leadTimeMinutes * 60_000);
    const pods = placeholderPodsFor(seats, memoryMibPerSeat, userPool);
    expect((await applyAt(atLeadTime)).scaled).toEqual({ [provisioned.hub.slug]: pods });
    expect(server.countWrites()).toBe(1);
    expect(placeholderReplicas()).toBe(pods);

    server.resetCounters();
    expect((await applyAt(new Date(windowStart.getTime() + 30 * 60_000))).scaled).toEqual({});
    expect(server.countWrites()).toBe(0);
  });

  it("scales back down once the window is over, with one write", async () => {
    server.resetCounters();
    expect((await applyAt(new Date(windowEnd.getTime() + 60_000))).scaled).toEqual({
      [provisioned.hub.slug]: 0,
    });
    expect(server.countWrites()).toBe(1);
    expect(placeholderReplicas()).toBe(0);
  });
});
