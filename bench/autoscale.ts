// The autoscaling simulation (issue 15, SPEC §7): the synthetic semester of
// bench/autoscale/semester.ts on one cluster under four policies, over many
// seeds. Not a test: it prints figures and writes bench/results/autoscale.json
// and autoscale.svg.
//
//   npm run bench:autoscale                 # SEEDS=20 WEEKS=3
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { placeholderPodsFor, planCapacity } from "../packages/core/src/capacity/plan";
import {
  allocatableMib,
  nodeMemoryMib,
  simulateCluster,
  stepSeconds,
  type CostSplit,
  type Policy,
  type RunResult,
} from "./autoscale/cluster";
import { costVersusWaitSvg, waitPercentiles, type PolicySummary } from "./autoscale/report";
import {
  day,
  hour,
  hubDemands,
  instantOf,
  memoryGuaranteeMib,
  secondsOf,
  syntheticSemester,
  type Semester,
} from "./autoscale/semester";

const seeds = Number(process.env.SEEDS ?? 20);
const weeks = Number(process.env.WEEKS ?? 3);
const maxNodes = 80;
const leadTimeMinutes = Number(process.env.LEAD_MINUTES ?? 15);
/** Static headroom: two nodes' worth of seats, always. */
const staticHeadroomSeats = 2 * Math.floor(allocatableMib / memoryGuaranteeMib);
const seatsPerNode = Math.floor(allocatableMib / memoryGuaranteeMib);
const userPool = { name: "user", memoryMib: nodeMemoryMib, vcpu: 4, minNodes: 0, maxNodes };

/** Weekdays 07:45–18:00 local: the hours a min-node floor covers. */
function inClassHours(seconds: number): boolean {
  const weekday = Math.floor(seconds / day) % 7;
  const time = seconds % day;
  return weekday < 5 && time >= 7.75 * hour && time < 18 * hour;
}

function policies(semester: Semester): Policy[] {
  const biggestBurst = Math.max(
    ...semester.courses.map((course) =>
      Math.ceil(course.enrollment * Math.max(course.classStartShare, 0.5)),
    ),
  );
  const floorNodes = Math.ceil(biggestBurst / seatsPerNode);
  // Hubfed's planner: the same function the apply job calls, over the simulated weeks.
  const plan = planCapacity({
    hubs: hubDemands(semester),
    clusters: [{ clusterId: "bench", userPool, leadTimeMinutes }],
    from: instantOf(0),
    to: instantOf(semester.weeks * 7 * day),
  });
  const cuts = new Map<number, number>();
  for (const hub of plan.hubs)
    for (const span of hub.spans) {
      const pods = placeholderPodsFor(span.seats, span.memoryMibPerSeat, userPool);
      const from = secondsOf(span.from);
      const to = secondsOf(span.to);
      cuts.set(from, (cuts.get(from) ?? 0) + pods);
      cuts.set(to, (cuts.get(to) ?? 0) - pods);
    }
  const steps = [...cuts.entries()].sort((a, b) => a[0] - b[0]);
  let running = 0;
  const levels = steps.map(([at, change]) => [at, (running += change)] as const);
  const planned = (seconds: number) => {
    let level = 0;
    for (const [at, value] of levels)
      if (at <= seconds) level = value;
      else break;
    return level;
  };
  return [
    { name: "reactive", placeholdersAt: () => 0, minNodesAt: () => 0 },
    {
      name: "static headroom",
      placeholdersAt: () => Math.ceil(staticHeadroomSeats / seatsPerNode),
      minNodesAt: () => 0,
    },
    {
      name: "class-hours floor",
      placeholdersAt: () => 0,
      minNodesAt: (s) => (inClassHours(s) ? floorNodes : 0),
    },
    { name: "hubfed planner", placeholdersAt: planned, minNodesAt: () => 0 },
  ];
}

const costKeys: Array<keyof CostSplit> = [
  "userActive",
  "idleTail",
  "placeholders",
  "emptyNodes",
  "slack",
  "fixed",
];

