import { can, type Actor } from "@hubfed/auth/permissions";
import { type DatabaseClient, type HubStatus, Prisma } from "@hubfed/db";
import { z } from "zod";
import { burnedPercent } from "../credits/alerts";
import { forecastBurn, startOfUtcDay } from "../credits/forecast";
import { centsAsDecimal, type CsvCell, csvNumber, renderCsv } from "../csv";
import { AppError } from "../errors";
import { allHubStatuses } from "../hubs/lifecycle";
import { offsetOf, pageInput, pageOf, type Page } from "../paging";

/**
 * How a hub is doing, in one word ops can filter on:
 * - `healthy`: running with every condition true;
 * - `attention`: running, but degraded or with a condition false;
 * - `failing`: provisioning failed;
 * - `starting`: not yet running (pending, provisioning);
 * - `stopped`: suspended, retiring or archived.
 * Decided in SQL (fleetHealthSql) so the filter and the column agree.
 */
export const fleetHealths = ["healthy", "attention", "failing", "starting", "stopped"] as const;
export type FleetHealth = (typeof fleetHealths)[number];

export const fleetSortKeys = [
  "course",
  "institution",
  "status",
  "activeUsers",
  "spentThisMonth",
  "budgetUsed",
  "lastReconciled",
] as const;

export const fleetQueryInput = pageInput.extend({
  search: z.string().trim().max(100).optional(),
  status: z.enum(allHubStatuses as [HubStatus, ...HubStatus[]]).optional(),
  health: z.enum(fleetHealths).optional(),
  regionSlug: z.string().trim().max(80).optional(),
  institutionId: z.string().trim().max(80).optional(),
  sort: z.enum(fleetSortKeys).default("course"),
  direction: z.enum(["asc", "desc"]).default("asc"),
});
export type FleetQuery = z.input<typeof fleetQueryInput>;

/** A sample older than this is not "now": the hub's active users are unknown. */
const activeUsersFreshMs = 30 * 60_000;

export interface FleetHub {
  slug: string;
  status: HubStatus;
  health: FleetHealth;
  /** Condition types that are false (ops read them on the hub page). */
  failingConditions: string[];
  courseSlug: string;
  course: string;
  institutionId: string;
  institution: string;
  region: string;
  cluster: string;
  runtime: "LOCAL" | "KUBERNETES";
  /** From the latest usage sample, when it is recent; null when unknown. */
  activeUsers: number | null;
  currency: string | null;
  spentThisMonthCents: bigint;
  budgetCents: bigint | null;
  burnedCents: bigint | null;
  budgetUsedPercent: number | null;
  /** Days until the allocation runs out at the recent burn (burn forecast); null when it lasts the course. */
  runwayDays: number | null;
  exhaustionDate: Date | null;
  lastReconciledAt: Date | null;
  lastHealthyAt: Date | null;
}

interface FleetRow {
  id: string;
  slug: string;
  status: HubStatus;
  health: FleetHealth;
  failingConditions: string[];
  courseSlug: string;
  courseCode: string;
  courseTitle: string;
  courseEndDate: Date;
  institutionId: string;
  institutionName: string;
  regionName: string;
  clusterName: string;
  runtime: "LOCAL" | "KUBERNETES";
  activeUsers: number | null;
  currency: string | null;
  spentThisMonthCents: bigint;
  budgetCents: bigint | null;
  burnedCents: bigint | null;
  lastReconciledAt: Date | null;
  lastHealthyAt: Date | null;
}

/** The one rule for a hub's health (the filter and the column both use it); `h` is the hub. */
const fleetHealthSql = Prisma.sql`
  CASE
    WHEN h.status IN ('SUSPENDED', 'DECOMMISSIONING', 'ARCHIVED') THEN 'stopped'
    WHEN h.status = 'FAILED' THEN 'failing'
    WHEN h.status IN ('PENDING', 'PROVISIONING') THEN 'starting'
    WHEN h.status = 'DEGRADED' OR EXISTS (
      SELECT 1 FROM "HubCondition" hc WHERE hc."hubId" = h.id AND hc.status = 'FALSE'
    ) THEN 'attention'
    ELSE 'healthy'
  END`;

