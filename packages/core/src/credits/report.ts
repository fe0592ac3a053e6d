import { can, type Actor } from "@hubfed/auth/permissions";
import type { DatabaseClient } from "@hubfed/db";
import { AppError } from "../errors";
import { centsAsDecimal, csvNumber, renderCsv, type CsvCell } from "../csv";

export interface SpendLine {
  name: string;
  currency: string;
  spentCents: bigint;
}

export interface MonthlySpendReport {
  month: string;
  byPool: SpendLine[];
  byInstitution: SpendLine[];
  byHub: Array<
    SpendLine & { institution: string; pool: string; students: number; perStudentCents: bigint }
  >;
}

/** Spend posted for the days of one month ("2026-10"), per pool, per institution and per hub. */
export async function reportMonthlySpend(
  db: DatabaseClient,
  month: string,
  { institutionIds }: { institutionIds?: string[] } = {},
): Promise<MonthlySpendReport> {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month))
    throw new AppError("BAD_REQUEST", "A month looks like 2026-10", {
      month: ["must look like 2026-10"],
    });
  const [year, monthNumber] = month.split("-").map(Number) as [number, number];
  const from = new Date(Date.UTC(year, monthNumber - 1, 1));
  const to = new Date(Date.UTC(year, monthNumber, 1));
  const costs = await db.dailyUsageCost.findMany({
    where: {
      day: { gte: from, lt: to },
      ...(institutionIds ? { hub: { course: { institutionId: { in: institutionIds } } } } : {}),
    },
    include: {
      hub: {
        include: {
          course: { select: { expectedEnrollment: true, institution: { select: { name: true } } } },
          allocation: { include: { pool: { select: { name: true, currency: true } } } },
        },
      },
    },
  });
  return summariseSpend(
    month,
    costs.map((cost) => ({
      hub: cost.hub.slug,
      institution: cost.hub.course.institution.name,
      pool: cost.hub.allocation?.pool.name ?? "(no pool)",
      currency: cost.hub.allocation?.pool.currency ?? "USD",
      students: cost.hub.course.expectedEnrollment,
      costCents: cost.costCents,
    })),
  );
}

/** One posted day's cost of a hub, with what the report groups it by. */
export interface SpendCost {
  hub: string;
  institution: string;
  pool: string;
  currency: string;
  students: number;
  costCents: bigint;
}

/** Posted costs added up per pool, per institution and per hub. */
export function summariseSpend(month: string, costs: Iterable<SpendCost>): MonthlySpendReport {
  // A line per name and currency: amounts in different currencies are never added together,
  // so an institution with pools in two currencies gets a line for each.
  const keyOf = (name: string, currency: string) => JSON.stringify([name, currency]);
  const add = (map: Map<string, SpendLine>, name: string, currency: string, cents: bigint) => {
    const key = keyOf(name, currency);
    const line = map.get(key) ?? { name, currency, spentCents: 0n };
    line.spentCents += cents;
    map.set(key, line);
  };
  const pools = new Map<string, SpendLine>();
  const institutions = new Map<string, SpendLine>();
  const hubs = new Map<string, MonthlySpendReport["byHub"][number]>();
  for (const cost of costs) {
    const { currency } = cost;
    add(pools, cost.pool, currency, cost.costCents);
    add(institutions, cost.institution, currency, cost.costCents);
    const hubKey = keyOf(cost.hub, currency);
    const line = hubs.get(hubKey) ?? {
      name: cost.hub,
      currency,
      spentCents: 0n,
      institution: cost.institution,
      pool: cost.pool,
      students: cost.students,
      perStudentCents: 0n,
    };
    line.spentCents += cost.costCents;
    line.perStudentCents = line.students > 0 ? line.spentCents / BigInt(line.students) : 0n;
    hubs.set(hubKey, line);
  }
  // Largest first within a currency: amounts in different currencies do not compare.
  const sorted = <T extends SpendLine>(lines: Iterable<T>) =>
    [...lines].sort((a, b) =>
      a.currency !== b.currency
        ? a.currency.localeCompare(b.currency)
        : b.spentCents > a.spentCents
          ? 1
          : b.spentCents < a.spentCents
            ? -1
            : a.name.localeCompare(b.name),
    );
  return {
    month,
    byPool: sorted(pools.values()),
    byInstitution: sorted(institutions.values()),
    byHub: sorted(hubs.values()),
  };
}

export function renderSpendCsv(report: MonthlySpendReport): string {
  const rows: CsvCell[][] = [
    ["month", "hub", "institution", "pool", "currency", "spent", "students", "spent_per_student"],
  ];
  for (const line of report.byHub)
    rows.push([
      report.month,
      line.name,
      line.institution,
      line.pool,
      line.currency,
      csvNumber(centsAsDecimal(line.spentCents)),
      csvNumber(line.students),
      csvNumber(centsAsDecimal(line.perStudentCents)),
    ]);
  return renderCsv(rows);
}

export function renderSpendText(report: MonthlySpendReport): string {
  const section = (title: string, lines: SpendLine[]) =>
    [
      `${title}`,
      ...(lines.length
        ? lines.map(
            (line) =>
              `  ${line.name.padEnd(44)} ${line.currency} ${centsAsDecimal(line.spentCents).padStart(12)}`,
          )
        : ["  (nothing posted)"]),
    ].join("\n");
  return [
    `Spend for ${report.month}`,
    section("Per pool", report.byPool),
    section("Per institution", report.byInstitution),
    section("Per hub", report.byHub),
  ].join("\n\n");
}

/**
 * A month's spend per hub as CSV for the one asking: all of it for ops,
 * their own institutions' for institution admins, nothing for anyone else.
 */
export async function spendCsvFor(
  db: DatabaseClient,
  actor: Actor,
  month: string,
): Promise<{ month: string; csv: string }> {
  if (!can(actor, "credits.read")) throw new AppError("FORBIDDEN", "You cannot see credits");
  const report = await reportMonthlySpend(db, month, {
    institutionIds: actor.isOperator ? undefined : [...actor.adminOfInstitutionIds],
  });
  return { month: report.month, csv: renderSpendCsv(report) };
}
