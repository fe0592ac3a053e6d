import type { DatabaseClient } from "@hubfed/db";
import { setHubConditions, type HubConditionValue } from "../hubs/conditions";

// The conditions provisioning keeps on a hub, Kubernetes style: `Provisioned`
// (has the spec's revision been applied?) and `Ready` (does the hub answer?),
// each TRUE, FALSE or UNKNOWN with a reason. The hub page shows them.
// Written through the one condition writer, hubs/conditions.ts, as the budget
// switch (`WithinBudget`) and the capacity job (`CapacityApplied`) write theirs.

type ProvisioningCondition = HubConditionValue & { type: "Provisioned" | "Ready" };

function setConditions(db: DatabaseClient, hubId: string, conditions: ProvisioningCondition[]) {
  return setHubConditions(db, hubId, conditions);
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

/** A suspended hub was stopped: it does not answer, on purpose. */
export function setStoppedCondition(db: DatabaseClient, hubId: string): Promise<void> {
  return setConditions(db, hubId, [
    {
      type: "Ready",
      status: "FALSE",
      reason: "Suspended",
      message: "Stopped: no JupyterHub and no user server runs; the homes are kept",
    },
  ]);
}

/** Stopping a suspended hub failed: whether anything still runs is not known. */
export function setStopFailedCondition(
  db: DatabaseClient,
  hubId: string,
  failure: string,
): Promise<void> {
  return setConditions(db, hubId, [
    { type: "Ready", status: "UNKNOWN", reason: "StopFailed", message: failure },
  ]);
}
