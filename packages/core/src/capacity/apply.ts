import type { DatabaseClient } from "@hubfed/db";
import { meteredHubStatuses } from "../hubs/lifecycle";
import { failureMessageOf } from "../errors";
import { hubPlacementInclude, type HubWithPlacement } from "../provisioning/runtime";
import type { HubCapacityPlan, SeatSpan, UserNodePool } from "./plan-types";
import { placeholderPodsFor } from "./plan";
import { setHubConditions } from "../hubs/conditions";

// Applying the capacity plan ahead of time (SPEC §7; the `capacity.apply`
// job): each Kubernetes hub's placeholder pods are set to what the plan wants
// now, with one scale call, and only when that differs from what was applied
// last (Hub.appliedPlaceholderPods). A hub that fails is recorded in its
// `CapacityApplied` condition and does not stop the others.

/** "Scale this hub's placeholders": the Kubernetes runtime's one write for capacity. */
export interface HubPlaceholderScaler {
  scalePlaceholders(hub: HubWithPlacement, pods: number): Promise<void>;
}

/** The placeholder pods one hub should hold now, and why. */
export interface DesiredPlaceholders {
  hubId: string;
  pods: number;
  /** e.g. "exam window: midterm"; shown in the hub's CapacityApplied condition. */
  reason: string;
}

/**
 * The span the placeholders must stand for at `at`: any span that has begun
 * or begins within the lead time (node ready + image pull), so capacity is
 * there when the class starts, and none once it has ended. With several, the
 * largest. Pass `leadTimeMinutes: 0` when the plan's spans already start
 * early by the lead time.
 */
export function spanDueAt(
  plan: Pick<HubCapacityPlan, "spans">,
  at: Date,
  leadTimeMinutes: number,
): SeatSpan | undefined {
  const horizon = at.getTime() + leadTimeMinutes * 60_000;
  const due = plan.spans.filter(
    (span) => span.from.getTime() <= horizon && span.to.getTime() > at.getTime(),
  );
  return due.reduce<SeatSpan | undefined>(
    (largest, span) =>
      !largest || span.seats * span.memoryMibPerSeat > largest.seats * largest.memoryMibPerSeat
        ? span
        : largest,
    undefined,
  );
}

/** A hub plan turned into the pods due at `at` on the cluster's user pool. */
export function desiredPlaceholdersAt(
  plan: HubCapacityPlan,
  { at, leadTimeMinutes, userPool }: { at: Date; leadTimeMinutes: number; userPool: UserNodePool },
): DesiredPlaceholders {
  const span = spanDueAt(plan, at, leadTimeMinutes);
  if (!span) return { hubId: plan.hubId, pods: 0, reason: "nothing planned now" };
  return {
    hubId: plan.hubId,
    pods: placeholderPodsFor(span.seats, span.memoryMibPerSeat, userPool),
    reason: `${span.seats} seat(s) for ${span.reason}`,
  };
}

/** One hub's plan with what turning it into pods needs from its cluster. */
export interface PlannedHub {
  plan: HubCapacityPlan;
  /** The cluster's node ready + image pull; 0 when the plan's spans already start that early. */
  leadTimeMinutes: number;
  userPool: UserNodePool;
}

/** Where the job gets the plans: `planCapacity` over the database's calendars (wired by the worker). */
export type CapacityPlanLoader = (db: DatabaseClient, at: Date) => Promise<PlannedHub[]>;

/** The `capacity.apply` job: the plans due at `at`, applied. */
export async function applyCapacity(
  db: DatabaseClient,
  {
    scaler,
    loadPlans,
    at = new Date(),
  }: { scaler: HubPlaceholderScaler; loadPlans: CapacityPlanLoader; at?: Date },
): Promise<CapacityApplyReport> {
  const planned = await loadPlans(db, at);
  const desired = planned.map(({ plan, leadTimeMinutes, userPool }) =>
    desiredPlaceholdersAt(plan, { at, leadTimeMinutes, userPool }),
  );
  return applyPlaceholderPods(db, scaler, desired, { at });
}

export interface CapacityApplyReport {
  /** Hubs scaled by this run: slug → pods. */
  scaled: Record<string, number>;
  unchanged: number;
  /** Hubs whose scale call failed: slug → reason. */
  failed: Record<string, string>;
}

/**
 * Sets every Kubernetes hub's placeholders to the desired pods. Hubs that may
 * have users (READY, DEGRADED, UPDATING) get what `desired` says (0 when it
 * does not name them); a hub that left those statuses with placeholders still
 * up (suspended, retiring) is brought back to 0. Idempotent: a hub already at
 * its count gets no call and no database write.
 */
export async function applyPlaceholderPods(
  db: DatabaseClient,
  scaler: HubPlaceholderScaler,
  desired: readonly DesiredPlaceholders[],
  { at = new Date() }: { at?: Date } = {},
): Promise<CapacityApplyReport> {
  const hubs = await db.hub.findMany({
    where: {
      cluster: { runtime: "KUBERNETES" },
      OR: [
        { status: { in: [...meteredHubStatuses] } },
        { status: { not: "ARCHIVED" }, appliedPlaceholderPods: { gt: 0 } },
      ],
    },
    include: hubPlacementInclude,
    orderBy: { slug: "asc" },
  });
  const desiredByHub = new Map(desired.map((entry) => [entry.hubId, entry]));
  const report: CapacityApplyReport = { scaled: {}, unchanged: 0, failed: {} };
  for (const hub of hubs) {
    const mayHaveUsers = (meteredHubStatuses as readonly string[]).includes(hub.status);
    const wanted = mayHaveUsers
      ? (desiredByHub.get(hub.id) ?? { hubId: hub.id, pods: 0, reason: "nothing planned now" })
      : { hubId: hub.id, pods: 0, reason: `the hub is ${hub.status.toLowerCase()}` };
    // Never scaled: reconcile created the placeholders with 0 replicas.
    const applied = hub.appliedPlaceholderPods ?? 0;
    if (wanted.pods === applied) {
      report.unchanged += 1;
      continue;
    }
    try {
      await scaler.scalePlaceholders(hub, wanted.pods);
      await db.hub.update({
        where: { id: hub.id },
        data: { appliedPlaceholderPods: wanted.pods, appliedPlaceholderAt: at },
      });
      await setCapacityAppliedCondition(db, hub.id, {
        status: "TRUE",
        reason: "Scaled",
        message: `${wanted.pods} placeholder pod(s): ${wanted.reason}`,
        at,
      });
      report.scaled[hub.slug] = wanted.pods;
    } catch (error) {
      const failure = failureMessageOf(error);
      await setCapacityAppliedCondition(db, hub.id, {
        status: "FALSE",
        reason: "ScaleFailed",
        message: `Scaling to ${wanted.pods} placeholder pod(s) failed: ${failure}`,
        at,
      });
      report.failed[hub.slug] = failure;
    }
  }
  return report;
}

/** The hub's `CapacityApplied` condition, written only when it changes (ops read it on the hub page). */
async function setCapacityAppliedCondition(
  db: DatabaseClient,
  hubId: string,
  {
    status,
    reason,
    message,
    at,
  }: { status: "TRUE" | "FALSE"; reason: string; message: string; at: Date },
): Promise<void> {
  await setHubConditions(db, hubId, [{ type: "CapacityApplied", status, reason, message }], {
    at,
  });
}
