import { randomUUID } from "node:crypto";
import type { DatabaseClient } from "@hubfed/db";

// One reconcile or decommission per hub at a time (SPEC §4), whoever runs it:
// the lease is two columns on the hub, taken and renewed by a conditional
// update, so a dead worker's lease simply expires.

/** A held reconcile lease on one hub: renew it between steps, release it when done. */
export interface HubLease {
  /** Who holds it: the worker and this one reconcile or decommission. */
  holder: string;
  renew(): Promise<boolean>;
  release(): Promise<void>;
}

/**
 * Takes the hub's reconcile lease, or undefined while someone else holds a
 * live one. The holder is unique per call, not per worker: one worker runs
 * several jobs at once, and two of them for the same hub (an approval and
 * the fleet's drift check, say) must not both get in.
 */
export async function acquireHubLease(
  db: DatabaseClient,
  hubId: string,
  workerId: string,
  leaseMs: number,
): Promise<HubLease | undefined> {
  const holder = `${workerId}#${randomUUID()}`;
  const take = async () => {
    const now = new Date();
    const { count } = await db.hub.updateMany({
      where: {
        id: hubId,
        OR: [
          { reconcileLeaseExpiresAt: null },
          { reconcileLeaseExpiresAt: { lt: now } },
          { reconcileLeaseOwner: holder },
        ],
      },
      data: {
        reconcileLeaseOwner: holder,
        reconcileLeaseExpiresAt: new Date(now.getTime() + leaseMs),
      },
    });
    return count === 1;
  };
  if (!(await take())) return undefined;
  return {
    holder,
    renew: take,
    release: async () => {
      await db.hub.updateMany({
        where: { id: hubId, reconcileLeaseOwner: holder },
        data: { reconcileLeaseOwner: null, reconcileLeaseExpiresAt: null },
      });
    },
  };
}

/**
 * A renewal to call between steps that writes only once a quarter of the
 * lease has gone by since it was taken or last renewed: a write per step per
 * hub would be most of a drift reconcile's database work.
 */
export function renewalBetweenSteps(lease: HubLease, leaseMs: number): () => Promise<void> {
  let renewedAt = Date.now();
  return async () => {
    if (Date.now() - renewedAt < leaseMs / 4) return;
    await lease.renew();
    renewedAt = Date.now();
  };
}
