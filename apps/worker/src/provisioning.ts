import type { DatabaseClient } from "@hubfed/db";

/**
 * Until a provisioning runtime lands (the provisioning issue), a queued
 * provisioning job records on the hub that it is waiting for one, as a
 * condition the portal shows. Idempotent: running it twice changes nothing.
 */
export async function recordProvisioningWait(
  db: DatabaseClient,
  hubId: string,
): Promise<{ hubId: string; isWaiting: boolean }> {
  const hub = await db.hub.findUnique({ where: { id: hubId }, select: { id: true, status: true } });
  if (!hub) return { hubId, isWaiting: false };
  await db.hubCondition.upsert({
    where: { hubId_type: { hubId, type: "Provisioned" } },
    update: {},
    create: {
      hubId,
      type: "Provisioned",
      status: "UNKNOWN",
      reason: "AwaitingRuntime",
      message: "Queued: waiting for a provisioning runtime to take this hub.",
    },
  });
  if (hub.status === "PENDING") {
    await db.hub.update({
      where: { id: hubId },
      data: { statusReason: "Queued for provisioning: waiting for a provisioning runtime" },
    });
  }
  return { hubId, isWaiting: true };
}
