import { type DatabaseClient, type DailyUsageCost, type Transaction } from "@hubfed/db";
import { AppError } from "../errors";
import {
  findOpenHold,
  openLedgerAccount,
  placeHoldInTransaction,
  postTransferInTransaction,
  resolveHoldInTransaction,
} from "./ledger";

/** A hub's day of usage, priced: what the ledger posts as its burn. */
export interface PricedDay {
  /** Thousandths of a node-hour. */
  nodeMilliHours: number;
  storageMibDays: bigint;
  costCents: bigint;
}

/** The account a hub allocation draws from: its institution allocation when it has one, else the pool. */
export async function fundingAccountOf(
  tx: Transaction | DatabaseClient,
  allocation: { parentId: string | null; poolId: string },
): Promise<string> {
  if (allocation.parentId) {
    const parent = await tx.allocation.findUniqueOrThrow({
      where: { id: allocation.parentId },
      select: { ledgerAccountId: true },
    });
    return parent.ledgerAccountId;
  }
  const pool = await tx.creditPool.findUniqueOrThrow({
    where: { id: allocation.poolId },
    select: { ledgerAccountId: true },
  });
  return pool.ledgerAccountId;
}

function dayKey(day: Date): string {
  return day.toISOString().slice(0, 10);
}

/**
 * Posts one hub-day of metered cost, exactly once (DailyUsageCost is unique
 * per hub and day; every transfer's idempotency key names the hub and day).
 * The burn draws the approval's hold down: in one transaction the open hold
 * is voided, the day's cost moves from the funding account to the hub's
 * allocation and on to usage, and a new hold is placed for what remains of
 * the estimate. Running it twice for the same day changes nothing.
 */
export async function postDailyBurn(
  db: DatabaseClient,
  { hubId, day, priced }: { hubId: string; day: Date; priced: PricedDay },
): Promise<DailyUsageCost> {
  const existing = await db.dailyUsageCost.findUnique({ where: { hubId_day: { hubId, day } } });
  if (existing) return existing;
  const allocation = await db.allocation.findUnique({
    where: { hubId },
    include: { pool: { select: { slug: true, currency: true } } },
  });
  if (!allocation)
    throw new AppError("PRECONDITION_FAILED", `Hub ${hubId} has no allocation to burn against`);
  const key = `burn:${hubId}:${dayKey(day)}`;
  try {
    return await db.$transaction(async (tx) => {
      const cost = await tx.dailyUsageCost.create({
        data: {
          hubId,
          day,
          nodeMilliHours: priced.nodeMilliHours,
          storageMibDays: priced.storageMibDays,
          costCents: priced.costCents,
        },
      });
      if (priced.costCents === 0n) return cost;
      const fundingAccountId = await fundingAccountOf(tx, allocation);
      const usageAccount = await openLedgerAccount(tx, {
        code: `usage:${allocation.pool.slug}`,
        kind: "USAGE",
        currency: allocation.pool.currency,
      });
      const openHold = await findOpenHold(tx, allocation.ledgerAccountId);
      if (openHold) {
        await resolveHoldInTransaction(tx, {
          holdId: openHold.id,
          resolution: "VOID_PENDING",
          idempotencyKey: `${key}:release-hold`,
          memo: "Hold released to post the day's usage",
        });
      }
      await postTransferInTransaction(tx, {
        idempotencyKey: `${key}:fund`,
        debitAccountId: fundingAccountId,
        creditAccountId: allocation.ledgerAccountId,
        amountCents: priced.costCents,
        memo: `Usage ${dayKey(day)}`,
      });
      const burn = await postTransferInTransaction(tx, {
        idempotencyKey: `${key}:burn`,
        debitAccountId: allocation.ledgerAccountId,
        creditAccountId: usageAccount.id,
        amountCents: priced.costCents,
        memo: `Usage ${dayKey(day)}`,
        metadata: { hubId, day: dayKey(day), nodeMilliHours: priced.nodeMilliHours },
      });
      const remaining = (openHold?.amountCents ?? 0n) - priced.costCents;
      if (openHold && remaining > 0n) {
        await placeHoldInTransaction(tx, {
          idempotencyKey: `${key}:hold`,
          debitAccountId: fundingAccountId,
          creditAccountId: allocation.ledgerAccountId,
          amountCents: remaining,
          memo: "Remaining estimate after the day's usage",
          expiresAt: openHold.expiresAt ?? new Date(day.getTime() + 30 * 86_400_000),
        });
      }
      return tx.dailyUsageCost.update({ where: { id: cost.id }, data: { transferId: burn.id } });
    });
  } catch (error) {
    const raced = await db.dailyUsageCost.findUnique({ where: { hubId_day: { hubId, day } } });
    if (raced) return raced;
    throw error;
  }
}