/** The figures that change with time, as of `now`. */
function figuresAsOf(now: Date) {
  const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const freshSince = new Date(now.getTime() - activeUsersFreshMs);
  return {
    // Active users from the latest sample (UsageSample (hubId, sampledAt)), when recent.
    activeUsers: Prisma.sql`(SELECT CASE WHEN u."sampledAt" >= ${freshSince} THEN u."activeUsers" END
      FROM "UsageSample" u WHERE u."hubId" = h.id ORDER BY u."sampledAt" DESC LIMIT 1)`,
    // The month's priced days (DailyUsageCost (hubId, day)).
    spentThisMonth: Prisma.sql`(SELECT COALESCE(SUM(d."costCents"), 0)::bigint
      FROM "DailyUsageCost" d WHERE d."hubId" = h.id AND d.day >= ${monthStart}::date)`,
  };
}

const hubJoins = Prisma.sql`
  FROM "Hub" h
  JOIN "Course" c ON c.id = h."courseId"
  JOIN "Institution" i ON i.id = c."institutionId"
  JOIN "Cluster" cl ON cl.id = h."clusterId"
  JOIN "Region" r ON r.id = cl."regionId"`;

/** Which institutions' hubs the actor sees: every one for ops, their own for institution admins. */
function institutionScope(actor: Actor, institutionId?: string): string[] | "all" {
  if (!can(actor, "fleet.read")) throw new AppError("FORBIDDEN", "You cannot see the fleet");
  // Another institution named in the filter is refused, not quietly narrowed to nothing.
  if (institutionId && !can(actor, "fleet.read", { institutionId }))
    throw new AppError("FORBIDDEN", "You can see only your own institution's hubs");
  return actor.isOperator ? "all" : [...actor.adminOfInstitutionIds];
}

/**
 * Phase one: the ids of the hubs on the page, in order, and how many match.
 * Only what the filters and the chosen sort need is computed for every
 * matching hub; a sort by course touches no usage or spend at all.
 */
