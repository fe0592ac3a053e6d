"use client";

import {
  Area,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";

export interface ClusterPlanChartPoint {
  at: Date;
  plannedMemoryGib: number;
  poolMaxMemoryGib: number;
}

const dayFormat = new Intl.DateTimeFormat("en-US", {
  month: "short",
  day: "numeric",
  hour: "numeric",
  timeZone: "UTC",
});

/**
 * The memory every hub of a cluster plans to hold warm, summed, against what
 * its user pool can give at most: where the shading crosses the line, two
 * classes want the same nodes at once.
 */
export function ClusterPlanChart({
  clusterName,
  points,
}: {
  clusterName: string;
  points: ClusterPlanChartPoint[];
}) {
  const data = points.map((point) => ({ ...point, time: point.at.getTime() }));
  return (
    <div
      className="h-48 w-full"
      role="img"
      aria-label={`Planned memory on ${clusterName} against its user pool's maximum, next 14 days`}
      data-testid="cluster-plan-chart"
    >
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
          <XAxis
            dataKey="time"
            type="number"
            scale="time"
            domain={["dataMin", "dataMax"]}
            tick={{ fontSize: 10 }}
            minTickGap={32}
            tickFormatter={(value: number) => dayFormat.format(new Date(value))}
          />
          <YAxis tick={{ fontSize: 10 }} width={48} unit=" GiB" />
          <Tooltip
            labelFormatter={(value) => `${dayFormat.format(new Date(Number(value)))} UTC`}
            formatter={(value, name) => [
              `${String(value)} GiB`,
              name === "plannedMemoryGib" ? "planned" : "pool maximum",
            ]}
          />
          <Legend
            formatter={(name) => (name === "plannedMemoryGib" ? "planned" : "pool maximum")}
            wrapperStyle={{ fontSize: 12 }}
          />
          <Area
            type="stepAfter"
            dataKey="plannedMemoryGib"
            stroke="#1d5fd6"
            fill="#1d5fd6"
            fillOpacity={0.2}
            isAnimationActive={false}
          />
          <Line
            type="stepAfter"
            dataKey="poolMaxMemoryGib"
            stroke="#b91c1c"
            strokeDasharray="4 3"
            dot={false}
            isAnimationActive={false}
          />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
