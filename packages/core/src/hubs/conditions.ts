import type { DatabaseClient, Transaction } from "@hubfed/db";

// A hub's conditions, Kubernetes style: a type ("Provisioned", "Ready",
// "WithinBudget", "CapacityApplied"), TRUE, FALSE or UNKNOWN, a reason and a
// message. Each concern writes its own types through this one writer; the
// hub page shows them all.

export interface HubConditionValue {
  type: string;
  status: "TRUE" | "FALSE" | "UNKNOWN";
  reason: string;
  message?: string | null;
}

/**
 * Sets conditions, reading them in one query and writing only those that
 * differ: a job that finds a hub as it left it writes nothing.
 * lastTransitionAt moves (to `at`) only when the status does.
 */
export async function setHubConditions(
  db: DatabaseClient | Transaction,
  hubId: string,
  conditions: readonly HubConditionValue[],
  { at = new Date() }: { at?: Date } = {},
): Promise<void> {
  const existing = await db.hubCondition.findMany({
    where: { hubId, type: { in: conditions.map((condition) => condition.type) } },
  });
  for (const { type, status, reason, message = null } of conditions) {
    const current = existing.find((condition) => condition.type === type);
    if (current?.status === status && current.reason === reason && current.message === message)
      continue;
    const isTransition = current?.status !== status;
    await db.hubCondition.upsert({
      where: { hubId_type: { hubId, type } },
      update: { status, reason, message, ...(isTransition ? { lastTransitionAt: at } : {}) },
      create: { hubId, type, status, reason, message, lastTransitionAt: at },
    });
  }
}
