"use client";

import { Bar, BarChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

/** Clicks per day over the last 30 days. */
export function ClickChart({ daily }: { daily: Array<{ day: string; clicks: number }> }) {
  const data = daily.map((entry) => ({ ...entry, label: entry.day.slice(5) }));
  return (
    <div className="h-28 w-full max-w-xl" aria-label="Clicks per day, last 30 days">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
          <XAxis dataKey="label" tick={{ fontSize: 10 }} minTickGap={16} />
          <YAxis
            allowDecimals={false}
            tick={{ fontSize: 10 }}
            width={40}
            // 320 000 clicks read "320K", not a cut-off "0000".
            tickFormatter={(value: number) =>
              new Intl.NumberFormat("en-US", {
                notation: "compact",
                maximumFractionDigits: 1,
              }).format(value)
            }
          />
          <Tooltip formatter={(value) => [String(value), "clicks"]} />
          <Bar dataKey="clicks" fill="#1d5fd6" />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
