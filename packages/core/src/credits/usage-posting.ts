import { type DatabaseClient, type LimitPolicy, recordAuditEvent } from "@hubfed/db";
import { notify } from "../audit";
import { failureMessageOf } from "../errors";
import { notifyAllocationAudience } from "./alerts";
import { postDailyBurn, type PricedDay } from "./burn";
import type { HubBudgetSwitch } from "./hub-budget-switch";
import { InsufficientFundsError } from "./ledger";

// Posting one hub-day of usage on its own (SPEC §6; issue 17: billing that cannot be blocked by
// one hub). A hub-day that cannot be posted is recorded (UsagePostingProblem), told to the
// people it concerns the first time, and tried again by every later run, without stopping the
// other hubs' days. Running short of money is not a failure: the allocation's policy handles it.

export type HubDayOutcome =
  | { outcome: "posted"; costCents: bigint }
  /**
   * The account the hub's allocation draws on cannot pay the day. The policy applied: SUSPEND
   * took the hub out of service, NOTIFY told ops, the institution's admins and the instructors.
   */
  | { outcome: "unfunded"; costCents: bigint; policy: LimitPolicy; isSuspended: boolean }
  | { outcome: "failed"; costCents: bigint; error: string };

/**
 * Posts one priced hub-day exactly once (postDailyBurn: one DailyUsageCost per hub and day, the
 * ledger's keys name the hub and day). Never throws for this hub-day's own trouble: it comes back
 * as "unfunded" or "failed", recorded, so the caller carries on with the next hub.
 */
export async function postHubDay(
  db: DatabaseClient,
  {
    hubId,
    day,
    priced,
    hubs,
    now = new Date(),
  }: { hubId: string; day: Date; priced: PricedDay; hubs: HubBudgetSwitch; now?: Date },
): Promise<HubDayOutcome> {
  try {
    const posted = await postDailyBurn(db, { hubId, day, priced });
    await db.usagePostingProblem.updateMany({
      where: { hubId, day, resolvedAt: null },
      data: { resolvedAt: now },
    });
    return { outcome: "posted", costCents: posted.costCents };
  } catch (error) {
    if (error instanceof InsufficientFundsError)
      return handleUnfundedDay(db, { hubId, day, priced, hubs, now, error });
    return recordHubDayFailure(db, { hubId, day, costCents: priced.costCents, error, now });
  }
}

/**
 * Records a hub-day that could not be priced or posted for any reason but money: ops are told the
 * first time, every later run tries it again.
 */
export async function recordHubDayFailure(
  db: DatabaseClient,
  {
    hubId,
    day,
    costCents,
    error,
    now = new Date(),
  }: { hubId: string; day: Date; costCents: bigint; error: unknown; now?: Date },
): Promise<HubDayOutcome> {
  const message = failureMessageOf(error);
  const isFirst = await recordProblem(db, {
    hubId,
    day,
    kind: "FAILED",
    costCents,
    error: message,
    now,
  });
  if (isFirst) await alertOperatorsOfFailure(db, { hubId, day, error: message });
  return { outcome: "failed", costCents, error: message };
}

/** What the hub owes for days that could not be paid yet (a top-up must cover these too). */
export async function owedCentsOf(db: DatabaseClient, hubId: string): Promise<bigint> {
  const owed = await db.usagePostingProblem.aggregate({
    where: { hubId, kind: "UNFUNDED", resolvedAt: null },
    _sum: { costCents: true },
  });
  return owed._sum.costCents ?? 0n;
}

function dayOf(day: Date): string {
  return day.toISOString().slice(0, 10);
}

/**
 * Records (or counts again) the hub-day's problem; true the first time, when people are told.
 * A day that failed before and now turns out unfunded (or back) takes the newer kind.
 */
