"use client";

import { useQuery } from "@tanstack/react-query";
import {
  Bar,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { formatDateTime } from "~/lib/format";
import { useTRPC } from "~/trpc/react";

/**
 * The hub's own JupyterHub metrics, as metering scraped them: people active in the last day,
 * and servers started per hour with how long they took to start (`usage.hubMetrics`).
 */
export function HubMetricsPanel({ slug }: { slug: string }) {
  const trpc = useTRPC();
  const metrics = useQuery(trpc.usage.hubMetrics.queryOptions({ slug }));
  if (metrics.isPending) return <p className="text-slate-500">Loading the hub&apos;s metrics…</p>;
  // A hub this person may not see has no metrics section (the page says why elsewhere).
  if (metrics.isError && metrics.error.data?.code === "NOT_FOUND") return null;
  if (metrics.isError)
    return (
      <p role="alert" className="text-red-700">
        Could not load the hub&apos;s metrics: {metrics.error.message}
      </p>
    );
  const summary = metrics.data;
  if (!summary.sampledAt)
    return (
      <p className="text-sm text-slate-600" data-testid="hub-metrics">
        No metrics from this hub yet: they are read with its usage every few minutes while it runs
        (local hubs; Kubernetes hubs report usage from the cluster only).
      </p>
    );
  const data = summary.hours.map((hour) => ({
    label: hour.hourStart.toLocaleTimeString("en-US", { hour: "2-digit", minute: "2-digit" }),
    spawns: hour.spawns,
    failed: hour.failedSpawns,
    seconds: hour.averageSpawnSeconds === null ? null : Number(hour.averageSpawnSeconds.toFixed(1)),
  }));
  const figures = [
    ["Active users, last 24 h", summary.activeUsers24h ?? "—"],
    ["Servers started, last 24 h", summary.spawns],
    [
      "Average start time",
      summary.averageSpawnSeconds === null ? "—" : `${summary.averageSpawnSeconds.toFixed(1)} s`,
    ],
    ["Failed starts, last 24 h", summary.failedSpawns],
  ] as const;
  return (
    <div className="space-y-4" data-testid="hub-metrics">
      <dl className="grid gap-3 sm:grid-cols-4">
        {figures.map(([term, value]) => (
          <div key={term} className="rounded-lg border border-slate-200 bg-white p-3 shadow-sm">
            <dt className="text-xs text-slate-500">{term}</dt>
            <dd className="text-lg font-semibold">{value}</dd>
          </div>
        ))}
      </dl>
      {summary.activeUsers24h === null ? (
        <p className="text-xs text-slate-500">
          Active users: not reported by this JupyterHub (JupyterHub 4 and later report them).
        </p>
      ) : null}
      <div
        className="h-48 w-full"
        aria-label="Servers started per hour and their average start time"
      >
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
            <XAxis dataKey="label" tick={{ fontSize: 10 }} minTickGap={24} />
            <YAxis yAxisId="spawns" allowDecimals={false} tick={{ fontSize: 10 }} width={32} />
            <YAxis
              yAxisId="seconds"
              orientation="right"
              tick={{ fontSize: 10 }}
              width={40}
              tickFormatter={(value: number) => `${value} s`}
            />
            <Tooltip />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            <Bar yAxisId="spawns" dataKey="spawns" name="servers started" fill="#1d5fd6" />
            <Bar yAxisId="spawns" dataKey="failed" name="failed starts" fill="#dc2626" />
            <Line
              yAxisId="seconds"
              dataKey="seconds"
              name="average start (s)"
              stroke="#d97706"
              connectNulls
              dot={false}
            />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <p className="text-xs text-slate-500">
        Last read from the hub {formatDateTime(summary.sampledAt)}.
      </p>
    </div>
  );
}
