import type { Actor } from "@hubfed/auth/permissions";
import {
  type Allocation,
  type DatabaseClient,
  type LimitPolicy,
  recordAuditEvent,
} from "@hubfed/db";
import { AppError } from "../errors";
import { parseAmountCents } from "./amount";
import { assertCanManageCredits } from "./credits-permission";
import {
  intentMetadata,
  openLedgerAccount,
  postTransferInTransaction,
  runOncePerKey,
  takeTransactionLock,
} from "./ledger";

// Allocations (SPEC §6): operators give institutions budgets from pools and move unheld credit
// between allocations. Each is a ledger transfer under the caller's idempotency key, run once
// as a whole (ADR 0008).

/** Gives an institution a budget from a pool (pool → institution); its hubs' holds then draw on it. */
export async function allocateToInstitution(
  db: DatabaseClient,
  actor: Actor,
  {
    poolId,
    institutionId,
    amountCents: requestedCents,
    idempotencyKey,
    limitPolicy = "NOTIFY",
  }: {
    poolId: string;
    institutionId: string;
    amountCents: bigint;
    idempotencyKey: string;
    limitPolicy?: LimitPolicy;
  },
): Promise<Allocation> {
  assertCanManageCredits(actor);
  // Refused at the edge, before anything is read or written (credits/amount.ts).
  const amountCents = parseAmountCents(requestedCents);
  const [pool, institution] = await Promise.all([
    db.creditPool.findUnique({ where: { id: poolId } }),
    db.institution.findUnique({ where: { id: institutionId } }),
  ]);
  if (!pool)
    throw new AppError("BAD_REQUEST", "Unknown pool", { poolId: ["is not a credit pool"] });
  if (!institution)
    throw new AppError("BAD_REQUEST", "Unknown institution", {
      institutionId: ["is not an institution"],
    });
  // The key names the operation and its target: reused for another pool or institution, it is
  // another operation, not a report of the first one's success.
  const key = `allocate:${poolId}:${institutionId}:${idempotencyKey}`;
  await runOncePerKey(db, key, { requestedCents: amountCents }, async (tx) => {
    // The first allocation of a pool to an institution is created once, whatever the keys.
    await takeTransactionLock(tx, `institution-allocation:${poolId}:${institutionId}`);
    const existing = await tx.allocation.findFirst({
      where: { poolId, institutionId, hubId: null },
    });
    const allocation =
      existing ??
      (await tx.allocation.create({
        data: {
          poolId,
          institutionId,
          name: `${institution.name} · ${pool.name}`,
          budgetCents: 0n,
          limitPolicy,
          ledgerAccountId: (
            await openLedgerAccount(tx, {
              code: `allocation:institution:${institution.slug}:${pool.slug}`,
              kind: "ALLOCATION",
              currency: pool.currency,
            })
          ).id,
        },
      }));
    await postTransferInTransaction(tx, {
      idempotencyKey: key,
      metadata: intentMetadata(amountCents),
      debitAccountId: pool.ledgerAccountId,
      creditAccountId: allocation.ledgerAccountId,
      amountCents,
      memo: `Allocation to ${institution.name}`,
    });
    await recordAuditEvent(tx, {
      actorId: actor.userId,
      action: "allocation.fund",
      subjectType: "Allocation",
      subjectId: allocation.id,
      details: { amountCents: amountCents.toString() },
    });
    await tx.allocation.update({
      where: { id: allocation.id },
      data: { budgetCents: { increment: amountCents } },
    });
  });
  return db.allocation.findFirstOrThrow({ where: { poolId, institutionId, hubId: null } });
}

/** Moves unheld credit between two allocations of the same currency (a correction is another transfer, never an edit). */
export async function transferBetweenAllocations(
  db: DatabaseClient,
  actor: Actor,
  {
    fromAllocationId,
    toAllocationId,
    amountCents: requestedCents,
    idempotencyKey,
  }: {
    fromAllocationId: string;
    toAllocationId: string;
    amountCents: bigint;
    idempotencyKey: string;
  },
) {
  assertCanManageCredits(actor);
  // Refused at the edge, before anything is read or written (credits/amount.ts).
  const amountCents = parseAmountCents(requestedCents);
  const [from, to] = await Promise.all([
    db.allocation.findUnique({ where: { id: fromAllocationId } }),
    db.allocation.findUnique({ where: { id: toAllocationId } }),
  ]);
  if (!from)
    throw new AppError("BAD_REQUEST", "Unknown allocation", {
      fromAllocationId: ["is not an allocation"],
    });
  if (!to)
    throw new AppError("BAD_REQUEST", "Unknown allocation", {
      toAllocationId: ["is not an allocation"],
    });
  const key = `allocation-transfer:${fromAllocationId}:${toAllocationId}:${idempotencyKey}`;
  await runOncePerKey(db, key, { requestedCents: amountCents }, async (tx) => {
    await postTransferInTransaction(tx, {
      idempotencyKey: key,
      metadata: intentMetadata(amountCents),
      debitAccountId: from.ledgerAccountId,
      creditAccountId: to.ledgerAccountId,
      amountCents,
      memo: `Transfer from ${from.name} to ${to.name}`,
    });
    await tx.allocation.update({
      where: { id: from.id },
      data: { budgetCents: { decrement: amountCents } },
    });
    await tx.allocation.update({
      where: { id: to.id },
      data: { budgetCents: { increment: amountCents } },
    });
    await recordAuditEvent(tx, {
      actorId: actor.userId,
      action: "allocation.transfer",
      subjectType: "Allocation",
      subjectId: from.id,
      details: { to: to.id, amountCents: amountCents.toString() },
    });
  });
  return db.ledgerTransfer.findUniqueOrThrow({ where: { idempotencyKey: key } });
}
