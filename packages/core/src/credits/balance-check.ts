import type { DatabaseClient } from "@hubfed/db";

export interface BalanceMismatch {
  accountId: string;
  code: string;
  field: "postedDebitsCents" | "postedCreditsCents" | "pendingDebitsCents" | "pendingCreditsCents";
  cached: bigint;
  derived: bigint;
}

/**
 * Re-derives every account's balances from the transfers alone and reports
 * where the cached balances differ (SPEC §6: every balance can be derived
 * from the transfers). Posted = SINGLE + POST_PENDING; pending = PENDING
 * transfers not yet resolved. An empty result is the proof.
 */
export async function findLedgerMismatches(db: DatabaseClient): Promise<BalanceMismatch[]> {
  const rows = await db.$queryRaw<
    Array<{
      id: string;
      code: string;
      posted_debits: bigint;
      posted_credits: bigint;
      pending_debits: bigint;
      pending_credits: bigint;
      cached_posted_debits: bigint;
      cached_posted_credits: bigint;
      cached_pending_debits: bigint;
      cached_pending_credits: bigint;
    }>
  >`
    WITH movements AS (
      SELECT t."debitAccountId" AS account_id, t."amountCents" AS amount, 'debit' AS side, t.kind::text AS kind, t.id,
             EXISTS (SELECT 1 FROM "LedgerTransfer" r WHERE r."pendingTransferId" = t.id) AS is_resolved
      FROM "LedgerTransfer" t
      UNION ALL
      SELECT t."creditAccountId", t."amountCents", 'credit', t.kind::text, t.id,
             EXISTS (SELECT 1 FROM "LedgerTransfer" r WHERE r."pendingTransferId" = t.id)
      FROM "LedgerTransfer" t
    )
    SELECT a.id, a.code,
      COALESCE(SUM(m.amount) FILTER (WHERE m.side = 'debit' AND m.kind IN ('SINGLE', 'POST_PENDING')), 0)::bigint AS posted_debits,
      COALESCE(SUM(m.amount) FILTER (WHERE m.side = 'credit' AND m.kind IN ('SINGLE', 'POST_PENDING')), 0)::bigint AS posted_credits,
      COALESCE(SUM(m.amount) FILTER (WHERE m.side = 'debit' AND m.kind = 'PENDING' AND NOT m.is_resolved), 0)::bigint AS pending_debits,
      COALESCE(SUM(m.amount) FILTER (WHERE m.side = 'credit' AND m.kind = 'PENDING' AND NOT m.is_resolved), 0)::bigint AS pending_credits,
      a."postedDebitsCents" AS cached_posted_debits, a."postedCreditsCents" AS cached_posted_credits,
      a."pendingDebitsCents" AS cached_pending_debits, a."pendingCreditsCents" AS cached_pending_credits
    FROM "LedgerAccount" a LEFT JOIN movements m ON m.account_id = a.id
    GROUP BY a.id`;
  const mismatches: BalanceMismatch[] = [];
  for (const row of rows) {
    const pairs: Array<[BalanceMismatch["field"], bigint, bigint]> = [
      ["postedDebitsCents", row.cached_posted_debits, row.posted_debits],
      ["postedCreditsCents", row.cached_posted_credits, row.posted_credits],
      ["pendingDebitsCents", row.cached_pending_debits, row.pending_debits],
      ["pendingCreditsCents", row.cached_pending_credits, row.pending_credits],
    ];
    for (const [field, cached, derived] of pairs) {
      if (BigInt(cached) !== BigInt(derived))
        mismatches.push({
          accountId: row.id,
          code: row.code,
          field,
          cached: BigInt(cached),
          derived: BigInt(derived),
        });
    }
  }
  return mismatches;
}
