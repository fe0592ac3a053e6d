import type { DatabaseClient } from "@hubfed/db";

// The conditions provisioning keeps on a hub, Kubernetes style: `Provisioned`
// (has the spec's revision been applied?) and `Ready` (does the hub answer?),
// each TRUE, FALSE or UNKNOWN with a reason. The hub page shows them.
// (`WithinBudget` belongs to the budget switch, hubs/budget-switch.ts.)

interface HubConditionValue {
  type: "Provisioned" | "Ready";
  status: "TRUE" | "FALSE" | "UNKNOWN";
  reason: string;
  message?: string;
}

/** A new revision is being applied: Provisioned is UNKNOWN until it is. */
export function setReconcilingCondition(
  db: DatabaseClient,
  hubId: string,
  revision: number,
): Promise<void> {
  return setConditions(db, hubId, [
    {
      type: "Provisioned",
      status: "UNKNOWN",
      reason: "Reconciling",
      message: `Revision ${revision}`,
    },
  ]);
}

/** A reconcile's step failed: Provisioned is FALSE with the failure. */
export function setStepFailedCondition(
  db: DatabaseClient,
  hubId: string,
  failure: string,
): Promise<void> {
  return setConditions(db, hubId, [
    { type: "Provisioned", status: "FALSE", reason: "StepFailed", message: failure },
  ]);
}

/** A reconcile converged: the revision is applied and the hub answers. */
export function setConvergedConditions(
  db: DatabaseClient,
  hubId: string,
  revision: number,
): Promise<void> {
  return setConditions(db, hubId, [
    {
      type: "Provisioned",
      status: "TRUE",
      reason: "Converged",
      message: `Revision ${revision} applied`,
    },
    { type: "Ready", status: "TRUE", reason: "HubAnswers" },
  ]);
}

/** The health check found the hub answering. */
export function setAnsweringCondition(db: DatabaseClient, hubId: string): Promise<void> {
  return setConditions(db, hubId, [{ type: "Ready", status: "TRUE", reason: "HubAnswers" }]);
}

/** The health check found the hub not answering, for the reason in `detail`. */
export function setNotAnsweringCondition(
  db: DatabaseClient,
  hubId: string,
  detail: string,
): Promise<void> {
  return setConditions(db, hubId, [
    { type: "Ready", status: "FALSE", reason: "HubDoesNotAnswer", message: detail },
  ]);
}

/**
 * Sets conditions, reading them in one query and writing only those that
 * differ: a drift reconcile of a converged hub finds them all as it leaves
 * them. lastTransitionAt moves only when the status does.
 */
async function setConditions(
  db: DatabaseClient,
  hubId: string,
  conditions: HubConditionValue[],
): Promise<void> {
  const existing = await db.hubCondition.findMany({
    where: { hubId, type: { in: conditions.map((condition) => condition.type) } },
  });
  for (const { type, status, reason, message } of conditions) {
    const current = existing.find((condition) => condition.type === type);
    if (
      current?.status === status &&
      current.reason === reason &&
      current.message === (message ?? null)
    )
      continue;
    const isTransition = current?.status !== status;
    await db.hubCondition.upsert({
      where: { hubId_type: { hubId, type } },
      update: {
        status,
        reason,
        message: message ?? null,
        ...(isTransition ? { lastTransitionAt: new Date() } : {}),
      },
      create: { hubId, type, status, reason, message: message ?? null },
    });
  }
}
