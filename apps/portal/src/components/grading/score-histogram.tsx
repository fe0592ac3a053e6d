"use client";

import { Bar, BarChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export interface ScoreBin {
  label: string;
  from: number;
  to: number;
  students: number;
}

/** Scores in at most ten equal bins over 0..points; the last bin includes full marks. */
export function binScores(scores: number[], points: number): ScoreBin[] {
  const width = points <= 10 ? 1 : Math.ceil(points / 10);
  const bins: ScoreBin[] = [];
  for (let from = 0; from < points; from += width) {
    const to = Math.min(points, from + width);
    bins.push({ label: width === 1 ? String(from) : `${from}–${to}`, from, to, students: 0 });
  }
  if (width === 1) bins.push({ label: String(points), from: points, to: points, students: 0 });
  for (const score of scores) {
    const index = Math.min(bins.length - 1, Math.max(0, Math.floor(score / width)));
    const bin = bins[index];
    if (bin) bin.students += 1;
  }
  return bins;
}

/** How the latest graded scores spread over the assignment's points. */
export function ScoreHistogram({ scores, points }: { scores: number[]; points: number }) {
  const data = binScores(scores, points);
  return (
    <div
      className="h-48 w-full max-w-xl"
      role="img"
      aria-label={`Scores of ${scores.length} graded students, out of ${points} points`}
      data-testid="score-histogram"
      data-graded={scores.length}
    >
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
          <XAxis dataKey="label" tick={{ fontSize: 10 }} interval={0} />
          <YAxis allowDecimals={false} tick={{ fontSize: 10 }} width={32} />
          <Tooltip
            formatter={(value) => [String(value), "students"]}
            labelFormatter={(label) => `Score ${typeof label === "string" ? label : ""}`}
          />
          <Bar dataKey="students" fill="#1d5fd6" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
