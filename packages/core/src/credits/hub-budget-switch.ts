import type { Hub, HubStatus, Transaction } from "@hubfed/db";

export type BudgetedHub = Pick<Hub, "id" | "slug" | "courseId" | "status" | "appliedRevision">;

/**
 * Why the budget takes a hub out of service:
 * - "AllocationExhausted": its allocation has been at 100 % for longer than the grace period
 *   (SUSPEND policy);
 * - "UsageUnfunded": a day of its usage could not be paid at all, because the account its
 *   allocation draws on has no credit left (SUSPEND policy; there is nothing to pay a grace
 *   period with).
 */
export type BudgetSuspensionCause = "AllocationExhausted" | "UsageUnfunded";

/**
 * What credits needs from hubs, and no more: take a hub out of service when
 * its money has run out, and back in when it is topped up. hubs implements it
 * (hubs/budget-switch.ts); the caller passes it in, so the ledger never
 * reaches into the hub lifecycle and the two domains do not import each other.
 */
export interface HubBudgetSwitch {
  /** The statuses a hub can still be suspended from. */
  suspendableStatuses: readonly HubStatus[];
  /** Suspends the hub in the caller's transaction; false when it had already moved on. */
  suspendForBudget(
    tx: Transaction,
    hub: BudgetedHub,
    { at, cause }: { at: Date; cause: BudgetSuspensionCause },
  ): Promise<boolean>;
  /**
   * Resumes a hub the budget suspended, after a top-up; false when it was not suspended, or was
   * suspended by a person (an operator's suspension is lifted by an operator, not by money).
   */
  resumeAfterTopUp(tx: Transaction, hub: BudgetedHub, actorId: string): Promise<boolean>;
  /**
   * Once the transaction that suspended or resumed the hub has committed: sets its runtime to
   * work (queues the reconcile that stops or starts its servers).
   */
  applyToRuntime(hubId: string, occasion: "suspend" | "resume"): Promise<void>;
}
