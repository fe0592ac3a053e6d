import type { HubBudgetSwitch } from "../credits/hub-budget-switch";
import { setHubConditions } from "./conditions";
import { hubStatusesThatMayBecome } from "./lifecycle";
import { transitionHub } from "./status";

/**
 * The hub side of budget enforcement: the SUSPENDED transition (with its
 * audit event and notification) and the WithinBudget condition ops read on
 * the hub page.
 */
export const hubBudgetSwitch: HubBudgetSwitch = {
  suspendableStatuses: hubStatusesThatMayBecome("SUSPENDED"),

  async suspendForBudget(tx, hub, at) {
    const moved = await transitionHub(tx, {
      hub,
      to: "SUSPENDED",
      reason: "The hub's allocation is used up; a top-up brings it back.",
      actorId: null,
    });
    if (moved)
      await setHubConditions(
        tx,
        hub.id,
        [
          {
            type: "WithinBudget",
            status: "FALSE",
            reason: "AllocationExhausted",
            message: "Allocation used up",
          },
        ],
        { at },
      );
    return moved;
  },

  async resumeAfterTopUp(tx, hub, actorId) {
    const moved = await transitionHub(tx, {
      hub,
      from: ["SUSPENDED"],
      to: "READY",
      reason: "The allocation was topped up; the hub is back.",
      actorId,
    });
    if (moved)
      await setHubConditions(tx, hub.id, [
        { type: "WithinBudget", status: "TRUE", reason: "ToppedUp" },
      ]);
    return moved;
  },
};
