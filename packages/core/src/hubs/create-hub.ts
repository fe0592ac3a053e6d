import { type Course, type CreditPool, type Hub, type Transaction } from "@hubfed/db";
import { openLedgerAccount, placeHoldInTransaction } from "../credits";
import type { HubSpec } from "@hubfed/hub-spec";

/** Holds outlive the course by this much, so late usage can still be posted against them. */
const holdGraceDays = 30;

/** The idempotency key of the hold an approval places. */
export function approvalHoldKey(requestId: string): string {
  return `hub-request:${requestId}:approval-hold`;
}

export interface CreateHubInput {
  course: Pick<Course, "id" | "slug" | "code" | "term" | "institutionId" | "endDate">;
  clusterId: string;
  pool: Pick<CreditPool, "id" | "currency" | "ledgerAccountId">;
  /**
   * The institution's allocation from this pool, when ops gave it one: the
   * hub's allocation sits under it and its hold draws on it (pool →
   * institution → hub). Without one, the hold draws on the pool directly.
   */
  institutionAllocation?: { id: string; ledgerAccountId: string } | null;
  spec: HubSpec;
  /** The estimate held on the pool for this hub. */
  holdCents: bigint;
  /** The approved request; it names the hold, so a retried approval never holds twice. */
  requestId: string;
}

/**
 * Creates a course's hub (PENDING) with its allocation (pool → institution →
 * hub) and a hold for the estimate on the pool, inside the caller's
 * transaction: approval and the demo seed use the same path.
 */
export async function createHubWithHold(
  tx: Transaction,
  input: CreateHubInput,
): Promise<{ hub: Hub; holdTransferId: string }> {
  const hub = await tx.hub.create({
    data: {
      slug: input.course.slug,
      courseId: input.course.id,
      clusterId: input.clusterId,
      status: "PENDING",
      statusReason: "Waiting to be provisioned",
      spec: input.spec,
    },
  });
  const allocationAccount = await openLedgerAccount(tx, {
    code: `allocation:hub:${hub.slug}`,
    kind: "ALLOCATION",
    currency: input.pool.currency,
  });
  await tx.allocation.create({
    data: {
      poolId: input.pool.id,
      institutionId: input.course.institutionId,
      hubId: hub.id,
      parentId: input.institutionAllocation?.id ?? null,
      name: `${input.course.code} ${input.course.term}`,
      budgetCents: input.holdCents,
      ledgerAccountId: allocationAccount.id,
    },
  });
  const hold = await placeHoldInTransaction(tx, {
    idempotencyKey: approvalHoldKey(input.requestId),
    debitAccountId: input.institutionAllocation?.ledgerAccountId ?? input.pool.ledgerAccountId,
    creditAccountId: allocationAccount.id,
    amountCents: input.holdCents,
    memo: `Estimate for ${input.course.code} ${input.course.term}`,
    expiresAt: new Date(input.course.endDate.getTime() + holdGraceDays * 86_400_000),
    metadata: { hubId: hub.id, hubRequestId: input.requestId },
  });
  return { hub, holdTransferId: hold.id };
}
