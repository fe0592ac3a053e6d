import type { ClusterCapacityPlan, SeatSpan } from "./plan-types";

// What the schedule pages chart: a plan's spans (and what actually happened)
// sampled onto an even time axis, so a stepped chart can draw them.

/** One point of a hub's chart: the seats planned then, and the students active then if sampled. */
export interface HubPlanPoint {
  at: Date;
  plannedSeats: number;
  /** The most active users sampled in the step; null in the future or where nothing was sampled. */
  activeUsers: number | null;
}

/** Planned seats at `at`: the span covering it, else none. */
export function plannedSeatsAt(spans: readonly SeatSpan[], at: Date): number {
  const time = at.getTime();
  return spans.find((span) => span.from.getTime() <= time && time < span.to.getTime())?.seats ?? 0;
}

/**
 * Planned seats against active users, every `stepMinutes` from `from` to
 * `to`. A span shorter than a step still shows: a step takes the most seats
 * planned at any moment within it (the plan's spans start and end inside it).
 */
export function hubPlanTimeline(
  spans: readonly SeatSpan[],
  samples: ReadonlyArray<{ sampledAt: Date; activeUsers: number }>,
  { from, to, stepMinutes }: { from: Date; to: Date; stepMinutes: number },
): HubPlanPoint[] {
  const stepMs = stepMinutes * 60_000;
  const points: HubPlanPoint[] = [];
  for (let start = from.getTime(); start < to.getTime(); start += stepMs) {
    const end = start + stepMs;
    const overlapping = spans.filter(
      (span) => span.from.getTime() < end && start < span.to.getTime(),
    );
    const inStep = samples.filter(
      (sample) => sample.sampledAt.getTime() >= start && sample.sampledAt.getTime() < end,
    );
    points.push({
      at: new Date(start),
      plannedSeats: Math.max(0, ...overlapping.map((span) => span.seats)),
      activeUsers:
        inStep.length > 0 ? Math.max(...inStep.map((sample) => sample.activeUsers)) : null,
    });
  }
  return points;
}

/** One point of a cluster's chart, in GiB: the hubs' planned memory against the pool's usable maximum. */
export interface ClusterPlanPoint {
  at: Date;
  plannedMemoryGib: number;
  poolMaxMemoryGib: number;
}

/** A cluster's planned memory every `stepMinutes`, the step's highest, in GiB with one decimal. */
export function clusterPlanTimeline(
  plan: Pick<ClusterCapacityPlan, "steps">,
  { from, to, stepMinutes }: { from: Date; to: Date; stepMinutes: number },
  poolMaxMemoryMib: number,
): ClusterPlanPoint[] {
  const stepMs = stepMinutes * 60_000;
  const gib = (mib: number) => Math.round((mib / 1024) * 10) / 10;
  const points: ClusterPlanPoint[] = [];
  for (let start = from.getTime(); start < to.getTime(); start += stepMs) {
    const end = start + stepMs;
    const overlapping = plan.steps.filter(
      (step) => step.from.getTime() < end && start < step.to.getTime(),
    );
    points.push({
      at: new Date(start),
      plannedMemoryGib: gib(Math.max(0, ...overlapping.map((step) => step.plannedMemoryMib))),
      poolMaxMemoryGib: gib(poolMaxMemoryMib),
    });
  }
  return points;
}
