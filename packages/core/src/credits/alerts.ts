import {
  type CreditPool,
  type DatabaseClient,
  type LedgerAccount,
  recordAuditEvent,
  type Transaction,
} from "@hubfed/db";
import { notify } from "../audit";
import { failureMessageOf } from "../errors";
import type { HubBudgetSwitch } from "./hub-budget-switch";
import { forecastBurn, startOfUtcDay } from "./forecast";

// Budget alerts and the 100 % policy (SPEC §6, REFERENCE §5: alert at 75 %
// and 90 %, act at 100 %, and alert when the forecast crosses the budget).

export const alertThresholdsPercent = [75, 90, 100] as const;

/** Percent of a hub allocation's budget burned (posted to usage). */
export function burnedPercent(budgetCents: bigint, burnedCents: bigint): number {
  if (budgetCents <= 0n) return burnedCents > 0n ? 100 : 0;
  return Number((burnedCents * 100n) / budgetCents);
}

/** The people an allocation's money concerns, with a page each of them may open. */
interface AllocationAudience {
  institutionId: string;
  hub: { courseId: string; course: { slug: string } } | null;
}

/**
 * Tells an allocation's people about its money: ops and the institution's admins, who manage
 * credit, get a link to /ops/credits; the course's instructors, who may not open that page, get
 * their course's page, which shows the course's spend against its allocation.
 */
export async function notifyAllocationAudience(
  tx: Transaction,
  allocation: AllocationAudience,
  message: { kind: string; title: string; body: string },
): Promise<void> {
  const [operators, admins, instructors] = await Promise.all([
    tx.user.findMany({ where: { isOperator: true }, select: { id: true } }),
    tx.institutionMembership.findMany({
      where: { institutionId: allocation.institutionId, role: "ADMIN" },
      select: { userId: true },
    }),
    allocation.hub
      ? tx.enrollment.findMany({
          where: { courseId: allocation.hub.courseId, role: "INSTRUCTOR" },
          select: { userId: true },
        })
      : Promise.resolve([]),
  ]);
  const creditManagers = new Set([
    ...operators.map((user) => user.id),
    ...admins.map((admin) => admin.userId),
  ]);
  await notify(tx, { userIds: [...creditManagers], ...message, href: "/ops/credits" });
  if (allocation.hub)
    await notify(tx, {
      // Someone who is both (an instructor who is also an admin) is told once, with the credits page.
      userIds: instructors.map((entry) => entry.userId).filter((id) => !creditManagers.has(id)),
      ...message,
      href: `/courses/${allocation.hub.course.slug}`,
    });
}

/** One allocation, pool or hub-day a budget pass could not handle; the others carried on. */
export interface BudgetPassFailure {
  subject: string;
  message: string;
}

/** Fires each crossed threshold once per allocation (a unique row per threshold makes "once" a database fact). */
export async function evaluateAllocationAlerts(
  db: DatabaseClient,
  { now = new Date(), failures = [] }: { now?: Date; failures?: BudgetPassFailure[] } = {},
): Promise<Array<{ allocationId: string; thresholdPercent: number }>> {
  const allocations = await db.allocation.findMany({
    where: { hubId: { not: null } },
    include: {
      ledgerAccount: true,
      hub: { select: { id: true, slug: true, courseId: true, course: { select: { slug: true } } } },
    },
  });
  const fired: Array<{ allocationId: string; thresholdPercent: number }> = [];
  for (const allocation of allocations) {
    const percent = burnedPercent(
      allocation.budgetCents,
      allocation.ledgerAccount.postedDebitsCents,
    );
    for (const threshold of alertThresholdsPercent) {
      if (percent < threshold) continue;
      try {
        const isNew = await db.$transaction(async (tx) => {
          const created = await tx.allocationAlert.createMany({
            data: [{ allocationId: allocation.id, thresholdPercent: threshold, firedAt: now }],
            skipDuplicates: true,
          });
          if (created.count === 0) return false;
          await recordAuditEvent(tx, {
            actorId: null,
            action: "allocation.alert",
            subjectType: "Allocation",
            subjectId: allocation.id,
            details: { thresholdPercent: threshold, burnedPercent: percent },
          });
          await notifyAllocationAudience(tx, allocation, {
            kind: "allocation.alert",
            title: `${allocation.hub?.slug ?? allocation.name} has used ${threshold}% of its allocation`,
            body:
              threshold === 100
                ? allocation.limitPolicy === "SUSPEND"
                  ? `The hub will be suspended after ${allocation.suspendGraceHours} hours unless the allocation is topped up.`
                  : "Ops have been told; the hub keeps running."
                : `${percent}% of the budget is spent.`,
          });
          return true;
        });
        if (isNew) fired.push({ allocationId: allocation.id, thresholdPercent: threshold });
      } catch (error) {
        // One allocation's alert never holds up the others'; the next pass tries it again.
        failures.push({
          subject: `allocation ${allocation.name}`,
          message: failureMessageOf(error),
        });
      }
    }
  }
  return fired;
}

