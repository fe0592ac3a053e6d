// Summaries of the autoscaling runs: wait percentiles and the cost-versus-wait chart.
import { percentile } from "../support";

export interface PolicySummary {
  policy: string;
  classStart: { p50: number; p95: number; p99: number };
  overall: { p50: number; p95: number; p99: number };
  shareOver30s: number;
  shareOver2min: number;
  spawnFailuresPerSeed: number;
  startsPerSeed: number;
  /** Dollars per simulated week, averaged over the seeds. */
  costPerWeekUsd: Record<string, number>;
  totalPerWeekUsd: number;
  costRelativeToReactive: number;
  peakNodes: number;
}

export function waitPercentiles(waits: number[]) {
  const sorted = [...waits].sort((a, b) => a - b);
  const at = (fraction: number) => Math.round(percentile(sorted, fraction) * 10) / 10;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

/** A hand-written SVG scatter: cost relative to reactive (x) against class-start p95 wait (y). */
export function costVersusWaitSvg(summaries: PolicySummary[]): string {
  const width = 640;
  const height = 400;
  const margin = { left: 70, right: 30, top: 40, bottom: 60 };
  const maxCost = Math.max(1.3, ...summaries.map((s) => s.costRelativeToReactive)) * 1.05;
  const maxWait = Math.max(60, ...summaries.map((s) => s.classStart.p95)) * 1.1;
  const x = (cost: number) =>
    margin.left + ((cost - 0.9) / (maxCost - 0.9)) * (width - margin.left - margin.right);
  const y = (wait: number) =>
    height - margin.bottom - (wait / maxWait) * (height - margin.top - margin.bottom);
  const colours = ["#d62728", "#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd"];
  // Labels sit right of their point (left of it near the right edge). A label that would run
  // into one already placed moves up a line, so neighbours with the same wait stay readable.
  const placed: Array<{ left: number; right: number; top: number }> = [];
  const points = summaries
    .map((s, index) => {
      const cx = x(s.costRelativeToReactive);
      const cy = y(s.classStart.p95);
      const label = `${s.policy} (${s.classStart.p95} s, ×${s.costRelativeToReactive.toFixed(2)})`;
      const labelWidth = label.length * 6.5;
      const isLeft = cx + 9 + labelWidth > width - 10;
      const left = isLeft ? cx - 9 - labelWidth : cx + 9;
      let top = cy - 8;
      while (
        placed.some(
          (other) =>
            left < other.right && other.left < left + labelWidth && Math.abs(other.top - top) < 14,
        )
      )
        top -= 16;
      placed.push({ left, right: left + labelWidth, top });
      return (
        `<circle cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="6" fill="${colours[index % colours.length]}"/>` +
        `<text x="${(isLeft ? cx - 9 : cx + 9).toFixed(1)}" y="${top.toFixed(1)}" font-size="12" text-anchor="${isLeft ? "end" : "start"}">${label}</text>`
      );
    })
    .join("\n  ");
  const target =
    `<rect x="${x(0.9).toFixed(1)}" y="${y(30).toFixed(1)}" width="${(x(1.15) - x(0.9)).toFixed(1)}" height="${(y(0) - y(30)).toFixed(1)}" fill="#2ca02c" fill-opacity="0.12"/>` +
    `<text x="${(x(0.9) + 4).toFixed(1)}" y="${(y(30) - 4).toFixed(1)}" font-size="11" fill="#2ca02c">target: p95 ≤ 30 s at ≤ 1.15× reactive</text>`;
  const ticksX = [1, 1.1, 1.2, 1.3, 1.5, 1.75, 2, 2.5, 3]
    .filter((tick) => tick <= maxCost)
    .map(
      (tick) =>
        `<line x1="${x(tick)}" x2="${x(tick)}" y1="${y(0)}" y2="${y(0) + 5}" stroke="#333"/><text x="${x(tick)}" y="${y(0) + 18}" font-size="11" text-anchor="middle">×${tick}</text>`,
    )
    .join("");
  const waitStep = maxWait > 200 ? 60 : 30;
  const ticksY = Array.from(
    { length: Math.floor(maxWait / waitStep) + 1 },
    (_, index) => index * waitStep,
  )
    .map(
      (tick) =>
        `<line x1="${margin.left - 5}" x2="${margin.left}" y1="${y(tick)}" y2="${y(tick)}" stroke="#333"/><text x="${margin.left - 8}" y="${y(tick) + 4}" font-size="11" text-anchor="end">${tick} s</text>`,
    )
    .join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">
  <rect width="100%" height="100%" fill="white"/>
  <text x="${width / 2}" y="22" font-size="14" text-anchor="middle">Autoscaling policies: cost vs class-start p95 wait</text>
  ${target}
  <line x1="${margin.left}" x2="${width - margin.right}" y1="${y(0)}" y2="${y(0)}" stroke="#333"/>
  <line x1="${margin.left}" x2="${margin.left}" y1="${margin.top}" y2="${y(0)}" stroke="#333"/>
  ${ticksX}${ticksY}
  <text x="${width / 2}" y="${height - 15}" font-size="12" text-anchor="middle">cost relative to reactive scaling (user nodes + fixed)</text>
  <text x="18" y="${height / 2}" font-size="12" text-anchor="middle" transform="rotate(-90 18 ${height / 2})">class-start wait p95</text>
  ${points}
</svg>
`;
}
