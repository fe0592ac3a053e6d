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

/** The one-statement write's answer: the transfer it inserted (columns null when none). */
type WriteOutcome = { [Column in keyof LedgerTransfer]: LedgerTransfer[Column] | null } & {
  /** The accounts as locked (latest committed values), for the refusal's message. */
  accounts: Array<{
    id: string;
    code: string;
    currency: string;
    debitsMustNotExceedCredits: boolean;
    available: string;
  }> | null;
};

/**
 * Writes a SINGLE or PENDING transfer in ONE statement, so a transfer costs one
 * round trip and its row locks are held for one statement, not for the eight
 * round trips of read-lock-recheck-insert-update-update (issue 21: the hot pool
 * is serialised on its lock, so lock hold time is the throughput).
 *
 * The statement keeps every guarantee of the ledger:
 * - both accounts are locked FOR UPDATE in id order (no deadlocks), and the
 *   balance is checked against the locked, latest committed values
 *   (READ COMMITTED re-reads a row updated while we waited for its lock), so
 *   available never goes below zero;
 * - the idempotency key: a key already posted locks nothing and writes nothing;
 *   a twin that commits the key while this one waits makes the INSERT's
 *   ON CONFLICT DO NOTHING skip, and the account updates only run for a row
 *   actually inserted. Either way the caller gets the first transfer back.
 * ON CONFLICT (not a unique violation) also keeps the caller's transaction usable.
 *
 * Run outside a transaction (postTransfer) it commits on its own; inside one
 * (postTransferInTransaction) it is one statement of the caller's.
 */
async function writeTransfer(
  tx: Transaction | DatabaseClient,
  kind: "SINGLE" | "PENDING",
  input: TransferInput,
  expiresAt?: Date,
): Promise<LedgerTransfer> {
  validateAmount(input);
  const [debitId, creditId] = [input.debitAccountId, input.creditAccountId];
  const amount = input.amountCents;
  const isPending = kind === "PENDING";
  const metadata = input.metadata === undefined ? null : JSON.stringify(input.metadata);
  const [outcome] = await tx.$queryRaw<WriteOutcome[]>`
    WITH posted AS (
      SELECT 1 FROM "LedgerTransfer" WHERE "idempotencyKey" = ${input.idempotencyKey}
    ), locked AS MATERIALIZED (
      SELECT id, code, currency, "debitsMustNotExceedCredits",
             "postedCreditsCents" - "postedDebitsCents" - "pendingDebitsCents" AS available
      FROM "LedgerAccount"
      WHERE id IN (${debitId}, ${creditId}) AND NOT EXISTS (SELECT 1 FROM posted)
      ORDER BY id
      FOR UPDATE
    ), allowed AS (
      SELECT 1 FROM locked debit JOIN locked credit ON credit.id = ${creditId}
      WHERE debit.id = ${debitId}
        AND debit.currency = credit.currency
        AND (NOT debit."debitsMustNotExceedCredits" OR debit.available >= ${amount})
    ), inserted AS (
      INSERT INTO "LedgerTransfer"
        (id, "idempotencyKey", kind, "debitAccountId", "creditAccountId", "amountCents",
         "expiresAt", memo, metadata)
      SELECT ${randomUUID()}, ${input.idempotencyKey}, ${kind}::"TransferKind", ${debitId},
             ${creditId}, ${amount}, ${expiresAt ?? null}::timestamp(3), ${input.memo},
             ${metadata}::jsonb
      FROM allowed
      ON CONFLICT ("idempotencyKey") DO NOTHING
      RETURNING *
    ), moved AS (
      UPDATE "LedgerAccount" account SET
        "postedDebitsCents" = "postedDebitsCents" + CASE WHEN account.id = ${debitId} AND NOT ${isPending} THEN ${amount} ELSE 0 END,
        "pendingDebitsCents" = "pendingDebitsCents" + CASE WHEN account.id = ${debitId} AND ${isPending} THEN ${amount} ELSE 0 END,
        "postedCreditsCents" = "postedCreditsCents" + CASE WHEN account.id = ${creditId} AND NOT ${isPending} THEN ${amount} ELSE 0 END,
        "pendingCreditsCents" = "pendingCreditsCents" + CASE WHEN account.id = ${creditId} AND ${isPending} THEN ${amount} ELSE 0 END
      FROM inserted
      WHERE account.id IN (${debitId}, ${creditId})
    )
    SELECT inserted.*,
           (SELECT json_agg(json_build_object(
              'id', id, 'code', code, 'currency', currency,
              'debitsMustNotExceedCredits', "debitsMustNotExceedCredits",
              'available', available::text)) FROM locked) AS accounts
    FROM (SELECT 1) AS one LEFT JOIN inserted ON true`;
  if (outcome?.id) {
    const { accounts: _accounts, ...transfer } = outcome;
    return transfer as LedgerTransfer;
  }
  // Nothing written: the key was posted before (a retry), or by a twin while this one waited
  // for the locks (checked before the funds, which the twin has just used) — or it is refused.
  const previous = await tx.ledgerTransfer.findUnique({
    where: { idempotencyKey: input.idempotencyKey },
  });
  if (previous) return assertSameIntent(previous, input, kind);
  const debit = outcome?.accounts?.find((account) => account.id === debitId);
  const credit = outcome?.accounts?.find((account) => account.id === creditId);
  if (!debit || !credit) throw new AppError("NOT_FOUND", "Ledger account not found");
  if (debit.currency !== credit.currency)
    throw new AppError(
      "BAD_REQUEST",
      `Cannot transfer between ${debit.currency} and ${credit.currency}`,
    );
  throw new InsufficientFundsError(debit.code, BigInt(debit.available), amount);
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

/** Posts a one-step transfer: one statement, atomic on its own (no BEGIN/COMMIT round trips). */
export function postTransfer(
  db: DatabaseClient,
  input: PostTransferInput,
): Promise<LedgerTransfer> {
  return writeTransfer(db, "SINGLE", input);
}

/** Reserves `amountCents` on the debit account inside the caller's transaction (a two-phase hold). */
export function placeHoldInTransaction(
  tx: Transaction,
  input: PlaceHoldInput,
): Promise<LedgerTransfer> {
  return writeTransfer(tx, "PENDING", input, input.expiresAt);
}

/** Places a hold: one statement, atomic on its own. */
export function placeHold(db: DatabaseClient, input: PlaceHoldInput): Promise<LedgerTransfer> {
  return writeTransfer(db, "PENDING", input, input.expiresAt);
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
