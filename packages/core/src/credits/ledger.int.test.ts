import { describe, expect, it } from "vitest";
import { useTestDatabase } from "@hubfed/db/testing";
import { availableCents, openLedgerAccount, placeHold, postTransfer, resolveHold } from "./ledger";

const database = useTestDatabase();

async function fundedPool(code: string, cents: bigint) {
  const db = database().db;
  const funding = await openLedgerAccount(db, {
    code: `funding:${code}`,
    kind: "FUNDING",
    currency: "USD",
  });
  const pool = await openLedgerAccount(db, { code: `pool:${code}`, kind: "POOL", currency: "USD" });
  await postTransfer(db, {
    idempotencyKey: `fund:${code}`,
    debitAccountId: funding.id,
    creditAccountId: pool.id,
    amountCents: cents,
    memo: "funding",
  });
  return { funding, pool };
}

describe("postTransfer", () => {
  it("moves money and keeps both balances in step", async () => {
    const db = database().db;
    const { pool } = await fundedPool("a", 10_000n);
    const allocation = await openLedgerAccount(db, {
      code: "allocation:a",
      kind: "ALLOCATION",
      currency: "USD",
    });
    await postTransfer(db, {
      idempotencyKey: "alloc:a:1",
      debitAccountId: pool.id,
      creditAccountId: allocation.id,
      amountCents: 2_500n,
      memo: "allocate",
    });
    const [poolAfter, allocationAfter] = await Promise.all([
      db.ledgerAccount.findUniqueOrThrow({ where: { id: pool.id } }),
      db.ledgerAccount.findUniqueOrThrow({ where: { id: allocation.id } }),
    ]);
    expect(availableCents(poolAfter)).toBe(7_500n);
    expect(availableCents(allocationAfter)).toBe(2_500n);
  });

  it("posts a retried transfer once and refuses a reused key for a different transfer", async () => {
    const db = database().db;
    const { pool, funding } = await fundedPool("b", 1_000n);
    const allocation = await openLedgerAccount(db, {
      code: "allocation:b",
      kind: "ALLOCATION",
      currency: "USD",
    });
    const input = {
      idempotencyKey: "alloc:b:1",
      debitAccountId: pool.id,
      creditAccountId: allocation.id,
      amountCents: 300n,
      memo: "allocate",
    };
    const results = await Promise.all([
      postTransfer(db, input),
      postTransfer(db, input),
      postTransfer(db, input),
    ]);
    expect(new Set(results.map((transfer) => transfer.id)).size).toBe(1);
    expect(
      availableCents(await db.ledgerAccount.findUniqueOrThrow({ where: { id: pool.id } })),
    ).toBe(700n);
    await expect(postTransfer(db, { ...input, amountCents: 301n })).rejects.toThrow(
      /already used for a different transfer/,
    );
    await expect(postTransfer(db, { ...input, debitAccountId: funding.id })).rejects.toThrow(
      /already used/,
    );
  });

  it("never overdraws under concurrent debits", async () => {
    const db = database().db;
    const { pool } = await fundedPool("c", 1_000n);
    const allocation = await openLedgerAccount(db, {
      code: "allocation:c",
      kind: "ALLOCATION",
      currency: "USD",
    });
    const attempts = Array.from({ length: 30 }, (_, index) =>
      postTransfer(db, {
        idempotencyKey: `alloc:c:${index}`,
        debitAccountId: pool.id,
        creditAccountId: allocation.id,
        amountCents: 100n,
        memo: "race",
      }),
    );
    const outcomes = await Promise.allSettled(attempts);
    const posted = outcomes.filter((outcome) => outcome.status === "fulfilled").length;
    expect(posted).toBe(10);
    const poolAfter = await db.ledgerAccount.findUniqueOrThrow({ where: { id: pool.id } });
    expect(availableCents(poolAfter)).toBe(0n);
    const transferred = await db.ledgerTransfer.aggregate({
      where: { debitAccountId: pool.id },
      _sum: { amountCents: true },
    });
    expect(transferred._sum.amountCents).toBe(poolAfter.postedDebitsCents);
  });

  it("posts a concurrent transfer the shared statement's running total refused but the funds still cover", async () => {
    const db = database().db;
    const { pool } = await fundedPool("g", 1_000n);
    const allocation = await openLedgerAccount(db, {
      code: "allocation:g",
      kind: "ALLOCATION",
      currency: "USD",
    });
    // Issued together, these go in one statement: 600 fits, 600 more does not, and the running
    // total refuses 300 after them; alone, 300 fits the 400 left.
    const outcomes = await Promise.allSettled(
      [600n, 600n, 300n].map((amountCents, index) =>
        postTransfer(db, {
          idempotencyKey: `alloc:g:${index}`,
          debitAccountId: pool.id,
          creditAccountId: allocation.id,
          amountCents,
          memo: "batch",
        }),
      ),
    );
    // Which 600 wins is not promised: concurrent callers have no order (the first may go in a
    // statement of its own that takes the pool's lock after the other two). Exactly one of them
    // posts, and the 300 posts whichever it is.
    const [first, second, small] = outcomes.map((outcome) => outcome.status);
    expect([first, second].sort()).toEqual(["fulfilled", "rejected"]);
    expect(small).toBe("fulfilled");
    const poolAfter = await db.ledgerAccount.findUniqueOrThrow({ where: { id: pool.id } });
    expect(availableCents(poolAfter)).toBe(100n);
  });

  it("refuses non-positive amounts and transfers between currencies", async () => {
    const db = database().db;
    const { pool } = await fundedPool("d", 1_000n);
    const euros = await openLedgerAccount(db, {
      code: "allocation:eur",
      kind: "ALLOCATION",
      currency: "EUR",
    });
    await expect(
      postTransfer(db, {
        idempotencyKey: "zero",
        debitAccountId: pool.id,
        creditAccountId: euros.id,
        amountCents: 0n,
        memo: "x",
      }),
    ).rejects.toThrow(/positive/);
    await expect(
      postTransfer(db, {
        idempotencyKey: "fx",
        debitAccountId: pool.id,
        creditAccountId: euros.id,
        amountCents: 1n,
        memo: "x",
      }),
    ).rejects.toThrow(/USD and EUR/);
  });
});