/** Suspends hubs whose SUSPEND-policy allocation has been at 100 % for longer than its grace period. */
export async function enforceBudgetPolicies(
  db: DatabaseClient,
  {
    hubs,
    now = new Date(),
    failures = [],
  }: { hubs: HubBudgetSwitch; now?: Date; failures?: BudgetPassFailure[] },
): Promise<string[]> {
  const exhausted = await db.allocationAlert.findMany({
    where: {
      thresholdPercent: 100,
      allocation: {
        limitPolicy: "SUSPEND",
        hub: { status: { in: [...hubs.suspendableStatuses] } },
      },
    },
    include: { allocation: { include: { hub: true, ledgerAccount: true } } },
  });
  const suspended: string[] = [];
  for (const alert of exhausted) {
    const { allocation } = alert;
    const hub = allocation.hub;
    if (!hub) continue;
    const isPastGrace =
      alert.firedAt.getTime() + allocation.suspendGraceHours * 3_600_000 <= now.getTime();
    if (
      !isPastGrace ||
      burnedPercent(allocation.budgetCents, allocation.ledgerAccount.postedDebitsCents) < 100
    )
      continue;
    try {
      const didSuspend = await db.$transaction((tx) =>
        hubs.suspendForBudget(tx, hub, { at: now, cause: "AllocationExhausted" }),
      );
      if (!didSuspend) continue;
      suspended.push(hub.slug);
      // Committed: now the runtime stops the hub's servers.
      await hubs.applyToRuntime(hub.id, "suspend");
    } catch (error) {
      failures.push({ subject: `hub ${hub.slug}`, message: failureMessageOf(error) });
    }
  }
  return suspended;
}

/** The daily burn of everything a pool pays for, oldest first. */
export async function poolBurnHistory(db: DatabaseClient, poolId: string) {
  const rows = await db.dailyUsageCost.groupBy({
    by: ["day"],
    where: { hub: { allocation: { poolId } } },
    _sum: { costCents: true },
    orderBy: { day: "asc" },
  });
  return rows.map((row) => ({ day: row.day, cents: row._sum.costCents ?? 0n }));
}

/** Alerts (once per pool) when the burn forecast runs a pool dry before it expires. */
export async function evaluatePoolForecasts(
  db: DatabaseClient,
  { now = new Date(), failures = [] }: { now?: Date; failures?: BudgetPassFailure[] } = {},
): Promise<string[]> {
  const pools = await db.creditPool.findMany({
    where: { expiresAt: { gt: now } },
    include: { ledgerAccount: true },
  });
  const alerted: string[] = [];
  for (const pool of pools) {
    try {
      if (await alertPoolForecast(db, pool, now)) alerted.push(pool.slug);
    } catch (error) {
      // One pool's alert never holds up the others'; the next pass tries it again.
      failures.push({ subject: `pool ${pool.slug}`, message: failureMessageOf(error) });
    }
  }
  return alerted;
}

/** Alerts ops once when the pool's forecast runs it dry before it expires; true when it did now. */
async function alertPoolForecast(
  db: DatabaseClient,
  pool: CreditPool & { ledgerAccount: LedgerAccount },
  now: Date,
): Promise<boolean> {
  // Burns draw holds down first, so the pool is dry when burns pass what it holds and has.
  const balance = pool.ledgerAccount.postedCreditsCents - pool.ledgerAccount.postedDebitsCents;
  const forecast = forecastBurn({
    history: await poolBurnHistory(db, pool.id),
    balanceCents: balance,
    now,
  });
  if (!forecast.exhaustionDate || forecast.exhaustionDate >= startOfUtcDay(pool.expiresAt))
    return false;
  const exhaustionDate = forecast.exhaustionDate;
  return db.$transaction(async (tx) => {
    const created = await tx.creditPoolAlert.createMany({
      data: [
        {
          poolId: pool.id,
          kind: "forecast-exhausts-before-expiry",
          forecastExhaustedOn: exhaustionDate,
        },
      ],
      skipDuplicates: true,
    });
    if (created.count === 0) return false;
    const operators = await tx.user.findMany({
      where: { isOperator: true },
      select: { id: true },
    });
    await notify(tx, {
      userIds: operators.map((user) => user.id),
      kind: "credit-pool.forecast",
      title: `${pool.name} will run out before it expires`,
      body: `At the current burn it is used up around ${exhaustionDate.toISOString().slice(0, 10)}, before its expiry on ${pool.expiresAt.toISOString().slice(0, 10)}.`,
      href: "/ops/credits",
    });
    await recordAuditEvent(tx, {
      actorId: null,
      action: "credit-pool.forecast-alert",
      subjectType: "CreditPool",
      subjectId: pool.id,
      details: { exhaustionDate: exhaustionDate.toISOString() },
    });
    return true;
  });
}
