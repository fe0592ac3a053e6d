import { randomUUID } from "node:crypto";
import {
  Prisma,
  type Transaction,
  type DatabaseClient,
  type LedgerAccount,
  type LedgerAccountKind,
  type LedgerTransfer,
  type TransferKind,
} from "@hubfed/db";
import { AppError } from "../errors";
import { parseAmountCents } from "./amount";

// The ledger (SPEC §6): append-only transfers between accounts, integer
// cents, an idempotency key per transfer, and the balance check in the same
// transaction as the write, under row locks on both accounts. Holds are
// two-phase (TigerBeetle's pending/post/void): a PENDING transfer reserves the
// amount; exactly one POST_PENDING, VOID_PENDING or EXPIRE_PENDING resolves it
// (a unique constraint on pendingTransferId makes "exactly one" a database fact).

export interface OpenLedgerAccountInput {
  code: string;
  kind: LedgerAccountKind;
  currency: string;
  /** FUNDING accounts are where money enters and may go negative; all others may not. */
  debitsMustNotExceedCredits?: boolean;
}

/**
 * Opens the account with this code, or returns it when it exists (idempotent
 * and race-safe: `ON CONFLICT DO NOTHING` waits for a concurrent opener and
 * then finds its account, where an upsert could fail on the unique code and
 * abort the caller's transaction).
 */
export async function openLedgerAccount(
  tx: Transaction | DatabaseClient,
  input: OpenLedgerAccountInput,
): Promise<LedgerAccount> {
  const mustNotOverdraw = input.debitsMustNotExceedCredits ?? input.kind !== "FUNDING";
  await tx.$executeRaw`
    INSERT INTO "LedgerAccount" (id, code, kind, currency, "debitsMustNotExceedCredits")
    VALUES (${randomUUID()}, ${input.code}, ${input.kind}::"LedgerAccountKind", ${input.currency}, ${mustNotOverdraw})
    ON CONFLICT (code) DO NOTHING`;
  return tx.ledgerAccount.findUniqueOrThrow({ where: { code: input.code } });
}

/** What an account can still spend: credits in, less everything debited or held. */
export function availableCents(
  account: Pick<LedgerAccount, "postedCreditsCents" | "postedDebitsCents" | "pendingDebitsCents">,
): bigint {
  return account.postedCreditsCents - account.postedDebitsCents - account.pendingDebitsCents;
}

export interface TransferInput {
  /** Unique per intent: a retry with the same key returns the first transfer and posts nothing. */
  idempotencyKey: string;
  debitAccountId: string;
  creditAccountId: string;
  amountCents: bigint;
  memo: string;
  metadata?: Prisma.InputJsonValue;
}

export type PostTransferInput = TransferInput;

