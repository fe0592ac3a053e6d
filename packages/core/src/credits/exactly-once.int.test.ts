import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@hubfed/auth/permissions";
import type { DatabaseClient } from "@hubfed/db";
import { useTestDatabase } from "@hubfed/db/testing";
import { actorFor, seedDemoFederation } from "../testing/demo-federation";
import { availableCents, openLedgerAccount, placeHold, postTransfer, resolveHold } from "./ledger";
import { allocateToInstitution, transferBetweenAllocations } from "./allocations";
import { expireCredits } from "./expiry";
import { createCreditPool, topUpPool } from "./pools";
import { findLedgerMismatches } from "./balance-check";

// Money operations run exactly once as a whole (ledger rows, budgets, face
// values, audit events), however many times one is started at once with one
// key; every retry gets the original result, never an error. Checked
// afterwards in SQL: budgets and face values equal what the ledger says.

const database = useTestDatabase();
let ops: Actor;
let sequence = 0;

beforeAll(async () => {
  await seedDemoFederation(database().db);
  ops = await actorFor(database().db, "ops@hubfed.example");
});

async function newPool(db: DatabaseClient, amountCents: bigint) {
  sequence += 1;
  return createCreditPool(db, ops, {
    slug: `race-pool-${sequence}`,
    name: `Race pool ${sequence}`,
    regionSlug: "us-west",
    cloudSlug: "gcp",
    source: "GRANT",
    amountCents,
    startsAt: new Date("2026-01-01"),
    expiresAt: new Date("2030-01-01"),
  });
}

const settleAll = <T>(count: number, run: () => Promise<T>) =>
  Promise.allSettled(Array.from({ length: count }, run));

const fulfilled = <T>(outcomes: PromiseSettledResult<T>[]) =>
  outcomes.flatMap((outcome) => (outcome.status === "fulfilled" ? [outcome.value] : []));

async function expectLedgerConsistent(db: DatabaseClient) {
  expect(await findLedgerMismatches(db)).toEqual([]);
}

describe.each([2, 6, 50])("%i identical requests at once", (count) => {
  it("top a pool up once: one transfer, one face-value increase, one audit event", async () => {
    const db = database().db;
    const pool = await newPool(db, 1_000n);
    const outcomes = await settleAll(count, () =>
      topUpPool(db, ops, { poolId: pool.id, amountCents: 500n, idempotencyKey: `top-${count}-x` }),
    );
    const results = fulfilled(outcomes);
    expect(results).toHaveLength(count);
    expect(new Set(results.map((transfer) => transfer.id)).size).toBe(1);
    const after = await db.creditPool.findUniqueOrThrow({
      where: { id: pool.id },
      include: { ledgerAccount: true },
    });
    expect(after.amountCents).toBe(1_500n);
    expect(after.ledgerAccount.postedCreditsCents).toBe(1_500n);
    expect(
      await db.auditEvent.count({ where: { action: "credit-pool.top-up", subjectId: pool.id } }),
    ).toBe(1);
    await expectLedgerConsistent(db);
  });

  it("allocate to an institution once: the budget equals what the ledger moved", async () => {
    const db = database().db;
    const pool = await newPool(db, 10_000n);
    const institution = await db.institution.findUniqueOrThrow({ where: { slug: "cascade" } });
    const outcomes = await settleAll(count, () =>
      allocateToInstitution(db, ops, {
        poolId: pool.id,
        institutionId: institution.id,
        amountCents: 4_000n,
        idempotencyKey: `alloc-${count}-x`,
      }),
    );
    expect(fulfilled(outcomes)).toHaveLength(count);
    const allocations = await db.allocation.findMany({
      where: { poolId: pool.id, institutionId: institution.id },
      include: { ledgerAccount: true },
    });
    expect(allocations).toHaveLength(1);
    expect(allocations[0]!.budgetCents).toBe(4_000n);
    expect(availableCents(allocations[0]!.ledgerAccount)).toBe(4_000n);
    expect(
      await db.auditEvent.count({
        where: { action: "allocation.fund", subjectId: allocations[0]!.id },
      }),
    ).toBe(1);
  });

  it("post a transfer with one key against exactly enough funds: every caller gets the one transfer", async () => {
    const db = database().db;
    const pool = await newPool(db, 700n);
    const target = await openLedgerAccount(db, {
      code: `race-target-${count}`,
      kind: "ALLOCATION",
      currency: "USD",
    });
    const outcomes = await settleAll(count, () =>
      postTransfer(db, {
        idempotencyKey: `exact-${count}`,
        debitAccountId: pool.ledgerAccountId,
        creditAccountId: target.id,
        amountCents: 700n,
        memo: "all of it",
      }),
    );
    const results = fulfilled(outcomes);
    expect(results).toHaveLength(count);
    expect(new Set(results.map((transfer) => transfer.id)).size).toBe(1);
  });

  it("resolve a hold with one key: every caller gets the one resolution", async () => {
    const db = database().db;
    const pool = await newPool(db, 1_000n);
    const target = await openLedgerAccount(db, {
      code: `race-hold-${count}`,
      kind: "ALLOCATION",
      currency: "USD",
    });
    const hold = await placeHold(db, {
      idempotencyKey: `hold-${count}`,
      debitAccountId: pool.ledgerAccountId,
      creditAccountId: target.id,
      amountCents: 400n,
      memo: "estimate",
      expiresAt: new Date("2030-01-01"),
    });
    const outcomes = await settleAll(count, () =>
      resolveHold(db, {
        holdId: hold.id,
        resolution: "VOID_PENDING",
        idempotencyKey: `release-${count}`,
        memo: "release",
      }),
    );
    const results = fulfilled(outcomes);
    expect(results).toHaveLength(count);
    expect(new Set(results.map((transfer) => transfer.id)).size).toBe(1);
    await expectLedgerConsistent(db);
  });
});

