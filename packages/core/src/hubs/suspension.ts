import type { DatabaseClient, Hub, Transaction } from "@hubfed/db";
import { setHubConditions } from "./conditions";
import { transitionHub } from "./status";

// Suspending and resuming a hub (SPEC §3, §6), whoever asks: the budget (credits, through
// hubs/budget-switch.ts) or a person (hubs/actions.ts). The status moves in the caller's
// transaction; the runtime follows through the reconcile queued once it has committed
// (provisioning/reconcile.ts converges a SUSPENDED hub to stopped: JupyterHub and every user
// server stopped, the homes kept; a resumed one back to running).

/** The hub's `Suspended` condition says why it is suspended: its reason is one of these. */
export const suspensionCauses = [
  /** Its allocation was at 100 % past the grace period (SUSPEND policy). */
  "AllocationExhausted",
  /** A day of its usage could not be paid: the credit it draws on ran out (SUSPEND policy). */
  "UsageUnfunded",
  "SuspendedByOperator",
  "SuspendedByInstitutionAdmin",
] as const;
export type SuspensionCause = (typeof suspensionCauses)[number];

/** The causes a top-up lifts; a person's suspension is lifted by a person. */
export const budgetSuspensionCauses = [
  "AllocationExhausted",
  "UsageUnfunded",
] as const satisfies SuspensionCause[];

export const suspendedConditionType = "Suspended";

type SuspendableHub = Pick<Hub, "id" | "slug" | "courseId" | "status" | "appliedRevision">;

/**
 * Moves the hub to SUSPENDED with its `Suspended` condition saying why. `reason` is for people:
 * it is the status reason ops read, the audit event's, and the note the course's staff get.
 * Returns false when the hub had already moved on (or cannot be suspended from where it is).
 */
export async function suspendHubInTransaction(
  tx: Transaction,
  {
    hub,
    cause,
    reason,
    staffNote,
    actorId,
    at = new Date(),
  }: {
    hub: SuspendableHub;
    cause: SuspensionCause;
    reason: string;
    staffNote: string;
    actorId: string | null;
    at?: Date;
  },
): Promise<boolean> {
  const moved = await transitionHub(tx, { hub, to: "SUSPENDED", reason, actorId, staffNote });
  if (!moved) return false;
  await setHubConditions(
    tx,
    hub.id,
    [{ type: suspendedConditionType, status: "TRUE", reason: cause, message: reason }],
    { at },
  );
  return true;
}

/**
 * Moves a SUSPENDED hub back into service: to UPDATING (PENDING when it was never set up), which
 * reconcile takes to READY once the runtime has started it and it answers. Returns false when the
 * hub was not suspended.
 */
export async function resumeHubInTransaction(
  tx: Transaction,
  {
    hub,
    reason,
    staffNote,
    actorId,
  }: { hub: SuspendableHub; reason: string; staffNote?: string; actorId: string | null },
): Promise<boolean> {
  const moved = await transitionHub(tx, {
    hub,
    from: ["SUSPENDED"],
    to: hub.appliedRevision === null ? "PENDING" : "UPDATING",
    reason,
    actorId,
    staffNote,
  });
  if (moved)
    await setHubConditions(tx, hub.id, [
      { type: suspendedConditionType, status: "FALSE", reason: "Resumed", message: reason },
    ]);
  return moved;
}

/** Why the hub is suspended (its `Suspended` condition), or null when it is not. */
export async function suspensionCauseOf(
  db: DatabaseClient | Transaction,
  hubId: string,
): Promise<SuspensionCause | null> {
  const condition = await db.hubCondition.findUnique({
    where: { hubId_type: { hubId, type: suspendedConditionType } },
    select: { status: true, reason: true },
  });
  if (condition?.status !== "TRUE") return null;
  return (suspensionCauses as readonly string[]).includes(condition.reason)
    ? (condition.reason as SuspensionCause)
    : null;
}