async function main() {
  const startedAt = performance.now();
  console.log(
    `Autoscaling simulation: ${seeds} seeds × ${weeks} weeks × 4 policies, ${stepSeconds}-s steps, lead time ${leadTimeMinutes} min`,
  );
  const runs = new Map<string, RunResult[]>();
  for (let seed = 1; seed <= seeds; seed += 1) {
    const semester = syntheticSemester(seed, weeks);
    for (const policy of policies(semester)) {
      const result = simulateCluster(
        semester.arrivals,
        policy,
        weeks * 7 * day,
        seed * 7919 + 1,
        maxNodes,
      );
      runs.set(policy.name, [...(runs.get(policy.name) ?? []), result]);
    }
    const lecture = semester.courses[0]!.enrollment;
    console.log(
      `  seed ${seed}: ${semester.arrivals.length} arrivals, lecture of ${lecture} (${((performance.now() - startedAt) / 1000).toFixed(0)} s)`,
    );
  }

  const summaries: PolicySummary[] = [];
  for (const [policy, results] of runs) {
    const classStart = results.flatMap((run) => run.waits["class-start"]);
    const all = results.flatMap((run) => Object.values(run.waits).flat());
    const costPerWeekUsd = Object.fromEntries(
      costKeys.map((key) => [
        key,
        Math.round(
          (results.reduce((sum, run) => sum + run.costUsd[key], 0) / results.length / weeks) * 100,
        ) / 100,
      ]),
    );
    const totalPerWeekUsd =
      Math.round(Object.values(costPerWeekUsd).reduce((sum, value) => sum + value, 0) * 100) / 100;
    summaries.push({
      policy,
      classStart: waitPercentiles(classStart),
      overall: waitPercentiles(all),
      shareOver30s:
        Math.round((all.filter((wait) => wait > 30).length / all.length) * 10_000) / 10_000,
      shareOver2min:
        Math.round((all.filter((wait) => wait > 120).length / all.length) * 10_000) / 10_000,
      spawnFailuresPerSeed: results.reduce((sum, run) => sum + run.failures, 0) / results.length,
      startsPerSeed: Math.round(results.reduce((sum, run) => sum + run.starts, 0) / results.length),
      costPerWeekUsd,
      totalPerWeekUsd,
      costRelativeToReactive: 0,
      peakNodes: Math.max(...results.map((run) => run.peakNodes)),
    });
  }
  const reactive = summaries.find((summary) => summary.policy === "reactive")!.totalPerWeekUsd;
  for (const summary of summaries)
    summary.costRelativeToReactive = Math.round((summary.totalPerWeekUsd / reactive) * 1000) / 1000;

  console.log(
    "\npolicy             | class start p50/p95/p99 s | overall p50/p95/p99 s | >30 s  | >2 min | failures/seed | $/week | × reactive",
  );
  for (const s of summaries)
    console.log(
      `${s.policy.padEnd(18)} | ${[s.classStart.p50, s.classStart.p95, s.classStart.p99].join(" / ").padEnd(25)} | ${[s.overall.p50, s.overall.p95, s.overall.p99].join(" / ").padEnd(21)} | ${(s.shareOver30s * 100).toFixed(1).padStart(5)}% | ${(s.shareOver2min * 100).toFixed(1).padStart(5)}% | ${s.spawnFailuresPerSeed.toFixed(1).padStart(13)} | ${s.totalPerWeekUsd.toFixed(2).padStart(6)} | ${s.costRelativeToReactive.toFixed(2)}`,
    );
  for (const s of summaries)
    console.log(
      `  ${s.policy} cost/week: ${costKeys.map((key) => `${key} $${s.costPerWeekUsd[key]}`).join(", ")}`,
    );

  const directory = path.join(import.meta.dirname, "results");
  await mkdir(directory, { recursive: true });
  const settings = {
    seeds,
    weeks,
    stepSeconds,
    leadTimeMinutes,
    maxNodes,
    nodeMemoryMib,
    allocatableMib,
    memoryGuaranteeMib,
    staticHeadroomSeats,
    nodeHourlyUsd: 0.25,
  };
  const machine = `${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "unknown"}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; ${((performance.now() - startedAt) / 1000).toFixed(0)} s`;
  await writeFile(
    path.join(directory, "autoscale.json"),
    `${JSON.stringify({ settings, seeds: Array.from({ length: seeds }, (_, index) => index + 1), machine, policies: summaries }, null, 2)}\n`,
  );
  await writeFile(path.join(directory, "autoscale.svg"), costVersusWaitSvg(summaries));
  console.log(`\nWrote bench/results/autoscale.json and autoscale.svg (${machine})`);
}

await main();
