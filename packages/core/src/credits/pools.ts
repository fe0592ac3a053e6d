import { can, type Actor } from "@hubfed/auth/permissions";
import {
  type Allocation,
  type CreditPool,
  type CreditSource,
  type DatabaseClient,
  type LimitPolicy,
  type Transaction,
  recordAuditEvent,
} from "@hubfed/db";
import { notify } from "../audit";
import { AppError, isAppError } from "../errors";
import type { HubBudgetSwitch } from "./hub-budget-switch";
import {
  availableCents,
  findOpenHold,
  openLedgerAccount,
  placeHoldInTransaction,
  postTransferInTransaction,
  resolveHoldInTransaction,
  intentMetadata,
  runOncePerKey,
  takeTransactionLock,
} from "./ledger";
import { parseAmountCents } from "./amount";
import { fundingAccountOf } from "./burn";

// Pools and allocations (SPEC §6): operators create pools per cloud billing
// entity, top them up, allocate to institutions and move credit between
// allocations. Every money movement is a ledger transfer with an
// idempotency key the caller supplies (a form's submission id), so a
// double-clicked button posts once.

function assertCanManageCredits(actor: Actor): void {
  if (!can(actor, "credits.manage"))
    throw new AppError("FORBIDDEN", "Only federation operators manage credits");
}

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

/**
 * Adds budget to a hub's allocation: a further hold on its funding account
 * for the amount. A hub suspended because its allocation ran out resumes
 * once the allocation is under budget again; alerts above the new level are
 * re-armed.
 */
export async function topUpHubAllocation(
  db: DatabaseClient,
  actor: Actor,
  {
    allocationId,
    amountCents: requestedCents,
    idempotencyKey,
  }: { allocationId: string; amountCents: bigint; idempotencyKey: string },
  hubs: HubBudgetSwitch,
) {
  assertCanManageCredits(actor);
  // Refused at the edge, before anything is read or written (credits/amount.ts).
  const amountCents = parseAmountCents(requestedCents);
  const allocation = await db.allocation.findUnique({
    where: { id: allocationId },
    include: { hub: true, ledgerAccount: true },
  });
  if (!allocation?.hub)
    throw new AppError("BAD_REQUEST", "Unknown hub allocation", {
      allocationId: ["is not a hub's allocation"],
    });
  const hub = allocation.hub;
  const key = `top-up:${allocationId}:${idempotencyKey}`;
  await runOncePerKey(db, `${key}:hold`, { requestedCents: amountCents }, async (tx) => {
    const fundingAccountId = await fundingAccountOf(tx, allocation);
    const openHold = await findOpenHold(tx, allocation.ledgerAccountId);
    const expiresAt = openHold?.expiresAt ?? new Date(Date.now() + 90 * 86_400_000);
    if (openHold)
      await resolveHoldInTransaction(tx, {
        holdId: openHold.id,
        resolution: "VOID_PENDING",
        idempotencyKey: `${key}:release-hold`,
        memo: "Hold replaced by a larger one",
      });
    await placeHoldInTransaction(tx, {
      idempotencyKey: `${key}:hold`,
      metadata: intentMetadata(amountCents),
      debitAccountId: fundingAccountId,
      creditAccountId: allocation.ledgerAccountId,
      amountCents: (openHold?.amountCents ?? 0n) + amountCents,
      memo: "Allocation top-up",
      expiresAt,
    });
    const updated = await tx.allocation.update({
      where: { id: allocation.id },
      data: { budgetCents: { increment: amountCents } },
    });
    const burnedPercent =
      updated.budgetCents > 0n
        ? Number((allocation.ledgerAccount.postedDebitsCents * 100n) / updated.budgetCents)
        : 100;
    await tx.allocationAlert.deleteMany({
      where: { allocationId: allocation.id, thresholdPercent: { gt: burnedPercent } },
    });
    await recordAuditEvent(tx, {
      actorId: actor.userId,
      action: "allocation.top-up",
      subjectType: "Allocation",
      subjectId: allocation.id,
      details: { amountCents: amountCents.toString() },
    });
    if (hub.status === "SUSPENDED" && burnedPercent < 100)
      await hubs.resumeAfterTopUp(tx, hub, actor.userId);
  });
  return db.allocation.findUniqueOrThrow({ where: { id: allocation.id } });
}

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
