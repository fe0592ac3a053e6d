import { can, type Actor } from "@hubfed/auth/permissions";
import type { DatabaseClient, Prisma } from "@hubfed/db";
import { AppError } from "../errors";
import { burnedPercent, poolBurnHistory } from "./alerts";
import { forecastBurn, startOfUtcDay } from "./forecast";
import { availableCents } from "./ledger";
import { owedCentsOf } from "./usage-posting";

export interface BurnPoint {
  day: Date;
  /** Cumulative burn up to and including the day. */
  burnedCents: bigint;
  /** Projected cumulative burn (forecast days only). */
  forecastCents?: bigint;
}

function cumulativeSeries(
  history: Array<{ day: Date; cents: bigint }>,
  projection: Array<{ day: Date; cumulativeCents: bigint }>,
  projectDays: number,
): BurnPoint[] {
  const points: BurnPoint[] = [];
  let total = 0n;
  for (const entry of history) {
    total += entry.cents;
    points.push({ day: entry.day, burnedCents: total });
  }
  for (const entry of projection.slice(0, projectDays))
    points.push({
      day: entry.day,
      burnedCents: total,
      forecastCents: total + entry.cumulativeCents,
    });
  return points;
}

/**
 * Everything /ops/credits shows: pools with balances, burn and forecast;
 * hub allocations with budget, burn, percent, cost per student, series and
 * forecast. Institution admins see only their own institution's allocations
 * and no pools.
 */
export async function describeCredits(
  db: DatabaseClient,
  actor: Actor,
  { now = new Date(), projectDays = 60 }: { now?: Date; projectDays?: number } = {},
) {
  if (!can(actor, "credits.read")) throw new AppError("FORBIDDEN", "You cannot see credits");
  const allocationWhere: Prisma.AllocationWhereInput = actor.isOperator
    ? {}
    : { institutionId: { in: [...actor.adminOfInstitutionIds] } };
  const pools = actor.isOperator
    ? await db.creditPool.findMany({
        include: { ledgerAccount: true, cloud: true, region: { select: { slug: true } } },
        orderBy: { slug: "asc" },
      })
    : [];
  const allocations = await db.allocation.findMany({
    where: { ...allocationWhere, hubId: { not: null } },
    include: hubAllocationInclude,
    orderBy: { name: "asc" },
  });

  const poolViews = await Promise.all(
    pools.map(async (pool) => {
      const history = await poolBurnHistory(db, pool.id);
      const balance = pool.ledgerAccount.postedCreditsCents - pool.ledgerAccount.postedDebitsCents;
      const forecast = forecastBurn({ history, balanceCents: balance, now, until: pool.expiresAt });
      return {
        id: pool.id,
        slug: pool.slug,
        name: pool.name,
        region: pool.region.slug,
        provider: pool.cloud.provider,
        source: pool.source,
        currency: pool.currency,
        grantedCents: pool.amountCents,
        availableCents: availableCents(pool.ledgerAccount),
        heldCents: pool.ledgerAccount.pendingDebitsCents,
        spentCents: pool.ledgerAccount.postedDebitsCents,
        expiresAt: pool.expiresAt,
        dailyBurnCents: forecast.dailyRateCents,
        exhaustionDate: forecast.exhaustionDate,
        runsOutBeforeExpiry:
          forecast.exhaustionDate !== null &&
          forecast.exhaustionDate < startOfUtcDay(pool.expiresAt),
        series: cumulativeSeries(history, forecast.projection, projectDays),
      };
    }),
  );

  const allocationViews = await Promise.all(
    allocations.map((allocation) => hubAllocationView(db, allocation, { now, projectDays })),
  );
  // What the management forms choose from (ops only).
  const institutions = actor.isOperator
    ? await db.institution.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" } })
    : [];
  const institutionAllocations = actor.isOperator
    ? (
        await db.allocation.findMany({
          where: { hubId: null },
          include: { ledgerAccount: true, pool: { select: { currency: true } } },
          orderBy: { name: "asc" },
        })
      ).map((allocation) => ({
        id: allocation.id,
        name: allocation.name,
        currency: allocation.pool.currency,
        budgetCents: allocation.budgetCents,
        availableCents: availableCents(allocation.ledgerAccount),
      }))
    : [];
  // Hub-days the daily posting could not post yet (usage-posting.ts): recorded, told, retried.
  const postingProblems = (
    await db.usagePostingProblem.findMany({
      where: {
        resolvedAt: null,
        ...(actor.isOperator
          ? {}
          : { hub: { course: { institutionId: { in: [...actor.adminOfInstitutionIds] } } } }),
      },
      include: {
        hub: {
          select: { slug: true, allocation: { select: { pool: { select: { currency: true } } } } },
        },
      },
      orderBy: [{ day: "asc" }, { hubId: "asc" }],
      take: 200,
    })
  ).map((problem) => ({
    hubSlug: problem.hub.slug,
    day: problem.day,
    kind: problem.kind,
    costCents: problem.costCents,
    currency: problem.hub.allocation?.pool.currency ?? "USD",
    attempts: problem.attempts,
    lastFailedAt: problem.lastFailedAt,
    // The technical reason is for ops; admins read what kind of problem it is.
    error: actor.isOperator ? problem.error : null,
  }));
  return {
    pools: poolViews,
    allocations: allocationViews,
    institutions,
    institutionAllocations,
    postingProblems,
  };
}

