import type { DatabaseClient, HubStatus } from "@hubfed/db";
import { transitionHub } from "../hubs/status";
import { setAnsweringCondition, setNotAnsweringCondition } from "./hub-conditions";
import {
  checkReadiness,
  hubPlacementInclude,
  runtimeContextFor,
  type HubWithPlacement,
  type RuntimeResolver,
} from "./runtime";
import { servingHubStatuses } from "../hubs/lifecycle";

// Periodic health (SPEC §4, `hubs.check-health`): READY only while the hub
// answers; DEGRADED while it does not, and back. Reconcile owns every other
// status; this check moves only between these two.

export interface HubHealthChange {
  hubSlug: string;
  status: HubStatus;
}

/** Asks every READY or DEGRADED hub's runtime whether it answers; returns the hubs whose status moved. */
export async function checkHubHealth(
  db: DatabaseClient,
  runtimeFor: RuntimeResolver,
): Promise<HubHealthChange[]> {
  const hubs = await db.hub.findMany({
    where: { status: { in: [...servingHubStatuses] } },
    include: hubPlacementInclude,
  });
  const changes: HubHealthChange[] = [];
  for (const hub of hubs) {
    const context = runtimeContextFor(db, hub);
    const report = await checkReadiness(runtimeFor(hub.cluster), context);
    const change = report.isReady
      ? await recordHubAnswers(db, hub)
      : await recordHubDoesNotAnswer(db, hub, report.detail);
    if (change) changes.push(change);
  }
  return changes;
}

/** Notes the hub healthy now; a DEGRADED hub is READY again. */
async function recordHubAnswers(
  db: DatabaseClient,
  hub: HubWithPlacement,
): Promise<HubHealthChange | undefined> {
  await db.hub.update({ where: { id: hub.id }, data: { lastHealthyAt: new Date() } });
  await setAnsweringCondition(db, hub.id);
  if (hub.status !== "DEGRADED") return undefined;
  const moved = await db.$transaction((tx) =>
    transitionHub(tx, {
      hub,
      from: ["DEGRADED"],
      to: "READY",
      reason: "The hub answers again",
      actorId: null,
    }),
  );
  return moved ? { hubSlug: hub.slug, status: "READY" } : undefined;
}

/** Notes why the hub does not answer; a READY hub is DEGRADED. */
async function recordHubDoesNotAnswer(
  db: DatabaseClient,
  hub: HubWithPlacement,
  detail: string,
): Promise<HubHealthChange | undefined> {
  await setNotAnsweringCondition(db, hub.id, detail);
  if (hub.status !== "READY") return undefined;
  const moved = await db.$transaction((tx) =>
    transitionHub(tx, {
      hub,
      from: ["READY"],
      to: "DEGRADED",
      reason: `The hub does not answer: ${detail}`,
      actorId: null,
    }),
  );
  return moved ? { hubSlug: hub.slug, status: "DEGRADED" } : undefined;
}
