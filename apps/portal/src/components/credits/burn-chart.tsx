"use client";

import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { formatCents } from "~/lib/format";

interface BurnPoint {
  day: Date;
  burnedCents: bigint;
  forecastCents?: bigint;
}

/** Burn against budget: actual cumulative spend, the forecast beyond today, and the budget line. */
export function BurnChart({
  series,
  budgetCents,
  currency,
  label,
}: {
  series: BurnPoint[];
  budgetCents: bigint;
  currency: string;
  label: string;
}) {
  const data = series.map((point) => ({
    day: point.day.toISOString().slice(0, 10),
    burned: point.forecastCents === undefined ? Number(point.burnedCents) / 100 : undefined,
    forecast: point.forecastCents !== undefined ? Number(point.forecastCents) / 100 : undefined,
  }));
  // Join the forecast to the last actual point so the two lines meet.
  const lastActual = data.findLastIndex((point) => point.burned !== undefined);
  if (lastActual >= 0 && data[lastActual]) data[lastActual].forecast = data[lastActual].burned;
  if (data.length === 0) return <p className="text-sm text-slate-500">No usage posted yet.</p>;
  return (
    <figure aria-label={label} className="h-56 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis dataKey="day" tick={{ fontSize: 11 }} minTickGap={24} />
          <YAxis
            tick={{ fontSize: 11 }}
            tickFormatter={(value: number) => compactDollars(value)}
            width={56}
          />
          <Tooltip
            formatter={(value) =>
              typeof value === "number"
                ? formatCents(Math.round(value * 100), currency)
                : String(value)
            }
          />
          <Legend />
          <ReferenceLine
            y={Number(budgetCents) / 100}
            // The budget is drawn even when spending is far below it.
            ifOverflow="extendDomain"
            stroke="#dc2626"
            strokeDasharray="6 3"
            label={{ value: "budget", position: "insideTopRight", fontSize: 11, fill: "#dc2626" }}
          />
          <Line
            type="monotone"
            dataKey="burned"
            name="spent"
            stroke="#1d5fd6"
            strokeWidth={2}
            dot={false}
            isAnimationActive={false}
          />
          <Line
            type="monotone"
            dataKey="forecast"
            name="forecast"
            stroke="#d97706"
            strokeDasharray="5 4"
            dot={false}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}

/** "$320k", "$1.2M": axis labels that fit their axis. */
function compactDollars(value: number): string {
  return `$${new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 }).format(value)}`;
}