export interface PlaceHoldInput extends TransferInput {
  /** When the hold lapses if nobody posts or voids it. */
  expiresAt: Date;
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

function assertSameIntent(
  existing: LedgerTransfer,
  input: TransferInput,
  kind: TransferKind,
): LedgerTransfer {
  const isSame =
    existing.kind === kind &&
    existing.debitAccountId === input.debitAccountId &&
    existing.creditAccountId === input.creditAccountId &&
    existing.amountCents === input.amountCents;
  if (!isSame) {
    throw new AppError(
      "CONFLICT",
      `Idempotency key ${input.idempotencyKey} was already used for a different transfer`,
    );
  }
  return existing;
}

function validateAmount(input: TransferInput): void {
  parseAmountCents(input.amountCents);
  if (input.debitAccountId === input.creditAccountId) {
    throw new AppError("BAD_REQUEST", "A transfer needs two different accounts");
  }
}

/** Locks both accounts in id order, so concurrent transfers cannot deadlock, and returns them. */
async function lockAccounts(tx: Transaction, debitAccountId: string, creditAccountId: string) {
  const lockedIds = [debitAccountId, creditAccountId].sort();
  const accounts = await tx.$queryRaw<LedgerAccount[]>`
    SELECT * FROM "LedgerAccount" WHERE id IN (${Prisma.join(lockedIds)}) ORDER BY id FOR UPDATE`;
  const debit = accounts.find((account) => account.id === debitAccountId);
  const credit = accounts.find((account) => account.id === creditAccountId);
  if (!debit || !credit) throw new AppError("NOT_FOUND", "Ledger account not found");
  if (debit.currency !== credit.currency) {
    throw new AppError(
      "BAD_REQUEST",
      `Cannot transfer between ${debit.currency} and ${credit.currency}`,
    );
  }
  return { debit, credit };
}

/**
 * A transfer the debit account cannot pay: an AppError (PRECONDITION_FAILED) like any refusal,
 * and its own class, so a caller for whom running out of money is an expected outcome (the daily
 * burn: the allocation's policy applies) can tell it from a failure.
 */
export class InsufficientFundsError extends AppError {
  constructor(
    readonly accountCode: string,
    readonly availableCents: bigint,
    readonly requestedCents: bigint,
  ) {
    super(
      "PRECONDITION_FAILED",
      `Insufficient funds in ${accountCode}: ${availableCents} cents available, ${requestedCents} requested`,
    );
  }
}

interface TransferRow {
  kind: "SINGLE" | "PENDING";
  input: TransferInput;
  expiresAt?: Date;
}

/**
 * Inserts SINGLE and PENDING transfers and posts both sides of each in ONE statement, so a
 * transfer costs one round trip (or a share of one) and its row locks are held for one
 * statement, not for the eight round trips of read-lock-recheck-insert-update-update (issue 21:
 * a hot pool is serialised on its row lock, so lock hold time is its throughput).
 *
 * Returns the transfers it wrote; a row it did not write is for the caller to explain
 * (writeTransfer). The statement keeps every guarantee of the ledger:
 * - every account involved is locked FOR UPDATE in id order (no deadlocks), and funds are
 *   checked against the locked, latest committed balances (READ COMMITTED re-reads a row
 *   updated while the statement waited for its lock), so available never goes below zero.
 *   Several transfers from one account are checked by their running total in input order,
 *   counting every earlier one whether or not it is written: a conservative check that may
 *   leave a payable transfer unwritten (the caller retries it alone), never an overdraft;
 * - the idempotency key: a key already posted, or committed by a twin while this statement
 *   waited for the locks, is skipped by ON CONFLICT DO NOTHING, and the balances move only
 *   by the rows actually inserted. ON CONFLICT, unlike a unique violation, also leaves the
 *   caller's transaction usable.
 * Outside a transaction the statement commits on its own; inside one it is the caller's.
 */
async function insertTransfers(
  tx: Transaction | DatabaseClient,
  rows: TransferRow[],
): Promise<LedgerTransfer[]> {
  const input = JSON.stringify(
    rows.map((row, position) => ({
      position,
      id: randomUUID(),
      idempotencyKey: row.input.idempotencyKey,
      kind: row.kind,
      debitAccountId: row.input.debitAccountId,
      creditAccountId: row.input.creditAccountId,
      amountCents: row.input.amountCents.toString(),
      expiresAt: row.expiresAt?.toISOString() ?? null,
      memo: row.input.memo,
      metadata: row.input.metadata ?? null,
    })),
  );
  return tx.$queryRaw<LedgerTransfer[]>`
    WITH input AS (
      SELECT * FROM jsonb_to_recordset(${input}::jsonb) AS row(
        position int, id text, "idempotencyKey" text, kind "TransferKind", "debitAccountId" text,
        "creditAccountId" text, "amountCents" bigint, "expiresAt" timestamp(3), memo text,
        metadata jsonb)
    ), locked AS MATERIALIZED (
      SELECT id, currency, "debitsMustNotExceedCredits",
             "postedCreditsCents" - "postedDebitsCents" - "pendingDebitsCents" AS available
      FROM "LedgerAccount"
      WHERE id IN (SELECT "debitAccountId" FROM input UNION SELECT "creditAccountId" FROM input)
      ORDER BY id
      FOR UPDATE
    ), fresh AS (
      SELECT input.*,
             sum("amountCents") OVER (PARTITION BY "debitAccountId" ORDER BY position) AS spent
      FROM input
      WHERE NOT EXISTS (
        SELECT 1 FROM "LedgerTransfer" posted WHERE posted."idempotencyKey" = input."idempotencyKey")
    ), allowed AS (
      SELECT fresh.* FROM fresh
      JOIN locked debit ON debit.id = fresh."debitAccountId"
      JOIN locked credit ON credit.id = fresh."creditAccountId"
      WHERE debit.currency = credit.currency
        AND (NOT debit."debitsMustNotExceedCredits" OR fresh.spent <= debit.available)
    ), inserted AS (
      INSERT INTO "LedgerTransfer"
        (id, "idempotencyKey", kind, "debitAccountId", "creditAccountId", "amountCents",
         "expiresAt", memo, metadata)
      SELECT id, "idempotencyKey", kind, "debitAccountId", "creditAccountId", "amountCents",
             "expiresAt", memo, metadata
      FROM allowed ORDER BY position
      ON CONFLICT ("idempotencyKey") DO NOTHING
      RETURNING *
    ), sides AS (
      SELECT "debitAccountId" AS account, kind, "amountCents" AS debit, 0::bigint AS credit FROM inserted
      UNION ALL
      SELECT "creditAccountId", kind, 0::bigint, "amountCents" FROM inserted
    ), moves AS (
      SELECT account,
             coalesce(sum(debit) FILTER (WHERE kind = 'SINGLE'), 0) AS "postedDebits",
             coalesce(sum(debit) FILTER (WHERE kind = 'PENDING'), 0) AS "pendingDebits",
             coalesce(sum(credit) FILTER (WHERE kind = 'SINGLE'), 0) AS "postedCredits",
             coalesce(sum(credit) FILTER (WHERE kind = 'PENDING'), 0) AS "pendingCredits"
      FROM sides GROUP BY account
    ), moved AS (
      UPDATE "LedgerAccount" account SET
        "postedDebitsCents" = "postedDebitsCents" + moves."postedDebits",
        "pendingDebitsCents" = "pendingDebitsCents" + moves."pendingDebits",
        "postedCreditsCents" = "postedCreditsCents" + moves."postedCredits",
        "pendingCreditsCents" = "pendingCreditsCents" + moves."pendingCredits"
      FROM moves WHERE account.id = moves.account
    )
    SELECT * FROM inserted`;
}

/**
 * Writes one SINGLE or PENDING transfer (insertTransfers) and, when nothing was written, says
 * why: the key was posted before (a retry), or by a twin while this one waited for the locks
 * (answered before the funds, which the twin has just used) — or the transfer is refused.
 */
async function writeTransfer(
  tx: Transaction | DatabaseClient,
  kind: "SINGLE" | "PENDING",
  input: TransferInput,
  expiresAt?: Date,
): Promise<LedgerTransfer> {
  validateAmount(input);
  const [written] = await insertTransfers(tx, [{ kind, input, expiresAt }]);
  if (written) return written;
  const previous = await tx.ledgerTransfer.findUnique({
    where: { idempotencyKey: input.idempotencyKey },
  });
  if (previous) return assertSameIntent(previous, input, kind);
  const accounts = await tx.ledgerAccount.findMany({
    where: { id: { in: [input.debitAccountId, input.creditAccountId] } },
  });
  const debit = accounts.find((account) => account.id === input.debitAccountId);
  const credit = accounts.find((account) => account.id === input.creditAccountId);
  if (!debit || !credit) throw new AppError("NOT_FOUND", "Ledger account not found");
  if (debit.currency !== credit.currency)
    throw new AppError(
      "BAD_REQUEST",
      `Cannot transfer between ${debit.currency} and ${credit.currency}`,
    );
  // Refused under the lock; the figure is read just after it, for the message.
  throw new InsufficientFundsError(debit.code, availableCents(debit), input.amountCents);
}

/**
 * Group commit for transfers in their own transaction (postTransfer, placeHold): callers that
 * arrive while `inFlight` statements are running wait and go together in the next one, so under
 * load many transfers share one statement and one commit (one WAL flush), and a hot account's
 * lock is taken once per batch instead of once per transfer. A lone caller goes at once: no
 * timer, no added latency when idle. A transfer its batch did not write, or every transfer of a
 * batch that failed, is retried alone, which gives each caller its own exact answer.
 */
class TransferBatcher {
  private readonly waiting: Array<{
    row: TransferRow;
    resolve: (transfer: LedgerTransfer) => void;
    reject: (error: unknown) => void;
  }> = [];
  private running = 0;