async function pageOfHubIds(
  db: DatabaseClient,
  actor: Actor,
  query: z.output<typeof fleetQueryInput>,
  { now, limit, offset }: { now: Date; limit: number | null; offset: number },
): Promise<{ ids: string[]; total: number }> {
  const scope = institutionScope(actor, query.institutionId);
  const figures = figuresAsOf(now);
  const filters: Prisma.Sql[] = [];
  if (scope !== "all")
    filters.push(
      scope.length > 0
        ? Prisma.sql`c."institutionId" IN (${Prisma.join(scope)})`
        : Prisma.sql`false`,
    );
  if (query.institutionId) filters.push(Prisma.sql`c."institutionId" = ${query.institutionId}`);
  if (query.regionSlug) filters.push(Prisma.sql`r.slug = ${query.regionSlug}`);
  if (query.status) filters.push(Prisma.sql`h.status::text = ${query.status}`);
  if (query.health) filters.push(Prisma.sql`(${fleetHealthSql}) = ${query.health}`);
  if (query.search) {
    const pattern = `%${query.search.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
    filters.push(Prisma.sql`(h.slug ILIKE ${pattern} OR c.code ILIKE ${pattern}
      OR c.title ILIKE ${pattern} OR i.name ILIKE ${pattern})`);
  }
  const where =
    filters.length > 0 ? Prisma.sql`WHERE ${Prisma.join(filters, " AND ")}` : Prisma.empty;
  const sortValue: Record<(typeof fleetSortKeys)[number], Prisma.Sql> = {
    course: Prisma.sql`c.code`,
    institution: Prisma.sql`i.name`,
    status: Prisma.sql`h.status::text`,
    activeUsers: figures.activeUsers,
    spentThisMonth: figures.spentThisMonth,
    // Burned share of the budget; hubs without an allocation sort last.
    budgetUsed: Prisma.sql`(SELECT CASE WHEN a."budgetCents" > 0
        THEN la."postedDebitsCents"::numeric / a."budgetCents" END
      FROM "Allocation" a JOIN "LedgerAccount" la ON la.id = a."ledgerAccountId"
      WHERE a."hubId" = h.id)`,
    lastReconciled: Prisma.sql`h."lastReconciledAt"`,
  };
  const direction = query.direction === "desc" ? Prisma.sql`DESC` : Prisma.sql`ASC`;
  const page = limit === null ? Prisma.empty : Prisma.sql`LIMIT ${limit} OFFSET ${offset}`;
  const rows = await db.$queryRaw<Array<{ id: string; total: bigint }>>`
    SELECT h.id, COUNT(*) OVER () AS total
    ${hubJoins}
    ${where}
    ORDER BY ${sortValue[query.sort]} ${direction} NULLS LAST, h.slug ASC
    ${page}`;
  if (rows[0]) return { ids: rows.map((row) => row.id), total: Number(rows[0].total) };
  // An offset past the end returns no row to carry the total; count it then.
  if (offset === 0) return { ids: [], total: 0 };
  const [count] = await db.$queryRaw<Array<{ total: bigint }>>`
    SELECT COUNT(*) AS total ${hubJoins} ${where}`;
  return { ids: [], total: Number(count?.total ?? 0n) };
}

/** Phase two: everything the table shows, for the hubs of the page only. */
async function describeHubs(db: DatabaseClient, ids: string[], now: Date): Promise<FleetRow[]> {
  if (ids.length === 0) return [];
  const figures = figuresAsOf(now);
  const rows = await db.$queryRaw<FleetRow[]>`
    SELECT h.id, h.slug, h.status, ${fleetHealthSql} AS health,
           COALESCE((SELECT array_agg(hc.type ORDER BY hc.type) FROM "HubCondition" hc
                     WHERE hc."hubId" = h.id AND hc.status = 'FALSE'), ARRAY[]::text[])
             AS "failingConditions",
           c.slug AS "courseSlug", c.code AS "courseCode", c.title AS "courseTitle",
           c."endDate" AS "courseEndDate",
           i.id AS "institutionId", i.name AS "institutionName",
           r.name AS "regionName", cl."displayName" AS "clusterName", cl.runtime::text AS runtime,
           ${figures.activeUsers} AS "activeUsers",
           ${figures.spentThisMonth} AS "spentThisMonthCents",
           la.currency, a."budgetCents", la."postedDebitsCents" AS "burnedCents",
           h."lastReconciledAt", h."lastHealthyAt"
    ${hubJoins}
    LEFT JOIN "Allocation" a ON a."hubId" = h.id
    LEFT JOIN "LedgerAccount" la ON la.id = a."ledgerAccountId"
    WHERE h.id IN (${Prisma.join(ids)})`;
  const position = new Map(ids.map((id, index) => [id, index]));
  return rows.sort((a, b) => position.get(a.id)! - position.get(b.id)!);
}

/** Each hub's burn of the last weeks, for the runway forecast of the rows shown. */
async function recentBurnByHub(db: DatabaseClient, hubIds: string[], now: Date) {
  const since = new Date(startOfUtcDay(now).getTime() - 28 * 86_400_000);
  const costs =
    hubIds.length === 0
      ? []
      : await db.dailyUsageCost.findMany({
          where: { hubId: { in: hubIds }, day: { gte: since } },
          select: { hubId: true, day: true, costCents: true },
        });
  const byHub = new Map<string, Array<{ day: Date; cents: bigint }>>();
  for (const cost of costs) {
    const history = byHub.get(cost.hubId) ?? [];
    history.push({ day: cost.day, cents: cost.costCents });
    byHub.set(cost.hubId, history);
  }
  return byHub;
}

async function toFleetHubs(db: DatabaseClient, rows: FleetRow[], now: Date): Promise<FleetHub[]> {
  const burns = await recentBurnByHub(
    db,
    rows.map((row) => row.id),
    now,
  );
  return rows.map((row) => {
    const hasBudget = row.budgetCents !== null && row.burnedCents !== null;
    // The same forecast as /ops/credits (weekday pattern, stopping at the course's end).
    const forecast = hasBudget
      ? forecastBurn({
          history: burns.get(row.id) ?? [],
          balanceCents: row.budgetCents! - row.burnedCents!,
          now,
          until: row.courseEndDate,
        })
      : null;
    return {
      slug: row.slug,
      status: row.status,
      health: row.health,
      failingConditions: row.failingConditions,
      courseSlug: row.courseSlug,
      course: `${row.courseCode}: ${row.courseTitle}`,
      institutionId: row.institutionId,
      institution: row.institutionName,
      region: row.regionName,
      cluster: row.clusterName,
      runtime: row.runtime,
      activeUsers: row.activeUsers,
      currency: row.currency,
      spentThisMonthCents: row.spentThisMonthCents,
      budgetCents: row.budgetCents,
      burnedCents: row.burnedCents,
      budgetUsedPercent: hasBudget ? burnedPercent(row.budgetCents!, row.burnedCents!) : null,
      runwayDays: forecast?.runwayDays ?? null,
      exhaustionDate: forecast?.exhaustionDate ?? null,
      lastReconciledAt: row.lastReconciledAt,
      lastHealthyAt: row.lastHealthyAt,
    };
  });
}

/**
 * The fleet view (/ops/hubs): every hub ops may see, filtered, sorted and
 * paged in the database. Institution admins get their institutions' hubs.
 */
export async function listFleet(
  db: DatabaseClient,
  actor: Actor,
  input: FleetQuery,
  { now = new Date() }: { now?: Date } = {},
): Promise<Page<FleetHub>> {
  const query = fleetQueryInput.parse(input);
  const { ids, total } = await pageOfHubIds(db, actor, query, {
    now,
    limit: query.pageSize,
    offset: offsetOf(query),
  });
  return pageOf(await toFleetHubs(db, await describeHubs(db, ids, now), now), total, query);
}

/** What the fleet view's filters choose from, within the actor's scope. */
export async function fleetFilterChoices(db: DatabaseClient, actor: Actor) {
  const scope = institutionScope(actor);
  const institutionWhere = scope === "all" ? {} : { id: { in: scope } };
  const [institutions, regions] = await Promise.all([
    db.institution.findMany({
      where: institutionWhere,
      select: { id: true, name: true },
      orderBy: { name: "asc" },
    }),
    db.region.findMany({ select: { slug: true, name: true }, orderBy: { name: "asc" } }),
  ]);
  return { institutions, regions, statuses: allHubStatuses, healths: [...fleetHealths] };
}

function money(cents: bigint | null): CsvCell {
  return cents === null ? "" : csvNumber(centsAsDecimal(cents));
}

/** The fleet view's rows as CSV: every matching hub, not only one page. */
export async function fleetCsv(
  db: DatabaseClient,
  actor: Actor,
  input: FleetQuery,
  { now = new Date() }: { now?: Date } = {},
): Promise<{ fileName: string; csv: string }> {
  const query = fleetQueryInput.parse(input);
  const { ids } = await pageOfHubIds(db, actor, query, { now, limit: null, offset: 0 });
  const hubs = await toFleetHubs(db, await describeHubs(db, ids, now), now);
  const header = [
    "hub",
    "status",
    "health",
    "course",
    "institution",
    "region",
    "cluster",
    "active_users",
    "currency",
    "spent_this_month",
    "budget",
    "burned",
    "budget_used_percent",
    "runway_days",
    "last_reconciled_at",
    "last_healthy_at",
  ];
  const rows = hubs.map((hub) => [
    hub.slug,
    hub.status,
    hub.health,
    hub.course,
    hub.institution,
    hub.region,
    hub.cluster,
    hub.activeUsers === null ? "" : csvNumber(hub.activeUsers),
    hub.currency ?? "",
    money(hub.spentThisMonthCents),
    money(hub.budgetCents),
    money(hub.burnedCents),
    hub.budgetUsedPercent === null ? "" : csvNumber(hub.budgetUsedPercent),
    hub.runwayDays === null ? "" : csvNumber(hub.runwayDays),
    hub.lastReconciledAt?.toISOString() ?? "",
    hub.lastHealthyAt?.toISOString() ?? "",
  ]);
  return {
    fileName: `hubfed-fleet-${now.toISOString().slice(0, 10)}.csv`,
    csv: renderCsv([header, ...rows]),
  };
}
