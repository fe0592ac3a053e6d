import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "@hubfed/db/testing";
import { startKubernetesTestServer, type KubernetesTestServer } from "@hubfed/kube/test-server";
import { reconcileHub } from "../provisioning/reconcile";
import { applyCapacity, type PlannedHub } from "./apply";
import type { HubCapacityPlan, UserNodePool } from "./plan-types";
import { provisionSpringKubernetesHub } from "./test-fixtures";

// Applying a capacity plan on the Kubernetes API test server, over real HTTP:
// a provisioned hub with an exam window; at the lead time before it the
// placeholder Deployment is scaled to the planned pods with one call, back to
// zero after it, and a plan that did not change makes no call at all, nor
// does a drift reconcile undo the scale.

const database = useTestDatabase();
let server: KubernetesTestServer;
let runtime: Awaited<ReturnType<typeof provisionSpringKubernetesHub>>["runtime"];
let hubId = "";
let hubSlug = "";

const windowStart = new Date("2027-03-09T17:00:00Z");
const windowEnd = new Date("2027-03-09T19:00:00Z");
const minutes = (count: number) => count * 60_000;
const userPool: UserNodePool = {
  name: "user",
  memoryMib: 32768,
  vcpu: 4,
  minNodes: 0,
  maxNodes: 20,
};

function examPlan(id: string, slug: string, clusterId: string): HubCapacityPlan {
  // 40 seats × 2 GiB = 80 GiB: three 32 GiB nodes.
  return {
    hubId: id,
    hubSlug: slug,
    clusterId,
    spans: [
      {
        from: windowStart,
        to: windowEnd,
        seats: 40,
        memoryMibPerSeat: 2048,
        reason: "exam window: midterm",
      },
    ],
  };
}

let plans: PlannedHub[] = [];
const apply = (at: Date) =>
  applyCapacity(database().db, { scaler: runtime, loadPlans: () => Promise.resolve(plans), at });

function placeholderReplicas(): unknown {
  const deployment = server.getObject({
    apiVersion: "apps/v1",
    kind: "Deployment",
    namespace: `hub-${hubSlug}`,
    name: "hubfed-capacity-placeholders",
  });
  return (deployment?.spec as { replicas?: unknown } | undefined)?.replicas;
}

beforeAll(async () => {
  server = await startKubernetesTestServer({ controller: { isEnabled: true, delayMs: 20 } });
  const provisioned = await provisionSpringKubernetesHub(database().db, server);
  runtime = provisioned.runtime;
  hubId = provisioned.hub.id;
  hubSlug = provisioned.hub.slug;
  plans = [
    { plan: examPlan(hubId, hubSlug, provisioned.cluster.id), leadTimeMinutes: 15, userPool },
  ];
});

afterAll(async () => {
  await server.stop();
});

describe("applying the capacity plan on Kubernetes", () => {
  it("starts with the placeholders reconcile created: none", () => {
    expect(placeholderReplicas()).toBe(0);
  });

  it("does nothing before the lead time", async () => {
    server.resetCounters();
    const report = await apply(new Date(windowStart.getTime() - minutes(16)));
    expect(report.scaled).toEqual({});
    expect(server.requests).toHaveLength(0);
    expect(placeholderReplicas()).toBe(0);
  });

  it("scales to the planned pods at the lead time before the window, with one call", async () => {
    server.resetCounters();
    const at = new Date(windowStart.getTime() - minutes(15));
    const report = await apply(at);

    expect(report).toEqual({ scaled: { [hubSlug]: 3 }, unchanged: 0, failed: {} });
    expect(placeholderReplicas()).toBe(3);
    expect(server.countWrites()).toBe(1);
    expect(server.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      `PATCH /apis/apps/v1/namespaces/hub-${hubSlug}/deployments/hubfed-capacity-placeholders/scale`,
    ]);
    const hub = await database().db.hub.findUniqueOrThrow({
      where: { id: hubId },
      include: { conditions: true },
    });
    expect(hub.appliedPlaceholderPods).toBe(3);
    expect(hub.appliedPlaceholderAt).toEqual(at);
    expect(hub.conditions.find((condition) => condition.type === "CapacityApplied")).toMatchObject({
      status: "TRUE",
      reason: "Scaled",
      message: "3 placeholder pod(s): 40 seat(s) for exam window: midterm",
    });
  });

  it("makes no call while the plan is unchanged, and a drift reconcile leaves the scale alone", async () => {
    server.resetCounters();
    const report = await apply(new Date(windowStart.getTime() + minutes(30)));
    expect(report).toEqual({ scaled: {}, unchanged: 1, failed: {} });
    expect(server.requests).toHaveLength(0);

    const drift = await reconcileHub(database().db, {
      hubId,
      trigger: "drift",
      runtimeFor: () => runtime,
      workerId: "worker-a",
      isLastAttempt: false,
      readyPollMs: 50,
      readyTimeoutMs: 10_000,
    });
    expect(drift.outcome).toBe("converged");
    expect(server.countWrites()).toBe(0);
    expect(placeholderReplicas()).toBe(3);
  });

  it("scales back to zero once the window is over", async () => {
    server.resetCounters();
    const report = await apply(windowEnd);
    expect(report.scaled).toEqual({ [hubSlug]: 0 });
    expect(placeholderReplicas()).toBe(0);
    expect(server.countWrites()).toBe(1);
  });

  it("records a hub that cannot be scaled and still scales the others", async () => {
    const db = database().db;
    const cluster = await db.cluster.findFirstOrThrow({ where: { slug: "aws-eks-1" } });
    // A hub marked READY whose objects were never applied: its scale call gets a real 404.
    const broken = await db.hub.findFirstOrThrow({ where: { id: { not: hubId } } });
    await db.hub.update({
      where: { id: broken.id },
      data: { status: "READY", clusterId: cluster.id },
    });
    plans = [
      { plan: examPlan(broken.id, broken.slug, cluster.id), leadTimeMinutes: 15, userPool },
      { plan: examPlan(hubId, hubSlug, cluster.id), leadTimeMinutes: 15, userPool },
    ];

    const report = await apply(windowStart);

    expect(report.scaled).toEqual({ [hubSlug]: 3 });
    expect(Object.keys(report.failed)).toEqual([broken.slug]);
    expect(placeholderReplicas()).toBe(3);
    const condition = await db.hubCondition.findUniqueOrThrow({
      where: { hubId_type: { hubId: broken.id, type: "CapacityApplied" } },
    });
    expect(condition).toMatchObject({ status: "FALSE", reason: "ScaleFailed" });
    expect(condition.message).toMatch(/^Scaling to 3 placeholder pod\(s\) failed: .*not found/);
    expect(
      (await db.hub.findUniqueOrThrow({ where: { id: broken.id } })).appliedPlaceholderPods,
    ).toBeNull();
  });
});