  constructor(
    private readonly db: DatabaseClient,
    private readonly inFlight = 4,
    private readonly largestBatch = 256,
  ) {}

  write(row: TransferRow): Promise<LedgerTransfer> {
    return new Promise((resolve, reject) => {
      validateAmount(row.input); // thrown here, it rejects the promise like any refusal
      this.waiting.push({ row, resolve, reject });
      this.flush();
    });
  }

  private flush(): void {
    while (this.running < this.inFlight && this.waiting.length > 0) {
      // One key per batch: a duplicate waits for the next, where it finds the first posted.
      const keys = new Set<string>();
      const batch: typeof this.waiting = [];
      const later: typeof this.waiting = [];
      for (const entry of this.waiting.splice(0)) {
        const key = entry.row.input.idempotencyKey;
        if (batch.length < this.largestBatch && !keys.has(key)) {
          keys.add(key);
          batch.push(entry);
        } else later.push(entry);
      }
      this.waiting.push(...later);
      this.running += 1;
      void this.run(batch).finally(() => {
        this.running -= 1;
        this.flush();
      });
    }
  }

  private async run(batch: typeof this.waiting): Promise<void> {
    let written: LedgerTransfer[] = [];
    try {
      written = await insertTransfers(
        this.db,
        batch.map((entry) => entry.row),
      );
    } catch {
      // One bad transfer fails the statement for all: each is retried alone for its own answer.
    }
    const byKey = new Map(written.map((transfer) => [transfer.idempotencyKey, transfer]));
    await Promise.all(
      batch.map(async ({ row, resolve, reject }) => {
        const transfer = byKey.get(row.input.idempotencyKey);
        if (transfer) return resolve(transfer);
        try {
          resolve(await writeTransfer(this.db, row.kind, row.input, row.expiresAt));
        } catch (error) {
          reject(error);
        }
      }),
    );
  }
}

const batchers = new WeakMap<DatabaseClient, TransferBatcher>();

function batcherOf(db: DatabaseClient): TransferBatcher {
  let batcher = batchers.get(db);
  if (!batcher) batchers.set(db, (batcher = new TransferBatcher(db)));
  return batcher;
}

/** Runs a ledger write in its own transaction; a lost idempotency race returns the winner's transfer. */
async function inOwnTransaction(
  db: DatabaseClient,
  input: TransferInput,
  kind: TransferKind,
  write: (tx: Transaction) => Promise<LedgerTransfer>,
): Promise<LedgerTransfer> {
  try {
    return await db.$transaction(write);
  } catch (error) {
    if (isUniqueViolation(error)) {
      const winner = await db.ledgerTransfer.findUnique({
        where: { idempotencyKey: input.idempotencyKey },
      });
      if (winner) return assertSameIntent(winner, input, kind);
    }
    throw error;
  }
}

/** Posts a one-step transfer inside the caller's transaction. */
export function postTransferInTransaction(
  tx: Transaction,
  input: PostTransferInput,
): Promise<LedgerTransfer> {
  return writeTransfer(tx, "SINGLE", input);
}

/** Posts a one-step transfer, committed on its own (with concurrent callers' transfers: TransferBatcher). */
export function postTransfer(
  db: DatabaseClient,
  input: PostTransferInput,
): Promise<LedgerTransfer> {
  return batcherOf(db).write({ kind: "SINGLE", input });
}

/** Reserves `amountCents` on the debit account inside the caller's transaction (a two-phase hold). */
export function placeHoldInTransaction(
  tx: Transaction,
  input: PlaceHoldInput,
): Promise<LedgerTransfer> {
  return writeTransfer(tx, "PENDING", input, input.expiresAt);
}

/** Places a hold, committed on its own (with concurrent callers' transfers: TransferBatcher). */
export function placeHold(db: DatabaseClient, input: PlaceHoldInput): Promise<LedgerTransfer> {
  return batcherOf(db).write({ kind: "PENDING", input, expiresAt: input.expiresAt });
}

export type HoldResolution = "POST_PENDING" | "VOID_PENDING" | "EXPIRE_PENDING";

export interface ResolveHoldInput {
  holdId: string;
  resolution: HoldResolution;
  idempotencyKey: string;
  memo: string;
}

/** Resolves a hold inside the caller's transaction; see resolveHold. */
export async function resolveHoldInTransaction(
  tx: Transaction,
  { holdId, resolution, idempotencyKey, memo }: ResolveHoldInput,
): Promise<LedgerTransfer> {
  const hold = await tx.ledgerTransfer.findUnique({ where: { id: holdId } });
  if (!hold || hold.kind !== "PENDING") throw new AppError("NOT_FOUND", `Hold ${holdId} not found`);
  // A lapsed hold no longer reserves anything: it may be expired or voided, never posted.
  if (resolution === "POST_PENDING" && hold.expiresAt && hold.expiresAt.getTime() <= Date.now())
    throw new AppError(
      "PRECONDITION_FAILED",
      `Hold ${hold.id} expired on ${hold.expiresAt.toISOString()}: it can be voided or expired, not posted`,
    );
  const input: TransferInput = {
    idempotencyKey,
    debitAccountId: hold.debitAccountId,
    creditAccountId: hold.creditAccountId,
    amountCents: hold.amountCents,
    memo,
  };
  const previous = await tx.ledgerTransfer.findUnique({ where: { idempotencyKey } });
  if (previous) return assertSameIntent(previous, input, resolution);
  const { debit, credit } = await lockAccounts(tx, hold.debitAccountId, hold.creditAccountId);
  // A retry whose twin resolved the hold while this one waited gets the twin's resolution.
  const twin = await tx.ledgerTransfer.findUnique({ where: { idempotencyKey } });
  if (twin) return assertSameIntent(twin, input, resolution);
  const existingResolution = await tx.ledgerTransfer.findUnique({
    where: { pendingTransferId: hold.id },
  });
  if (existingResolution) throw new AppError("CONFLICT", `Hold ${hold.id} was already resolved`);
  const transfer = await tx.ledgerTransfer.create({
    data: { ...input, kind: resolution, pendingTransferId: hold.id },
  });
  const isPosted = resolution === "POST_PENDING";
  await tx.ledgerAccount.update({
    where: { id: debit.id },
    data: {
      pendingDebitsCents: { decrement: hold.amountCents },
      ...(isPosted ? { postedDebitsCents: { increment: hold.amountCents } } : {}),
    },
  });
  await tx.ledgerAccount.update({
    where: { id: credit.id },
    data: {
      pendingCreditsCents: { decrement: hold.amountCents },
      ...(isPosted ? { postedCreditsCents: { increment: hold.amountCents } } : {}),
    },
  });
  return transfer;
}

/**
 * Resolves a hold exactly once: POST moves the held amount for good, VOID and
 * EXPIRE release it. A second resolution of the same hold (whatever its kind)
 * fails with CONFLICT; a retry with the same idempotency key returns the first.
 */
export async function resolveHold(
  db: DatabaseClient,
  input: ResolveHoldInput,
): Promise<LedgerTransfer> {
  const hold = await db.ledgerTransfer.findUnique({ where: { id: input.holdId } });
  if (!hold || hold.kind !== "PENDING")
    throw new AppError("NOT_FOUND", `Hold ${input.holdId} not found`);
  const transferInput: TransferInput = {
    idempotencyKey: input.idempotencyKey,
    debitAccountId: hold.debitAccountId,
    creditAccountId: hold.creditAccountId,
    amountCents: hold.amountCents,
    memo: input.memo,
  };
  try {
    return await inOwnTransaction(db, transferInput, input.resolution, (tx) =>
      resolveHoldInTransaction(tx, input),
    );
  } catch (error) {
    // The resolution raced another on the unique pendingTransferId.
    if (isUniqueViolation(error))
      throw new AppError("CONFLICT", `Hold ${hold.id} was already resolved`);
    throw error;
  }
}

/** The hold in an account's favour that is still open (approval holds one per hub allocation at a time). */
export async function findOpenHold(
  tx: Transaction | DatabaseClient,
  creditAccountId: string,
): Promise<LedgerTransfer | null> {
  return tx.ledgerTransfer.findFirst({
    where: { creditAccountId, kind: "PENDING", resolution: null },
    orderBy: { createdAt: "desc" },
  });
}

/**
 * Serialises the transactions that take the same `name` until each ends (a
 * PostgreSQL transaction-scoped advisory lock): for work that must read,
 * then create, without a twin creating the same thing in between.
 */
export async function takeTransactionLock(tx: Transaction, name: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${name}, 0))`;
}

/**
 * Runs `work` — a ledger operation together with the records that go with it
 * (a budget change, an audit event) — in one transaction, once per
 * `idempotencyKey`: when a transfer with that key already exists, or a
 * concurrent run wins the race to create it, nothing runs and `false` comes
 * back. `work` must post a transfer under `idempotencyKey`.
 */
export async function runOncePerKey(
  db: DatabaseClient,
  idempotencyKey: string,
  /**
   * What this operation asks for, recorded on its keyed transfer (`intentMetadata`): a key
   * reused with another amount is refused, not reported done.
   */
  intent: { requestedCents: bigint },
  work: (tx: Transaction) => Promise<void>,
): Promise<boolean> {
  const isRepeat = (done: LedgerTransfer | null): boolean => {
    if (!done) return false;
    const requested = (done.metadata as { requestedCents?: string } | null)?.requestedCents;
    if (requested !== undefined && requested !== intent.requestedCents.toString())
      throw new AppError(
        "CONFLICT",
        `This request's key was already used for ${requested} cents, not ${intent.requestedCents}`,
        { amountCents: ["differs from the first submission with this key"] },
      );
    return true;
  };
  if (isRepeat(await db.ledgerTransfer.findUnique({ where: { idempotencyKey } }))) return false;
  try {
    return await db.$transaction(async (tx) => {
      // The key is claimed for the whole operation, not just its transfer: a twin waits here
      // until this transaction ends, then finds the key posted and does nothing. Without it the
      // twin could find the transfer done and carry on with the rest (a budget raised twice).
      await takeTransactionLock(tx, `operation:${idempotencyKey}`);
      if (isRepeat(await tx.ledgerTransfer.findUnique({ where: { idempotencyKey } }))) return false;
      await work(tx);
      return true;
    });
  } catch (error) {
    // Whatever failed (a unique key, a hold another run resolved first), if the
    // key is now posted a concurrent run did this work: this run is a repeat.
    if (isRepeat(await db.ledgerTransfer.findUnique({ where: { idempotencyKey } }))) return false;
    throw error;
  }
}

/** The metadata that records what an operation was asked for, compared when its key is reused. */
export function intentMetadata(requestedCents: bigint): { requestedCents: string } {
  return { requestedCents: requestedCents.toString() };
}
