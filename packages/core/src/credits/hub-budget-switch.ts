import type { Hub, HubStatus, Transaction } from "@hubfed/db";

export type BudgetedHub = Pick<Hub, "id" | "slug" | "courseId" | "status">;

/**
 * What credits needs from hubs, and no more: take a hub out of service when
 * its allocation is spent past the grace period, and back in when it is
 * topped up. hubs implements it (hubs/budget-switch.ts); the caller passes
 * it in, so the ledger never reaches into the hub lifecycle and the two
 * domains do not import each other.
 */
export interface HubBudgetSwitch {
  /** The statuses a hub can still be suspended from. */
  suspendableStatuses: readonly HubStatus[];
  /** Suspends the hub in the caller's transaction; false when it had already moved on. */
  suspendForBudget(tx: Transaction, hub: BudgetedHub, at: Date): Promise<boolean>;
  /** Brings a SUSPENDED hub back after a top-up; false when it was not suspended. */
  resumeAfterTopUp(tx: Transaction, hub: BudgetedHub, actorId: string): Promise<boolean>;
}
