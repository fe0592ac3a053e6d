import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@hubfed/auth/permissions";
import { useTestDatabase } from "@hubfed/db/testing";
import { actorFor, seedDemoFederation } from "../testing/demo-federation";
import { availableCents, placeHold } from "./ledger";
import { allocateToInstitution, transferBetweenAllocations } from "./allocations";
import { expireCredits } from "./expiry";
import { createCreditPool, topUpPool } from "./pools";
import { findLedgerMismatches } from "./balance-check";

const database = useTestDatabase();
let ops: Actor;
let admin: Actor;

beforeAll(async () => {
  await seedDemoFederation(database().db);
  ops = await actorFor(database().db, "ops@hubfed.example");
  admin = await actorFor(database().db, "it-admin@westvalley.edu");
});

async function poolBalance(poolId: string) {
  const pool = await database().db.creditPool.findUniqueOrThrow({
    where: { id: poolId },
    include: { ledgerAccount: true },
  });
  return availableCents(pool.ledgerAccount);
}

describe("pools and allocations", () => {
  it("creates a funded pool on one billing entity, refusing bad input field by field", async () => {
    const db = database().db;
    const input = {
      slug: "gcp-spring-2027",
      name: "GCP spring credits",
      regionSlug: "us-west",
      cloudSlug: "gcp",
      source: "GRANT" as const,
      amountCents: 1_000_00n,
      startsAt: new Date("2027-01-01"),
      expiresAt: new Date("2027-12-31"),
    };
    const pool = await createCreditPool(db, ops, input);
    expect(await poolBalance(pool.id)).toBe(1_000_00n);
    await expect(createCreditPool(db, ops, input)).rejects.toMatchObject({
      code: "CONFLICT",
      fieldErrors: { slug: expect.any(Array) as unknown },
    });
    await expect(
      createCreditPool(db, ops, { ...input, slug: "x-1", cloudSlug: "azure" }),
    ).rejects.toMatchObject({ fieldErrors: { cloudSlug: expect.any(Array) as unknown } });
    await expect(
      createCreditPool(db, ops, { ...input, slug: "x-2", expiresAt: new Date("2026-01-01") }),
    ).rejects.toMatchObject({ fieldErrors: { expiresAt: expect.any(Array) as unknown } });
    await expect(createCreditPool(db, admin, { ...input, slug: "x-3" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });

  it("tops a pool up once per submission", async () => {
    const db = database().db;
    const pool = await db.creditPool.findUniqueOrThrow({ where: { slug: "gcp-education-2026" } });
    const before = await poolBalance(pool.id);
    await Promise.all([
      topUpPool(db, ops, {
        poolId: pool.id,
        amountCents: 500_00n,
        idempotencyKey: "top-up-form-1",
      }),
      topUpPool(db, ops, {
        poolId: pool.id,
        amountCents: 500_00n,
        idempotencyKey: "top-up-form-1",
      }),
    ]);
    expect(await poolBalance(pool.id)).toBe(before + 500_00n);
  });

  it("allocates to an institution and moves credit between allocations without overdrawing", async () => {
    const db = database().db;
    const pool = await db.creditPool.findUniqueOrThrow({ where: { slug: "gcp-education-2026" } });
    const westValley = await db.institution.findUniqueOrThrow({ where: { slug: "west-valley" } });
    const cascade = await db.institution.findUniqueOrThrow({ where: { slug: "cascade" } });
    const first = await allocateToInstitution(db, ops, {
      poolId: pool.id,
      institutionId: westValley.id,
      amountCents: 300_00n,
      idempotencyKey: "alloc-wv",
    });
    const second = await allocateToInstitution(db, ops, {
      poolId: pool.id,
      institutionId: cascade.id,
      amountCents: 100_00n,
      idempotencyKey: "alloc-cc",
    });
    expect(first.budgetCents).toBe(300_00n);
    await transferBetweenAllocations(db, ops, {
      fromAllocationId: first.id,
      toAllocationId: second.id,
      amountCents: 50_00n,
      idempotencyKey: "move-1",
    });
    const [from, to] = await Promise.all([
      db.allocation.findUniqueOrThrow({
        where: { id: first.id },
        include: { ledgerAccount: true },
      }),
      db.allocation.findUniqueOrThrow({
        where: { id: second.id },
        include: { ledgerAccount: true },
      }),
    ]);
    expect([from.budgetCents, availableCents(from.ledgerAccount)]).toEqual([250_00n, 250_00n]);
    expect([to.budgetCents, availableCents(to.ledgerAccount)]).toEqual([150_00n, 150_00n]);
    await expect(
      transferBetweenAllocations(db, ops, {
        fromAllocationId: second.id,
        toAllocationId: first.id,
        amountCents: 150_01n,
        idempotencyKey: "move-2",
      }),
    ).rejects.toThrow(/Insufficient funds/);
  });

  it("expires what is left of a lapsed pool and lapsed holds, once", async () => {
    const db = database().db;
    const pool = await createCreditPool(db, ops, {
      slug: "promo-2025",
      name: "Promo 2025",
      regionSlug: "us-west",
      cloudSlug: "aws",
      source: "PROMO_CODE",
      amountCents: 200_00n,
      startsAt: new Date("2025-01-01"),
      expiresAt: new Date("2025-12-31"),
    });
    const account = await db.ledgerAccount
      .findFirstOrThrow({ where: { code: "allocation:institution:cascade:gcp-education-2026" } })
      .catch(() => null);
    expect(account).not.toBeNull();
    const hold = await placeHold(db, {
      idempotencyKey: "lapsing-hold",
      debitAccountId: pool.ledgerAccountId,
      creditAccountId: account?.id ?? "",
      amountCents: 50_00n,
      memo: "x",
      expiresAt: new Date("2026-01-15"),
    }).catch((error: unknown) => error);
    // Currencies match (USD), so the hold is placed.
    expect(hold).toHaveProperty("id");
    const result = await expireCredits(db, { now: new Date("2026-02-01") });
    expect(result.expiredPools).toContain("promo-2025");
    expect(result.expiredHolds).toBeGreaterThanOrEqual(1);
    expect(await poolBalance(pool.id)).toBe(0n);
    const again = await expireCredits(db, { now: new Date("2026-02-01") });
    expect(again.expiredPools).not.toContain("promo-2025");
    expect(await findLedgerMismatches(db)).toEqual([]);
  });
});