describe("different requests at once", () => {
  it("first allocations of one pool to one institution with different keys all land on one allocation", async () => {
    const db = database().db;
    const pool = await newPool(db, 10_000n);
    const institution = await db.institution.findUniqueOrThrow({ where: { slug: "west-valley" } });
    const outcomes = await settleAll(6, () => {
      sequence += 1;
      return allocateToInstitution(db, ops, {
        poolId: pool.id,
        institutionId: institution.id,
        amountCents: 1_000n,
        idempotencyKey: `first-${sequence}`,
      });
    });
    expect(fulfilled(outcomes)).toHaveLength(6);
    const allocations = await db.allocation.findMany({
      where: { poolId: pool.id, institutionId: institution.id },
    });
    expect(allocations).toHaveLength(1);
    expect(allocations[0]!.budgetCents).toBe(6_000n);
  });

  it("many moves with different keys move only what there is, and budgets follow the ledger", async () => {
    const db = database().db;
    const pool = await newPool(db, 10_000n);
    const [westValley, cascade] = await Promise.all([
      db.institution.findUniqueOrThrow({ where: { slug: "west-valley" } }),
      db.institution.findUniqueOrThrow({ where: { slug: "cascade" } }),
    ]);
    const from = await allocateToInstitution(db, ops, {
      poolId: pool.id,
      institutionId: westValley.id,
      amountCents: 5_000n,
      idempotencyKey: "move-source",
    });
    const to = await allocateToInstitution(db, ops, {
      poolId: pool.id,
      institutionId: cascade.id,
      amountCents: 1n,
      idempotencyKey: "move-target",
    });
    const outcomes = await settleAll(12, () => {
      sequence += 1;
      return transferBetweenAllocations(db, ops, {
        fromAllocationId: from.id,
        toAllocationId: to.id,
        amountCents: 1_000n,
        idempotencyKey: `move-${sequence}`,
      });
    });
    expect(fulfilled(outcomes)).toHaveLength(5);
    const [source, target] = await Promise.all(
      [from.id, to.id].map((id) =>
        db.allocation.findUniqueOrThrow({ where: { id }, include: { ledgerAccount: true } }),
      ),
    );
    expect(source!.budgetCents).toBe(0n);
    expect(target!.budgetCents).toBe(5_001n);
    for (const allocation of [source!, target!])
      expect(allocation.budgetCents).toBe(availableCents(allocation.ledgerAccount));
    await expectLedgerConsistent(db);
  });

  it("a key reused with another amount is refused, not reported done", async () => {
    const db = database().db;
    const pool = await newPool(db, 1_000n);
    await topUpPool(db, ops, { poolId: pool.id, amountCents: 100n, idempotencyKey: "reuse-1" });
    await expect(
      topUpPool(db, ops, { poolId: pool.id, amountCents: 900n, idempotencyKey: "reuse-1" }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
      fieldErrors: { amountCents: expect.any(Array) as unknown },
    });
    // The same key for another pool is another operation.
    const other = await newPool(db, 1_000n);
    await topUpPool(db, ops, { poolId: other.id, amountCents: 900n, idempotencyKey: "reuse-1" });
    const [first, second] = await Promise.all(
      [pool.id, other.id].map((id) => db.creditPool.findUniqueOrThrow({ where: { id } })),
    );
    expect([first!.amountCents, second!.amountCents]).toEqual([1_100n, 1_900n]);
  });

  it("accounts opened by many at once are one account", async () => {
    const db = database().db;
    const accounts = await Promise.all(
      Array.from({ length: 20 }, () =>
        openLedgerAccount(db, { code: "race:one-account", kind: "POOL", currency: "USD" }),
      ),
    );
    expect(new Set(accounts.map((account) => account.id)).size).toBe(1);
  });

  it("two expiry sweeps at once both finish", async () => {
    const db = database().db;
    const results = await Promise.allSettled([expireCredits(db), expireCredits(db)]);
    expect(results.map((result) => result.status)).toEqual(["fulfilled", "fulfilled"]);
  });
});
