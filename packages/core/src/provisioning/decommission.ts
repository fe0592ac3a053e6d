import type { DatabaseClient } from "@hubfed/db";
import { findOpenHold, resolveHoldInTransaction } from "../credits/ledger";
import { transitionHub } from "../hubs/status";
import { acquireHubLease } from "./hub-lease";
import { runRecorded } from "./provisioning-run";
import { loadHubWithPlacement, runtimeContextFor, type RuntimeResolver } from "./runtime";

/**
 * Retires a DECOMMISSIONING hub (SPEC §3): the runtime scales it to zero and
 * keeps the students' homes (archives locally, labelled volumes on
 * Kubernetes), then the allocation's unused hold is released and the hub is
 * ARCHIVED. Recorded as a provisioning run; every step is idempotent.
 */
export async function decommissionHub(
  db: DatabaseClient,
  { hubId, runtimeFor, workerId }: { hubId: string; runtimeFor: RuntimeResolver; workerId: string },
) {
  const hub = await loadHubWithPlacement(db, hubId);
  if (!hub || hub.status !== "DECOMMISSIONING") return { outcome: "skipped" as const };
  const lease = await acquireHubLease(db, hubId, workerId, 10 * 60_000);
  if (!lease) return { outcome: "busy" as const };
  try {
    const runtime = runtimeFor(hub.cluster);
    const context = runtimeContextFor(db, hub);
    const steps = [
      ...(await runtime.planDecommission(context)),
      {
        name: "Release the unused hold",
        run: async () => {
          const allocation = await db.allocation.findUnique({ where: { hubId } });
          if (!allocation) return "no allocation";
          const released = await db.$transaction(async (tx) => {
            const hold = await findOpenHold(tx, allocation.ledgerAccountId);
            if (!hold) return 0n;
            await resolveHoldInTransaction(tx, {
              holdId: hold.id,
              resolution: "VOID_PENDING",
              idempotencyKey: `decommission:${hubId}:release-hold`,
              memo: "Hub retired: unused hold released",
            });
            return hold.amountCents;
          });
          return `${released} cents released to the pool`;
        },
      },
    ];
    const runId = await runRecorded(db, {
      hubId,
      trigger: "decommission",
      revision: hub.specRevision,
      steps,
      renewLease: async () => void (await lease.renew()),
    });
    await db.$transaction((tx) =>
      transitionHub(tx, {
        hub,
        from: ["DECOMMISSIONING"],
        to: "ARCHIVED",
        reason: "Retired: homes kept, unused credit released",
        actorId: null,
      }),
    );
    return { outcome: "archived" as const, runId };
  } finally {
    await lease.release();
  }
}
