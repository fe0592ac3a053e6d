import type { DatabaseClient } from "@hubfed/db";
import { notify } from "../audit";
import { isAppError } from "../errors";
import {
  availableCents,
  openLedgerAccount,
  postTransferInTransaction,
  resolveHoldInTransaction,
} from "./ledger";

/**
 * Expiry (credits expire, REFERENCE §5): holds past their own expiry are
 * expired, once each; then a pool past its expiry has what is left moved to
 * its expiry account.
 */
export async function expireCredits(
  db: DatabaseClient,
  { now = new Date() }: { now?: Date } = {},
): Promise<{ expiredPools: string[]; expiredHolds: number }> {
  const holds = await db.ledgerTransfer.findMany({
    where: { kind: "PENDING", resolution: null, expiresAt: { lte: now } },
    select: { id: true },
  });
  let expiredHolds = 0;
  for (const hold of holds) {
    try {
      await db.$transaction((tx) =>
        resolveHoldInTransaction(tx, {
          holdId: hold.id,
          resolution: "EXPIRE_PENDING",
          idempotencyKey: `hold:${hold.id}:expire`,
          memo: "Hold expired",
        }),
      );
      expiredHolds += 1;
    } catch (error) {
      // Resolved meanwhile (voided by its hub, or by a concurrent sweep): nothing left to expire.
      // One such hold never stops the sweep of the others.
      if (isAppError(error) && error.code === "CONFLICT") continue;
      throw error;
    }
  }
  const expiredPools: string[] = [];
  const pools = await db.creditPool.findMany({
    where: { expiresAt: { lte: now } },
    include: { ledgerAccount: true },
  });
  for (const pool of pools) {
    const remaining = availableCents(pool.ledgerAccount);
    if (remaining <= 0n) continue;
    await db.$transaction(async (tx) => {
      const expiry = await openLedgerAccount(tx, {
        code: `expiry:${pool.slug}`,
        kind: "EXPIRY",
        currency: pool.currency,
      });
      await postTransferInTransaction(tx, {
        // Keyed by the pool's state: a retry at the same state posts once; money that
        // comes back later (a released hold) is expired by a new transfer.
        idempotencyKey: `pool:${pool.slug}:expiry:${pool.ledgerAccount.postedDebitsCents}`,
        debitAccountId: pool.ledgerAccountId,
        creditAccountId: expiry.id,
        amountCents: remaining,
        memo: `${pool.name} expired`,
      });
      const operators = await tx.user.findMany({
        where: { isOperator: true },
        select: { id: true },
      });
      await notify(tx, {
        userIds: operators.map((user) => user.id),
        kind: "credit-pool.expired",
        title: `${pool.name} expired`,
        body: `${remaining} cents of unused credit expired.`,
        href: "/ops/credits",
      });
    });
    expiredPools.push(pool.slug);
  }
  return { expiredPools, expiredHolds };
}
