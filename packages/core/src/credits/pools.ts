import type { Actor } from "@hubfed/auth/permissions";
import {
  type CreditPool,
  type CreditSource,
  type DatabaseClient,
  type Transaction,
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
} from "./ledger";

// Pools (SPEC §6): operators create pools per cloud billing entity and top them up. Every money
// movement is a ledger transfer with an idempotency key the caller supplies (a form's submission
// id), so a double-clicked button posts once. Allocations from a pool are in allocations.ts, a
// hub's top-ups in hub-allocation-top-up.ts, expiry in expiry.ts.

export interface CreatePoolInput {
  slug: string;
  name: string;
  regionSlug: string;
  cloudSlug: string;
  source: CreditSource;
  amountCents: bigint;
  startsAt: Date;
  expiresAt: Date;
  note?: string;
}

export interface FundedPoolInput {
  slug: string;
  name: string;
  regionId: string;
  cloudId: string;
  currency: string;
  source: CreditSource;
  amountCents: bigint;
  startsAt: Date;
  expiresAt: Date;
  note?: string;
}

/**
 * Opens a pool with its ledger accounts and posts its initial funding, in the
 * caller's transaction. Idempotent by slug (the pool) and by the funding
 * transfer's key, so the demo seed can run it on every start.
 */
export async function openFundedPool(tx: Transaction, input: FundedPoolInput): Promise<CreditPool> {
  parseAmountCents(input.amountCents);
  const poolAccount = await openLedgerAccount(tx, {
    code: `pool:${input.slug}`,
    kind: "POOL",
    currency: input.currency,
  });
  const fundingAccount = await openLedgerAccount(tx, {
    code: `funding:${input.slug}`,
    kind: "FUNDING",
    currency: input.currency,
  });
  const pool = await tx.creditPool.upsert({
    where: { slug: input.slug },
    update: {},
    create: {
      slug: input.slug,
      name: input.name,
      regionId: input.regionId,
      cloudId: input.cloudId,
      source: input.source,
      amountCents: input.amountCents,
      currency: input.currency,
      startsAt: input.startsAt,
      expiresAt: input.expiresAt,
      note: input.note,
      ledgerAccountId: poolAccount.id,
    },
  });
  await postTransferInTransaction(tx, {
    idempotencyKey: `pool:${input.slug}:initial-funding`,
    debitAccountId: fundingAccount.id,
    creditAccountId: poolAccount.id,
    amountCents: input.amountCents,
    memo: `Initial funding of ${input.name}`,
  });
  return pool;
}

export async function createCreditPool(
  db: DatabaseClient,
  actor: Actor,
  input: CreatePoolInput,
): Promise<CreditPool> {
  assertCanManageCredits(actor);
  if (input.expiresAt <= input.startsAt)
    throw new AppError("BAD_REQUEST", "A pool must expire after it starts", {
      expiresAt: ["must be after the start"],
    });
  parseAmountCents(input.amountCents);
  const region = await db.region.findUnique({
    where: { slug: input.regionSlug },
    include: { clouds: true },
  });
  if (!region)
    throw new AppError("BAD_REQUEST", "Unknown region", { regionSlug: ["is not a region"] });
  const cloud = region.clouds.find((candidate) => candidate.slug === input.cloudSlug);
  if (!cloud)
    throw new AppError("BAD_REQUEST", "Unknown cloud", {
      cloudSlug: ["is not a cloud billing entity of this region"],
    });
  if (await db.creditPool.findUnique({ where: { slug: input.slug } }))
    throw new AppError("CONFLICT", "That slug is taken", {
      slug: ["is already used by another pool"],
    });
  return db.$transaction(async (tx) => {
    const pool = await openFundedPool(tx, {
      ...input,
      regionId: region.id,
      cloudId: cloud.id,
      currency: region.currency,
    });
    await recordAuditEvent(tx, {
      actorId: actor.userId,
      action: "credit-pool.create",
      subjectType: "CreditPool",
      subjectId: pool.id,
      details: { amountCents: input.amountCents.toString() },
    });
    return pool;
  });
}

export async function topUpPool(
  db: DatabaseClient,
  actor: Actor,
  {
    poolId,
    amountCents: requestedCents,
    idempotencyKey,
    note,
  }: { poolId: string; amountCents: bigint; idempotencyKey: string; note?: string },
) {
  assertCanManageCredits(actor);
  // Refused at the edge, before anything is read or written (credits/amount.ts).
  const amountCents = parseAmountCents(requestedCents);
  const pool = await db.creditPool.findUnique({ where: { id: poolId } });
  if (!pool) throw new AppError("NOT_FOUND", "Pool not found");
  const key = `pool-top-up:${poolId}:${idempotencyKey}`;
  await runOncePerKey(db, key, { requestedCents: amountCents }, async (tx) => {
    const fundingAccount = await openLedgerAccount(tx, {
      code: `funding:${pool.slug}`,
      kind: "FUNDING",
      currency: pool.currency,
    });
    const transfer = await postTransferInTransaction(tx, {
      idempotencyKey: key,
      metadata: intentMetadata(amountCents),
      debitAccountId: fundingAccount.id,
      creditAccountId: pool.ledgerAccountId,
      amountCents,
      memo: note ?? `Top-up of ${pool.name}`,
    });
    await tx.creditPool.update({
      where: { id: pool.id },
      data: { amountCents: { increment: amountCents } },
    });
    await recordAuditEvent(tx, {
      actorId: actor.userId,
      action: "credit-pool.top-up",
      subjectType: "CreditPool",
      subjectId: pool.id,
      details: { amountCents: amountCents.toString(), transferId: transfer.id },
    });
  });
  return db.ledgerTransfer.findUniqueOrThrow({ where: { idempotencyKey: key } });
}
