import { describe, expect, it } from "vitest";
import { createDatabaseClient } from "@hubfed/db";
import { useTestDatabase } from "@hubfed/db/testing";
import {
  availableCents,
  openLedgerAccount,
  placeHold,
  postTransfer,
  resolveHold,
  type HoldResolution,
} from "./ledger";
import { findLedgerMismatches } from "./balance-check";

const database = useTestDatabase();

/** A small deterministic PRNG (mulberry32), so a failing sequence can be replayed from its seed. */
function randomFrom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    integer: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)] as T,
  };
}

async function fundedAccounts(prefix: string, fundingCents: bigint) {
  const db = database().db;
  const funding = await openLedgerAccount(db, {
    code: `funding:${prefix}`,
    kind: "FUNDING",
    currency: "USD",
  });
  const pool = await openLedgerAccount(db, {
    code: `pool:${prefix}`,
    kind: "POOL",
    currency: "USD",
  });
  const allocation = await openLedgerAccount(db, {
    code: `allocation:${prefix}`,
    kind: "ALLOCATION",
    currency: "USD",
  });
  await postTransfer(db, {
    idempotencyKey: `${prefix}:fund`,
    debitAccountId: funding.id,
    creditAccountId: pool.id,
    amountCents: fundingCents,
    memo: "fund",
  });
  return { funding, pool, allocation };
}

