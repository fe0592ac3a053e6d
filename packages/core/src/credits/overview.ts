import { can, type Actor } from "@hubfed/auth/permissions";
import type { DatabaseClient, Prisma } from "@hubfed/db";
import { AppError } from "../errors";
import { burnedPercent, poolBurnHistory } from "./alerts";
import { forecastBurn, startOfUtcDay } from "./forecast";
import { availableCents } from "./ledger";

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
    include: {
      ledgerAccount: true,
      institution: { select: { name: true } },
      pool: { select: { name: true, currency: true } },
      hub: {
        include: {
          course: { select: { code: true, title: true, expectedEnrollment: true, endDate: true } },
        },
      },
    },
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
    allocations.map(async (allocation) => {
      const hub = allocation.hub;
      const history = hub
        ? (
            await db.dailyUsageCost.findMany({ where: { hubId: hub.id }, orderBy: { day: "asc" } })
          ).map((cost) => ({ day: cost.day, cents: cost.costCents }))
        : [];
      const burned = allocation.ledgerAccount.postedDebitsCents;
      const forecastUntil = hub?.course.endDate ?? null;
      const forecast = forecastBurn({
        history,
        balanceCents: allocation.budgetCents - burned,
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
        budgetCents: allocation.budgetCents,
        burnedCents: burned,
        heldCents: allocation.ledgerAccount.pendingCreditsCents,
        burnedPercent: burnedPercent(allocation.budgetCents, burned),
        costPerStudentMonthCents:
          enrollment > 0 && months > 0
            ? BigInt(Math.round(Number(burned) / enrollment / months))
            : null,
        exhaustionDate: forecast.exhaustionDate,
        /** The forecast stops here (the course's end): no exhaustion date means it lasts until then. */
        forecastUntil,
        series: cumulativeSeries(history, forecast.projection, projectDays),
      };
    }),
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
  return { pools: poolViews, allocations: allocationViews, institutions, institutionAllocations };
}
