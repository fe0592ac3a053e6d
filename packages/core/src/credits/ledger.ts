import {
  Prisma,
  type DatabaseClient,
  type LedgerAccount,
  type LedgerAccountKind,
  type LedgerTransfer,
} from "@hubfed/db";
import { AppError } from "../errors";

type Transaction = Prisma.TransactionClient;

export interface OpenLedgerAccountInput {
  code: string;
  kind: LedgerAccountKind;
  currency: string;
  /** FUNDING accounts are where money enters and may go negative; all others may not. */
  debitsMustNotExceedCredits?: boolean;
}

/** Opens the account with this code, or returns it when it exists (idempotent). */
export async function openLedgerAccount(
  tx: Transaction | DatabaseClient,
  input: OpenLedgerAccountInput,
): Promise<LedgerAccount> {
  return tx.ledgerAccount.upsert({
    where: { code: input.code },
    update: {},
    create: {
      code: input.code,
      kind: input.kind,
      currency: input.currency,
      debitsMustNotExceedCredits: input.debitsMustNotExceedCredits ?? input.kind !== "FUNDING",
    },
  });
}

/** What an account can still spend: credits in, less everything debited or held. */
export function availableCents(
  account: Pick<LedgerAccount, "postedCreditsCents" | "postedDebitsCents" | "pendingDebitsCents">,
): bigint {
  return account.postedCreditsCents - account.postedDebitsCents - account.pendingDebitsCents;
}

export interface PostTransferInput {
  /** Unique per intent: a retry with the same key returns the first transfer and posts nothing. */
  idempotencyKey: string;
  debitAccountId: string;
  creditAccountId: string;
  amountCents: bigint;
  memo: string;
  metadata?: Prisma.InputJsonValue;
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

function assertSameIntent(existing: LedgerTransfer, input: PostTransferInput): LedgerTransfer {
  const isSame =
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

/**
 * Posts a one-step transfer. The balance check and the balance update happen
 * in the same transaction, under row locks on both accounts taken in id order
 * (so concurrent transfers between the same accounts cannot deadlock or
 * overdraw).
 */
export async function postTransfer(
  db: DatabaseClient,
  input: PostTransferInput,
): Promise<LedgerTransfer> {
  if (input.amountCents <= 0n)
    throw new AppError("BAD_REQUEST", "A transfer amount must be positive", {
      amountCents: ["must be positive"],
    });
  if (input.debitAccountId === input.creditAccountId)
    throw new AppError("BAD_REQUEST", "A transfer needs two different accounts");
  const previous = await db.ledgerTransfer.findUnique({
    where: { idempotencyKey: input.idempotencyKey },
  });
  if (previous) return assertSameIntent(previous, input);
  try {
    return await db.$transaction(async (tx) => {
      const lockedIds = [input.debitAccountId, input.creditAccountId].sort();
      const accounts = await tx.$queryRaw<LedgerAccount[]>`
        SELECT * FROM "LedgerAccount" WHERE id IN (${Prisma.join(lockedIds)}) ORDER BY id FOR UPDATE`;
      const debit = accounts.find((account) => account.id === input.debitAccountId);
      const credit = accounts.find((account) => account.id === input.creditAccountId);
      if (!debit || !credit) throw new AppError("NOT_FOUND", "Ledger account not found");
      if (debit.currency !== credit.currency)
        throw new AppError(
          "BAD_REQUEST",
          `Cannot transfer between ${debit.currency} and ${credit.currency}`,
        );
      if (debit.debitsMustNotExceedCredits && availableCents(debit) < input.amountCents) {
        throw new AppError(
          "PRECONDITION_FAILED",
          `Insufficient funds in ${debit.code}: ${availableCents(debit)} cents available, ${input.amountCents} requested`,
        );
      }
      const transfer = await tx.ledgerTransfer.create({
        data: {
          idempotencyKey: input.idempotencyKey,
          kind: "SINGLE",
          debitAccountId: input.debitAccountId,
          creditAccountId: input.creditAccountId,
          amountCents: input.amountCents,
          memo: input.memo,
          metadata: input.metadata,
        },
      });
      await tx.ledgerAccount.update({
        where: { id: debit.id },
        data: { postedDebitsCents: { increment: input.amountCents } },
      });
      await tx.ledgerAccount.update({
        where: { id: credit.id },
        data: { postedCreditsCents: { increment: input.amountCents } },
      });
      return transfer;
    });
  } catch (error) {
    // Two identical requests raced past the lookup; the loser returns the winner's transfer.
    if (isUniqueViolation(error)) {
      const winner = await db.ledgerTransfer.findUnique({
        where: { idempotencyKey: input.idempotencyKey },
      });
      if (winner) return assertSameIntent(winner, input);
    }
    throw error;
  }
}
