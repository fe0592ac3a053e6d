import type { Actor } from "@hubfed/auth/permissions";
import { type DatabaseClient, recordAuditEvent } from "@hubfed/db";
import { AppError } from "../errors";
import { parseAmountCents } from "./amount";
import { fundingAccountOf } from "./burn";
import { assertCanManageCredits } from "./credits-permission";
import type { HubBudgetSwitch } from "./hub-budget-switch";
import { owedCentsOf } from "./usage-posting";
import {
  findOpenHold,
  intentMetadata,
  placeHoldInTransaction,
  resolveHoldInTransaction,
  runOncePerKey,
} from "./ledger";

/**
 * Adds budget to a hub's allocation: a further hold on its funding account
 * for the amount. A hub the budget suspended resumes once the allocation is
 * under budget again, counting the days it still owes (a hub an operator
 * suspended stays suspended); alerts above the new level are re-armed.
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
  // Days of usage nobody could pay yet are part of what the budget must cover before the hub
  // comes back: the next posting run bills them against this top-up.
  const owedCents = await owedCentsOf(db, hub.id);
  let isResumed = false;
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
    const spentCents = allocation.ledgerAccount.postedDebitsCents + owedCents;
    const burnedPercent =
      updated.budgetCents > 0n ? Number((spentCents * 100n) / updated.budgetCents) : 100;
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
      isResumed = await hubs.resumeAfterTopUp(tx, hub, actor.userId);
  });
  // Committed: now the runtime starts the hub again.
  if (isResumed) await hubs.applyToRuntime(hub.id, "resume");
  return db.allocation.findUniqueOrThrow({ where: { id: allocation.id } });
}
