import type { JobQueues } from "@hubfed/jobs";
import type { BudgetSuspensionCause, HubBudgetSwitch } from "../credits/hub-budget-switch";
import { setHubConditions } from "./conditions";
import { hubStatusesThatMayBecome } from "./lifecycle";
import { queueHubReconcile } from "./hub-jobs";
import {
  budgetSuspensionCauses,
  resumeHubInTransaction,
  suspendHubInTransaction,
  suspensionCauseOf,
} from "./suspension";

const reasons: Record<BudgetSuspensionCause, { reason: string; staffNote: string }> = {
  AllocationExhausted: {
    reason: "The hub's allocation is used up; a top-up brings it back.",
    staffNote:
      "Its credit allocation is used up. Your institution's admins or the federation operators can top it up; it resumes when they do.",
  },
  UsageUnfunded: {
    reason:
      "A day of the hub's usage could not be paid: the credit its allocation draws on has run out.",
    staffNote:
      "The credit it draws on has run out, so its usage can no longer be paid. Your institution's admins or the federation operators can add credit; it resumes when they top up its allocation.",
  },
};

/**
 * The hub side of budget enforcement, given the queues the runtime's work goes to: the SUSPENDED
 * transition (with its audit event and notification), the WithinBudget condition ops read on the
 * hub page, and the reconcile that actually stops or starts the hub.
 */
export function createHubBudgetSwitch(queues: JobQueues): HubBudgetSwitch {
  return {
    suspendableStatuses: hubStatusesThatMayBecome("SUSPENDED"),

    async suspendForBudget(tx, hub, { at, cause }) {
      const moved = await suspendHubInTransaction(tx, {
        hub,
        cause,
        ...reasons[cause],
        actorId: null,
        at,
      });
      if (moved)
        await setHubConditions(
          tx,
          hub.id,
          [
            {
              type: "WithinBudget",
              status: "FALSE",
              reason: cause,
              message:
                cause === "AllocationExhausted" ? "Allocation used up" : "Usage could not be paid",
            },
          ],
          { at },
        );
      return moved;
    },

    async resumeAfterTopUp(tx, hub, actorId) {
      const cause = await suspensionCauseOf(tx, hub.id);
      if (!cause || !(budgetSuspensionCauses as readonly string[]).includes(cause)) return false;
      const moved = await resumeHubInTransaction(tx, {
        hub,
        reason: "The allocation was topped up; the hub is starting again.",
        actorId,
      });
      if (moved)
        await setHubConditions(tx, hub.id, [
          { type: "WithinBudget", status: "TRUE", reason: "ToppedUp" },
        ]);
      return moved;
    },

    async applyToRuntime(hubId, occasion) {
      await queueHubReconcile(queues, hubId, occasion);
    },
  };
}
