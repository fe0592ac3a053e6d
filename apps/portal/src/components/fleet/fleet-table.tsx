import Link from "next/link";
import type { AppRouterOutputs } from "@hubfed/api";
import { StatusBadge } from "~/components/status-badge";
import { SortHeader } from "~/components/table/sort-header";
import { WideTable } from "~/components/wide-table";
import { formatAgo, formatCents, formatDate } from "~/lib/format";

type FleetHub = AppRouterOutputs["fleet"]["list"]["items"][number];

export const healthLabels: Record<FleetHub["health"], string> = {
  healthy: "Healthy",
  attention: "Needs attention",
  failing: "Failing",
  starting: "Starting",
  stopped: "Stopped",
};

const healthTones: Record<FleetHub["health"], string> = {
  healthy: "text-green-700",
  attention: "text-amber-800",
  failing: "text-red-700",
  starting: "text-blue-700",
  stopped: "text-slate-500",
};

/** The share of the allocation burned, as a bar: the table is read at a glance. */
function BudgetBar({ percent }: { percent: number }) {
  const tone = percent >= 100 ? "bg-red-600" : percent >= 75 ? "bg-amber-500" : "bg-green-600";
  return (
    <div className="flex items-center gap-2">
      <div
        className="h-2 w-20 overflow-hidden rounded-full bg-slate-200"
        role="img"
        aria-label={`${percent}% of the allocation used`}
      >
        <div className={`h-full ${tone}`} style={{ width: `${Math.min(100, percent)}%` }} />
      </div>
      <span className="tabular-nums">{percent}%</span>
    </div>
  );
}

function Runway({ hub }: { hub: FleetHub }) {
  if (hub.budgetCents === null) return <span className="text-slate-500">no allocation</span>;
  if (hub.runwayDays === null) return <span className="text-slate-600">lasts the course</span>;
  const tone = hub.runwayDays <= 7 ? "font-semibold text-red-700" : "";
  return (
    <span className={tone} title={`Runs out around ${formatDate(hub.exhaustionDate)}`}>
      {hub.runwayDays} days
    </span>
  );
}

export function FleetTable({
  hubs,
  path,
  params,
  sort,
  direction,
  now,
}: {
  hubs: FleetHub[];
  path: string;
  params: Record<string, string>;
  sort: string;
  direction: "asc" | "desc";
  now: Date;
}) {
  const header = (label: string, sortKey: string, firstDirection: "asc" | "desc" = "asc") => (
    <SortHeader
      label={label}
      sortKey={sortKey}
      path={path}
      params={params}
      current={sort}
      direction={direction}
      firstDirection={firstDirection}
    />
  );
  return (
    <WideTable className="w-full min-w-[64rem] text-left text-sm" data-testid="fleet-table">
      <thead className="border-b border-slate-200 text-slate-600">
        <tr>
          {header("Hub", "course")}
          {header("Status", "status")}
          {header("Institution", "institution")}
          <th scope="col" className="px-3 py-2">
            Region · cluster
          </th>
          {header("Active now", "activeUsers", "desc")}
          {header("Spent this month", "spentThisMonth", "desc")}
          {header("Budget used", "budgetUsed", "desc")}
          <th scope="col" className="px-3 py-2">
            Runway
          </th>
          {header("Last reconcile", "lastReconciled", "desc")}
        </tr>
      </thead>
      <tbody>
        {hubs.map((hub) => (
          <tr key={hub.slug} className="border-b border-slate-100 align-top">
            <td className="px-3 py-2">
              <Link
                href={`/ops/hubs/${encodeURIComponent(hub.slug)}`}
                className="font-medium text-brand-700 hover:underline"
              >
                {hub.slug}
              </Link>
              <div className="text-slate-600">{hub.course}</div>
            </td>
            <td className="px-3 py-2">
              <StatusBadge status={hub.status} />
              <div className={`mt-1 text-xs ${healthTones[hub.health]}`}>
                {healthLabels[hub.health]}
                {hub.failingConditions.length > 0 ? `: ${hub.failingConditions.join(", ")}` : ""}
              </div>
            </td>
            <td className="px-3 py-2">{hub.institution}</td>
            <td className="px-3 py-2">
              {hub.region} · {hub.cluster}
              <div className="text-xs text-slate-500">{hub.runtime.toLowerCase()}</div>
            </td>
            <td className="px-3 py-2 tabular-nums">{hub.activeUsers ?? "—"}</td>
            <td className="px-3 py-2 tabular-nums">
              {hub.currency ? formatCents(hub.spentThisMonthCents, hub.currency) : "—"}
            </td>
            <td className="px-3 py-2">
              {hub.budgetUsedPercent === null ? (
                <span className="text-slate-500">—</span>
              ) : (
                <BudgetBar percent={hub.budgetUsedPercent} />
              )}
            </td>
            <td className="px-3 py-2">
              <Runway hub={hub} />
            </td>
            <td className="px-3 py-2" title={hub.lastReconciledAt?.toISOString()}>
              {formatAgo(hub.lastReconciledAt, now)}
            </td>
          </tr>
        ))}
      </tbody>
    </WideTable>
  );
}