describe("holds", () => {
  it("reserve funds until posted or voided, and resolve exactly once", async () => {
    const db = database().db;
    const { pool } = await fundedPool("h", 1_000n);
    const hub = await openLedgerAccount(db, {
      code: "allocation:hub-h",
      kind: "ALLOCATION",
      currency: "USD",
    });
    const hold = await placeHold(db, {
      idempotencyKey: "hold:h",
      debitAccountId: pool.id,
      creditAccountId: hub.id,
      amountCents: 600n,
      memo: "estimate",
      expiresAt: new Date("2027-01-01"),
    });
    expect(
      availableCents(await db.ledgerAccount.findUniqueOrThrow({ where: { id: pool.id } })),
    ).toBe(400n);
    await expect(
      postTransfer(db, {
        idempotencyKey: "too-much",
        debitAccountId: pool.id,
        creditAccountId: hub.id,
        amountCents: 401n,
        memo: "x",
      }),
    ).rejects.toThrow(/Insufficient funds/);

    const outcomes = await Promise.allSettled([
      resolveHold(db, {
        holdId: hold.id,
        resolution: "VOID_PENDING",
        idempotencyKey: "void:h",
        memo: "release",
      }),
      resolveHold(db, {
        holdId: hold.id,
        resolution: "POST_PENDING",
        idempotencyKey: "post:h",
        memo: "burn",
      }),
      resolveHold(db, {
        holdId: hold.id,
        resolution: "EXPIRE_PENDING",
        idempotencyKey: "expire:h",
        memo: "lapse",
      }),
    ]);
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
    expect(await db.ledgerTransfer.count({ where: { pendingTransferId: hold.id } })).toBe(1);
    const poolAfter = await db.ledgerAccount.findUniqueOrThrow({ where: { id: pool.id } });
    expect(poolAfter.pendingDebitsCents).toBe(0n);
    const resolution = await db.ledgerTransfer.findUniqueOrThrow({
      where: { pendingTransferId: hold.id },
    });
    expect(availableCents(poolAfter)).toBe(resolution.kind === "POST_PENDING" ? 400n : 1_000n);
  });
});

describe("an expired hold", () => {
  it("can be voided or expired, never posted", async () => {
    const db = database().db;
    const { pool } = await fundedPool("lapsed", 1_000n);
    const hub = await openLedgerAccount(db, {
      code: "allocation:hub-lapsed",
      kind: "ALLOCATION",
      currency: "USD",
    });
    const hold = await placeHold(db, {
      idempotencyKey: "hold:lapsed",
      debitAccountId: pool.id,
      creditAccountId: hub.id,
      amountCents: 600n,
      memo: "estimate",
      expiresAt: new Date(Date.now() - 60_000),
    });
    await expect(
      resolveHold(db, {
        holdId: hold.id,
        resolution: "POST_PENDING",
        idempotencyKey: "post:lapsed",
        memo: "late burn",
      }),
    ).rejects.toThrow(/expired .* not posted/);
    const expired = await resolveHold(db, {
      holdId: hold.id,
      resolution: "EXPIRE_PENDING",
      idempotencyKey: "expire:lapsed",
      memo: "lapse",
    });
    expect(expired.kind).toBe("EXPIRE_PENDING");
    const poolAfter = await db.ledgerAccount.findUniqueOrThrow({ where: { id: pool.id } });
    expect(availableCents(poolAfter)).toBe(1_000n);
  });
});