/** What a hub allocation's view reads with it. */
const hubAllocationInclude = {
  ledgerAccount: true,
  institution: { select: { name: true } },
  pool: { select: { name: true, currency: true } },
  hub: {
    include: {
      course: { select: { code: true, title: true, expectedEnrollment: true, endDate: true } },
    },
  },
} as const satisfies Prisma.AllocationInclude;

type HubAllocationRow = Prisma.AllocationGetPayload<{ include: typeof hubAllocationInclude }>;

/**
 * One hub allocation as people read it: budget, what is spent and held and still owed, the
 * forecast to the course's end, cost per student, and the cumulative series for its chart.
 * /ops/credits shows one per hub, a course's page its own hubs' (describeCourseSpend).
 */
async function hubAllocationView(
  db: DatabaseClient,
  allocation: HubAllocationRow,
  { now, projectDays }: { now: Date; projectDays: number },
) {
  const hub = allocation.hub;
  const history = hub
    ? (await db.dailyUsageCost.findMany({ where: { hubId: hub.id }, orderBy: { day: "asc" } })).map(
        (cost) => ({ day: cost.day, cents: cost.costCents }),
      )
    : [];
  const burned = allocation.ledgerAccount.postedDebitsCents;
  const owedCents = hub ? await owedCentsOf(db, hub.id) : 0n;
  const forecastUntil = hub?.course.endDate ?? null;
  const forecast = forecastBurn({
    history,
    balanceCents: allocation.budgetCents - burned - owedCents,
    now,
    until: forecastUntil ?? undefined,
  });
  const months = history.length / 30;
  const enrollment = hub?.course.expectedEnrollment ?? 0;
  return {
    id: allocation.id,
    name: allocation.name,
    institution: allocation.institution.name,
    pool: allocation.pool.name,
    currency: allocation.pool.currency,
    hubSlug: hub?.slug ?? null,
    hubStatus: hub?.status ?? null,
    course: hub ? `${hub.course.code}: ${hub.course.title}` : null,
    limitPolicy: allocation.limitPolicy,
    suspendGraceHours: allocation.suspendGraceHours,
    budgetCents: allocation.budgetCents,
    burnedCents: burned,
    heldCents: allocation.ledgerAccount.pendingCreditsCents,
    /** Days of usage that could not be paid yet (the credit ran out); billed after a top-up. */
    owedCents,
    burnedPercent: burnedPercent(allocation.budgetCents, burned + owedCents),
    dailyBurnCents: forecast.dailyRateCents,
    costPerStudentMonthCents:
      enrollment > 0 && months > 0
        ? BigInt(Math.round(Number(burned) / enrollment / months))
        : null,
    exhaustionDate: forecast.exhaustionDate,
    /** The forecast stops here (the course's end): no exhaustion date means it lasts until then. */
    forecastUntil,
    series: cumulativeSeries(history, forecast.projection, projectDays),
  };
}

/**
 * A course's spend for its page (issue 17): each of its hubs' allocation against its budget, with
 * the forecast to the course's end. For the course's instructors, the institution's admins and
 * ops (`course.spend.read`); a course someone may not see does not exist for them.
 */
export async function describeCourseSpend(
  db: DatabaseClient,
  actor: Actor,
  courseSlug: string,
  { now = new Date(), projectDays = 60 }: { now?: Date; projectDays?: number } = {},
) {
  const course = await db.course.findUnique({
    where: { slug: courseSlug },
    select: { id: true, institutionId: true },
  });
  if (
    !course ||
    !can(actor, "course.spend.read", { courseId: course.id, institutionId: course.institutionId })
  )
    throw new AppError("NOT_FOUND", "Course not found");
  const allocations = await db.allocation.findMany({
    where: { hub: { courseId: course.id } },
    include: hubAllocationInclude,
    orderBy: { name: "asc" },
  });
  return {
    allocations: await Promise.all(
      allocations.map((allocation) => hubAllocationView(db, allocation, { now, projectDays })),
    ),
  };
}
