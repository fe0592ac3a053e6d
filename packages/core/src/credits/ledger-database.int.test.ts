import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "@hubfed/db/testing";
import { openLedgerAccount, postTransfer } from "./ledger";

// The database itself refuses what must never happen to the ledger, whatever
// code (a script, a console, a bug) reaches it: transfers are append-only,
// and every transfer moves a positive amount between two accounts.

const database = useTestDatabase();
let transferId: string;
let fundingId: string;
let poolId: string;

beforeAll(async () => {
  const db = database().db;
  const funding = await openLedgerAccount(db, {
    code: "funding:test",
    kind: "FUNDING",
    currency: "USD",
  });
  const pool = await openLedgerAccount(db, { code: "pool:test", kind: "POOL", currency: "USD" });
  fundingId = funding.id;
  poolId = pool.id;
  transferId = (
    await postTransfer(db, {
      idempotencyKey: "database-test:fund",
      debitAccountId: funding.id,
      creditAccountId: pool.id,
      amountCents: 1_000n,
      memo: "Fund the pool",
    })
  ).id;
});

describe("the ledger's tables defend themselves", () => {
  it("refuse to change a posted transfer", async () => {
    await expect(
      database().db
        .$executeRaw`UPDATE "LedgerTransfer" SET "amountCents" = 1 WHERE id = ${transferId}`,
    ).rejects.toThrow(/append-only: UPDATE is refused/);
  });

  it("refuse to delete a posted transfer, one at a time or all at once", async () => {
    await expect(
      database().db.$executeRaw`DELETE FROM "LedgerTransfer" WHERE id = ${transferId}`,
    ).rejects.toThrow(/append-only: DELETE is refused/);
    await expect(database().db.$executeRaw`TRUNCATE "LedgerTransfer" CASCADE`).rejects.toThrow(
      /append-only: TRUNCATE is refused/,
    );
    expect(await database().db.ledgerTransfer.count({ where: { id: transferId } })).toBe(1);
  });

  it.each([
    ["a zero amount", 0n],
    ["a negative amount", -100n],
  ])("refuse %s written past the code", async (_name, amount) => {
    await expect(
      database().db.$executeRaw`
        INSERT INTO "LedgerTransfer" (id, "idempotencyKey", kind, "debitAccountId", "creditAccountId", "amountCents", memo)
        VALUES (${`raw-${amount}`}, ${`raw-${amount}`}, 'SINGLE', ${fundingId}, ${poolId}, ${amount}, 'raw')`,
    ).rejects.toThrow(/LedgerTransfer_amount_is_positive/);
  });

  it("refuse a transfer from an account to itself", async () => {
    await expect(
      database().db.$executeRaw`
        INSERT INTO "LedgerTransfer" (id, "idempotencyKey", kind, "debitAccountId", "creditAccountId", "amountCents", memo)
        VALUES ('raw-self', 'raw-self', 'SINGLE', ${poolId}, ${poolId}, 5, 'raw')`,
    ).rejects.toThrow(/LedgerTransfer_accounts_differ/);
  });

  it("refuse to post a hold past its expiry, even written past the code", async () => {
    const db = database().db;
    await db.$executeRaw`
      INSERT INTO "LedgerTransfer" (id, "idempotencyKey", kind, "debitAccountId", "creditAccountId", "amountCents", memo, "expiresAt")
      VALUES ('raw-lapsed-hold', 'raw-lapsed-hold', 'PENDING', ${poolId}, ${fundingId}, 5, 'raw', now() - interval '1 day')`;
    await expect(
      db.$executeRaw`
        INSERT INTO "LedgerTransfer" (id, "idempotencyKey", kind, "debitAccountId", "creditAccountId", "amountCents", memo, "pendingTransferId")
        VALUES ('raw-post', 'raw-post', 'POST_PENDING', ${poolId}, ${fundingId}, 5, 'raw', 'raw-lapsed-hold')`,
    ).rejects.toThrow(/has expired: it can be voided or expired, not posted/);
  });
});
