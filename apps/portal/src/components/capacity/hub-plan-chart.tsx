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

export interface HubPlanChartPoint {
  at: Date;
  plannedSeats: number;
  activeUsers: number | null;
}

/**
 * Warm seats planned against students actually active, over a week: where the
 * line rises above the shaded plan, students waited for a node.
 */
export function HubPlanChart({
  points,
  timeZone,
}: {
  points: HubPlanChartPoint[];
  timeZone: string;
}) {
  // The course's own clock: a 10:00 lecture reads 10 AM wherever the viewer is.
  const format = new Intl.DateTimeFormat("en-US", { weekday: "short", hour: "numeric", timeZone });
  const data = points.map((point) => ({
    time: point.at.getTime(),
    plannedSeats: point.plannedSeats,
    activeUsers: point.activeUsers,
  }));
  return (
    <div
      className="h-56 w-full"
      role="img"
      aria-label="Planned warm seats and active students over the week"
      data-testid="hub-plan-chart"
      // The chart's highest planned seats, for people who cannot see the chart and for tests.
      data-planned-peak={Math.max(0, ...points.map((point) => point.plannedSeats))}
    >
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
          <XAxis
            dataKey="time"
            type="number"
            scale="time"
            domain={["dataMin", "dataMax"]}
            tick={{ fontSize: 10 }}
            minTickGap={24}
            tickFormatter={(value: number) => format.format(new Date(value))}
          />
          <YAxis allowDecimals={false} tick={{ fontSize: 10 }} width={40} />
          <Tooltip
            labelFormatter={(value) => format.format(new Date(Number(value)))}
            formatter={(value, name) => [
              value === null ? "not sampled" : String(value),
              name === "plannedSeats" ? "planned seats" : "active students",
            ]}
          />
          <Legend
            formatter={(name) => (name === "plannedSeats" ? "planned seats" : "active students")}
            wrapperStyle={{ fontSize: 12 }}
          />
          <Area
            type="stepAfter"
            dataKey="plannedSeats"
            stroke="#1d5fd6"
            fill="#1d5fd6"
            fillOpacity={0.15}
            isAnimationActive={false}
          />
          <Line
            type="monotone"
            dataKey="activeUsers"
            stroke="#b45309"
            dot={false}
            connectNulls={false}
            isAnimationActive={false}
          />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