async function recordProblem(
  db: DatabaseClient,
  input: {
    hubId: string;
    day: Date;
    kind: "UNFUNDED" | "FAILED";
    costCents: bigint;
    error: string;
    now: Date;
  },
): Promise<boolean> {
  const { hubId, day, kind, costCents, error, now } = input;
  const created = await db.usagePostingProblem.createMany({
    data: [{ hubId, day, kind, costCents, error, firstFailedAt: now, lastFailedAt: now }],
    skipDuplicates: true,
  });
  if (created.count === 1) return true;
  const previous = await db.usagePostingProblem.findUniqueOrThrow({
    where: { hubId_day: { hubId, day } },
    select: { resolvedAt: true, kind: true },
  });
  await db.usagePostingProblem.update({
    where: { hubId_day: { hubId, day } },
    data: {
      kind,
      costCents,
      error,
      attempts: { increment: 1 },
      lastFailedAt: now,
      resolvedAt: null,
    },
  });
  // Told again only when it is news: a problem that had been resolved, or changed its kind.
  return previous.resolvedAt !== null || previous.kind !== kind;
}

/**
 * The allocation's policy for a day nobody can pay: SUSPEND stops the hub (at once: there is no
 * credit to run a grace period on), NOTIFY keeps it running and tells people. The day stays owed
 * and is posted by a later run once there is credit (a top-up).
 */
async function handleUnfundedDay(
  db: DatabaseClient,
  {
    hubId,
    day,
    priced,
    hubs,
    now,
    error,
  }: {
    hubId: string;
    day: Date;
    priced: PricedDay;
    hubs: HubBudgetSwitch;
    now: Date;
    error: InsufficientFundsError;
  },
): Promise<HubDayOutcome> {
  const isFirst = await recordProblem(db, {
    hubId,
    day,
    kind: "UNFUNDED",
    costCents: priced.costCents,
    error: error.message,
    now,
  });
  const allocation = await db.allocation.findUniqueOrThrow({
    where: { hubId },
    include: { hub: { include: { course: { select: { slug: true } } } } },
  });
  const hub = allocation.hub;
  let isSuspended = false;
  if (allocation.limitPolicy === "SUSPEND" && hub) {
    // Applied at every unfunded attempt: a hub resumed with too small a top-up stops again.
    isSuspended = await db.$transaction((tx) =>
      hubs.suspendForBudget(tx, hub, { at: now, cause: "UsageUnfunded" }),
    );
    if (isSuspended) await hubs.applyToRuntime(hub.id, "suspend");
  }
  if (isFirst)
    await db.$transaction(async (tx) => {
      await recordAuditEvent(tx, {
        actorId: null,
        action: "usage.unfunded",
        subjectType: "Allocation",
        subjectId: allocation.id,
        details: {
          hubId,
          day: dayOf(day),
          costCents: priced.costCents.toString(),
          policy: allocation.limitPolicy,
          account: error.accountCode,
        },
      });
      await notifyAllocationAudience(tx, allocation, {
        kind: "usage.unfunded",
        title: `${hub?.slug ?? allocation.name}: the usage of ${dayOf(day)} could not be paid`,
        body:
          allocation.limitPolicy === "SUSPEND"
            ? "The credit its allocation draws on has run out, so the hub has been suspended. It is billed once the allocation is topped up, and resumes then."
            : "The credit its allocation draws on has run out. The hub keeps running (its policy is to notify); its usage is billed once there is credit again.",
      });
    });
  return {
    outcome: "unfunded",
    costCents: priced.costCents,
    policy: allocation.limitPolicy,
    isSuspended,
  };
}

/** The first failure of a hub-day, told to ops: the hub's billing is stuck until it is fixed. */
async function alertOperatorsOfFailure(
  db: DatabaseClient,
  { hubId, day, error }: { hubId: string; day: Date; error: string },
): Promise<void> {
  const hub = await db.hub.findUnique({ where: { id: hubId }, select: { slug: true } });
  await db.$transaction(async (tx) => {
    await recordAuditEvent(tx, {
      actorId: null,
      action: "usage.posting-failed",
      subjectType: "Hub",
      subjectId: hubId,
      details: { day: dayOf(day), error },
    });
    const operators = await tx.user.findMany({
      where: { isOperator: true },
      select: { id: true },
    });
    await notify(tx, {
      userIds: operators.map((user) => user.id),
      kind: "usage.posting-failed",
      title: `${hub?.slug ?? hubId}: the usage of ${dayOf(day)} could not be posted`,
      body: `${error.slice(0, 300)} The other hubs were posted; this day is tried again at every run.`,
      href: "/ops/credits",
    });
  });
}