describe("the ledger under races and failures", () => {
  it("posts 200 concurrent debits and holds with duplicate keys and killed connections: no double post, no overdraft", async () => {
    const db = database().db;
    const { pool, allocation } = await fundedAccounts("race", 5_000n);
    const random = randomFrom(20261122);
    // A second client whose connections are killed while it works.
    const fragile = createDatabaseClient({
      databaseUrl: `${database().url}?application_name=hubfed_fragile`,
      maxConnections: 8,
    });
    const operations = Array.from({ length: 200 }, (_, index) => {
      // One in five reuses an earlier key with the same intent: a client retry.
      const keyIndex = index > 10 && random.next() < 0.2 ? random.integer(0, index - 1) : index;
      const isHold = keyIndex % 3 === 0;
      const amountCents = BigInt(10 + (keyIndex % 7) * 15);
      return {
        key: `race:${keyIndex}`,
        isHold,
        amountCents,
        client: random.next() < 0.5 ? fragile : db,
      };
    });
    let isKilling = true;
    const killer = (async () => {
      while (isKilling) {
        await db.$executeRawUnsafe(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'hubfed_fragile' AND pid <> pg_backend_pid()`,
        );
        await new Promise((resolve) => setTimeout(resolve, 15));
      }
    })();
    const run = (operation: (typeof operations)[number], client = operation.client) =>
      operation.isHold
        ? placeHold(client, {
            idempotencyKey: operation.key,
            debitAccountId: pool.id,
            creditAccountId: allocation.id,
            amountCents: operation.amountCents,
            memo: "hold",
            expiresAt: new Date("2030-01-01"),
          })
        : postTransfer(client, {
            idempotencyKey: operation.key,
            debitAccountId: pool.id,
            creditAccountId: allocation.id,
            amountCents: operation.amountCents,
            memo: "debit",
          });
    const firstTry = await Promise.allSettled(operations.map((operation) => run(operation)));
    isKilling = false;
    await killer;
    await fragile.$disconnect();
    // Every operation whose connection died is retried once with the same key on a healthy client.
    const retried = await Promise.allSettled(
      operations.map((operation, index) =>
        firstTry[index]?.status === "rejected" ? run(operation, db) : Promise.resolve(null),
      ),
    );

    const killedCount = firstTry.filter((outcome) => outcome.status === "rejected").length;
    const transfers = await db.ledgerTransfer.findMany({ where: { debitAccountId: pool.id } });
    const keys = transfers.map((transfer) => transfer.idempotencyKey);
    expect(new Set(keys).size).toBe(keys.length);
    const poolAfter = await db.ledgerAccount.findUniqueOrThrow({ where: { id: pool.id } });
    const posted = transfers
      .filter((transfer) => transfer.kind === "SINGLE")
      .reduce((sum, transfer) => sum + transfer.amountCents, 0n);
    const held = transfers
      .filter((transfer) => transfer.kind === "PENDING")
      .reduce((sum, transfer) => sum + transfer.amountCents, 0n);
    expect(poolAfter.postedDebitsCents).toBe(posted);
    expect(poolAfter.pendingDebitsCents).toBe(held);
    expect(availableCents(poolAfter)).toBe(5_000n - posted - held);
    expect(availableCents(poolAfter)).toBeGreaterThanOrEqual(0n);
    // Demand exceeds the funds, so some operations were refused for insufficient funds, none for anything else.
    const refusals = retried
      .filter((outcome) => outcome.status === "rejected")
      .map((outcome) => String(outcome.reason));
    // Listed, not counted, so a failure names the unexpected refusals.
    expect(refusals.filter((reason) => !reason.includes("Insufficient funds"))).toEqual([]);
    expect(await findLedgerMismatches(db)).toEqual([]);
    expect(killedCount).toBeGreaterThan(0);
  }, 120_000);

  it("keeps every invariant through random sequences of allocate, hold, post, void and expire", async () => {
    const db = database().db;
    for (let sequence = 0; sequence < 12; sequence += 1) {
      const random = randomFrom(1000 + sequence);
      const { pool, allocation } = await fundedAccounts(`property-${sequence}`, 2_000n);
      const openHolds: string[] = [];
      // The model: what the balances must be, from the operations that succeeded.
      let expectedPosted = 0n;
      let expectedPending = 0n;
      const holdAmounts = new Map<string, bigint>();
      for (let step = 0; step < 40; step += 1) {
        const action = random.pick([
          "allocate",
          "hold",
          "post",
          "void",
          "expire",
          "retry",
        ] as const);
        const amountCents = BigInt(random.integer(1, 400));
        const key = `property-${sequence}-${step}`;
        try {
          if (action === "allocate" || action === "retry") {
            const retryKey =
              action === "retry" && step > 0
                ? `property-${sequence}-${random.integer(0, step - 1)}`
                : key;
            const existing = await db.ledgerTransfer.findUnique({
              where: { idempotencyKey: retryKey },
            });
            if (action === "retry" && existing) {
              // A retry of an earlier intent must return it and change nothing.
              const again =
                existing.kind === "SINGLE"
                  ? await postTransfer(db, {
                      idempotencyKey: retryKey,
                      debitAccountId: existing.debitAccountId,
                      creditAccountId: existing.creditAccountId,
                      amountCents: existing.amountCents,
                      memo: "retry",
                    })
                  : existing;
              expect(again.id).toBe(existing.id);
              continue;
            }
            await postTransfer(db, {
              idempotencyKey: key,
              debitAccountId: pool.id,
              creditAccountId: allocation.id,
              amountCents,
              memo: "allocate",
            });
            expectedPosted += amountCents;
          } else if (action === "hold") {
            const hold = await placeHold(db, {
              idempotencyKey: key,
              debitAccountId: pool.id,
              creditAccountId: allocation.id,
              amountCents,
              memo: "hold",
              expiresAt: new Date("2030-01-01"),
            });
            openHolds.push(hold.id);
            holdAmounts.set(hold.id, amountCents);
            expectedPending += amountCents;
          } else if (openHolds.length > 0) {
            const holdId = openHolds.splice(random.integer(0, openHolds.length - 1), 1)[0] ?? "";
            const resolution: HoldResolution =
              action === "post"
                ? "POST_PENDING"
                : action === "void"
                  ? "VOID_PENDING"
                  : "EXPIRE_PENDING";
            await resolveHold(db, { holdId, resolution, idempotencyKey: key, memo: action });
            const heldAmount = holdAmounts.get(holdId) ?? 0n;
            expectedPending -= heldAmount;
            if (resolution === "POST_PENDING") expectedPosted += heldAmount;
            // Resolving the same hold again, any way, is refused.
            await expect(
              resolveHold(db, {
                holdId,
                resolution: "VOID_PENDING",
                idempotencyKey: `${key}-again`,
                memo: "again",
              }),
            ).rejects.toMatchObject({ code: "CONFLICT" });
          }
        } catch (error) {
          expect(String(error)).toContain("Insufficient funds");
        }
        const poolNow = await db.ledgerAccount.findUniqueOrThrow({ where: { id: pool.id } });
        expect(availableCents(poolNow)).toBeGreaterThanOrEqual(0n);
        expect(poolNow.postedDebitsCents).toBe(expectedPosted);
        expect(poolNow.pendingDebitsCents).toBe(expectedPending);
      }
    }
    expect(await findLedgerMismatches(db)).toEqual([]);
  }, 120_000);

  it("finds a cached balance that no longer matches its transfers", async () => {
    const db = database().db;
    const { pool } = await fundedAccounts("tampered", 100n);
    await db.ledgerAccount.update({ where: { id: pool.id }, data: { postedCreditsCents: 101n } });
    const mismatches = await findLedgerMismatches(db);
    expect(mismatches).toEqual([
      expect.objectContaining({
        accountId: pool.id,
        field: "postedCreditsCents",
        cached: 101n,
        derived: 100n,
      }),
    ]);
    await db.ledgerAccount.update({ where: { id: pool.id }, data: { postedCreditsCents: 100n } });
  });
});
