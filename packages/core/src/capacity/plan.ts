// The capacity plan (SPEC §7, issue 15): one pure function from the course
// calendar to the warm seats each hub should hold and what that asks of each
// cluster's user pool. The scheduled apply job, the schedule pages and the
// autoscaling benchmark (bench/autoscale.ts) all call `planCapacity`.
//
// The reasoning, from what operators of course hubs have learned:
// - Students arrive in bursts the calendar predicts, and a new node takes
//   minutes (node ready 3–10 min plus an image pull of up to several more).
//   Capacity asked for when the students arrive is too late, so it is raised
//   one lead time (node ready + image pull, from the region's config) early.
// - The warm headroom a burst needs is its arrival rate × the time a new node
//   takes: whatever arrives before fresh nodes are ready must already find a
//   seat. A class-start or exam burst arrives within about 10 minutes, faster
//   than a node is ready, so its headroom is the whole burst. A deadline surge
//   builds over hours, so it needs only the part that arrives within one lead
//   time; the autoscaler keeps up with the rest.
// - Once a student's server runs it holds its own seat, so the placeholders
//   are dropped when the rush is over rather than at the end of the class.
// - Placeholders are node-sized: one per node queues better than many
//   one-seat pods, which users pre-empt one at a time (the head-of-line trap).
import { localDateTimeToUtc } from "../courses/time-zones";
import { allocatablePercent } from "../pricing/estimate";
import type {
  CapacityConflict,
  CapacityPlan,
  ClusterCapacityPlan,
  ClusterSupply,
  HubCapacityPlan,
  HubDemand,
  PlanCapacityInput,
  SeatSpan,
  UserNodePool,
} from "./plan-types";

/**
 * The smallest share of enrollment expected at a class start. The request
 * states the most students at once, which is what a meeting's burst uses; this
 * floor guards against a stale or understated figure. Half of enrollment is
 * the top of what a lecture with a live demo sees (30–50 %); in-class coding
 * sees 85–100 %, and its request says so.
 */
export const classStartFloorPercent = 50;
/**
 * How long a class-start or exam rush lasts after the start: arrivals are
 * centred a minute after the start with a spread of about three minutes, so
 * nearly all have come by +10 min; the rest is margin for slow starts.
 */
export const rushMinutes = 15;
/** How fast a class-start or exam burst arrives: within about 10 minutes. */
export const burstSpreadMinutes = 10;
/** The last evening before a deadline brings about 20–30 % of enrollment at once. */
export const deadlineSurgePercent = 25;
/** … built up over the last hours before the deadline. */
export const deadlineSurgeMinutes = 4 * 60;
/** An assignment release brings a smaller burst than a class … */
export const releaseBurstPercent = 15;
/** … spread over the first half hour. */
export const releaseSpreadMinutes = 30;

const minuteMs = 60_000;
const dayMs = 86_400_000;

/** Memory a pod can request on one node of the pool (the rest is reserved for the system). */
export function allocatableMemoryMibPerNode(pool: UserNodePool): number {
  return Math.floor((pool.memoryMib * allocatablePercent) / 100);
}

/** The most memory the pool can give users: every node it may grow to, less the system's share. */
export function poolMaxMemoryMib(pool: UserNodePool): number {
  return pool.maxNodes * allocatableMemoryMibPerNode(pool);
}

/**
 * How many node-sized placeholder pods hold `seats` seats of
 * `memoryMibPerSeat` each: one placeholder per node (REFERENCE §4), each
 * requesting a node's allocatable memory, so a user pre-empting one frees a
 * whole node and the pending placeholder asks for the next node at once.
 */
export function placeholderPodsFor(
  seats: number,
  memoryMibPerSeat: number,
  pool: UserNodePool,
): number {
  if (seats <= 0) return 0;
  const seatsPerNode = Math.floor(allocatableMemoryMibPerNode(pool) / memoryMibPerSeat);
  if (seatsPerNode < 1)
    throw new RangeError(
      `A seat of ${memoryMibPerSeat} MiB does not fit on a ${pool.name} node (${pool.memoryMib} MiB)`,
    );
  return Math.ceil(seats / seatsPerNode);
}

/**
 * Seats to hold warm for `arrivals` students arriving over `spreadMinutes`:
 * the arrival rate × the lead time, never more than the arrivals themselves.
 */
export function headroomSeats(arrivals: number, spreadMinutes: number, leadMinutes: number) {
  return Math.ceil(arrivals * Math.min(1, leadMinutes / spreadMinutes));
}

/** The expected class-start burst of a hub's meeting. */
export function classStartBurst(hub: HubDemand): number {
  const floor = Math.ceil((hub.enrollment * classStartFloorPercent) / 100);
  return Math.min(hub.enrollment, Math.max(hub.expectedConcurrentUsers, floor));
}

/** YYYY-MM-DD ± days, as calendar arithmetic (no time zone involved). */
function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10);
}

/** The calendar date of `instant` in `timeZone`, YYYY-MM-DD. */
function localDateOf(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone }).format(instant);
}

/** 1 = Monday … 7 = Sunday, of a calendar date. */
function isoWeekday(date: string): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

function wallClock(date: string, minuteOfDay: number): string {
  const hours = String(Math.floor(minuteOfDay / 60)).padStart(2, "0");
  const minutes = String(minuteOfDay % 60).padStart(2, "0");
  return `${date}T${hours}:${minutes}`;
}

const shifted = (instant: Date, minutes: number) =>
  new Date(instant.getTime() + minutes * minuteMs);

/** Every span the hub's calendar asks for, overlapping, before the larger-wins merge. */
function demandSpans(hub: HubDemand, supply: ClusterSupply, from: Date, to: Date): SeatSpan[] {
  const lead = supply.leadTimeMinutes;
  const memory = hub.memoryGuaranteeMib;
  const spans: SeatSpan[] = [];

  // Weekly meetings, day by day in the course's zone, only between its dates
  // (and a day either side of the planned span, enough for any lead time).
  const burst = classStartBurst(hub);
  const firstDay = [hub.startDate, addDays(localDateOf(from, hub.timeZone), -1)].sort()[1]!;
  const lastDay = [hub.endDate, addDays(localDateOf(to, hub.timeZone), 1)].sort()[0]!;
  for (let day = firstDay; day <= lastDay; day = addDays(day, 1))
    for (const meeting of hub.meetings) {
      if (meeting.dayOfWeek !== isoWeekday(day)) continue;
      const startsAt = localDateTimeToUtc(wallClock(day, meeting.startMinute), hub.timeZone);
      spans.push({
        from: shifted(startsAt, -lead),
        to: shifted(startsAt, rushMinutes),
        seats: headroomSeats(burst, burstSpreadMinutes, lead),
        memoryMibPerSeat: memory,
        reason: `${meeting.label}: class start`,
      });
    }

  for (const date of hub.importantDates) {
    const at = date.startsAt;
    if (date.kind === "EXAM")
      // Everyone within ten minutes.
      spans.push({
        from: shifted(at, -lead),
        to: shifted(at, rushMinutes),
        seats: headroomSeats(hub.enrollment, burstSpreadMinutes, lead),
        memoryMibPerSeat: memory,
        reason: `exam: ${date.title}`,
      });
    else if (date.kind === "DEADLINE") {
      const surge = Math.ceil((hub.enrollment * deadlineSurgePercent) / 100);
      spans.push({
        from: shifted(at, -deadlineSurgeMinutes - lead),
        to: at,
        seats: headroomSeats(surge, deadlineSurgeMinutes, lead),
        memoryMibPerSeat: memory,
        reason: `deadline: ${date.title}`,
      });
    } else if (date.kind === "ASSIGNMENT_RELEASE") {
      const arrivals = Math.ceil((hub.enrollment * releaseBurstPercent) / 100);
      spans.push({
        from: shifted(at, -lead),
        to: shifted(at, releaseSpreadMinutes),
        seats: headroomSeats(arrivals, releaseSpreadMinutes, lead),
        memoryMibPerSeat: memory,
        reason: `release: ${date.title}`,
      });
    }
  }

  // Approved windows hold exactly what the instructor asked, from one lead time early.
  for (const window of hub.capacityWindows)
    spans.push({
      from: shifted(window.startsAt, -lead),
      to: window.endsAt,
      seats: window.seats,
      memoryMibPerSeat: window.memoryMibPerSeat,
      reason: `window: ${window.reason}`,
    });

  return spans.filter((span) => span.seats > 0 && span.to > span.from);
}

const spanMemory = (span: SeatSpan) => span.seats * span.memoryMibPerSeat;

/** The instants where anything starts or ends, within [from, to], in order. */
function boundaries(spans: ReadonlyArray<{ from: Date; to: Date }>, from: Date, to: Date) {
  const instants = new Set([from.getTime(), to.getTime()]);
  for (const span of spans)
    for (const instant of [span.from.getTime(), span.to.getTime()])
      if (instant > from.getTime() && instant < to.getTime()) instants.add(instant);
  return [...instants].sort((a, b) => a - b);
}

const covers = (span: { from: Date; to: Date }, instant: number) =>
  span.from.getTime() <= instant && instant < span.to.getTime();

/**
 * Non-overlapping spans within [from, to]: where spans overlap, the one
 * asking for more memory wins for that time (the first listed on a tie), so
 * a 300-seat exam window inside a 150-seat class start holds 300 seats.
 */
export function largerWins(spans: SeatSpan[], from: Date, to: Date): SeatSpan[] {
  const cuts = boundaries(spans, from, to);
  const merged: SeatSpan[] = [];
  for (let index = 0; index + 1 < cuts.length; index += 1) {
    const start = cuts[index]!;
    const end = cuts[index + 1]!;
    let winner: SeatSpan | undefined;
    for (const span of spans)
      if (covers(span, start) && (!winner || spanMemory(span) > spanMemory(winner))) winner = span;
    if (!winner) continue;
    const previous = merged.at(-1);
    if (
      previous &&
      previous.to.getTime() === start &&
      previous.seats === winner.seats &&
      previous.memoryMibPerSeat === winner.memoryMibPerSeat &&
      previous.reason === winner.reason
    )
      previous.to = new Date(end);
    else merged.push({ ...winner, from: new Date(start), to: new Date(end) });
  }
  return merged;
}

function planCluster(supply: ClusterSupply, hubs: HubCapacityPlan[], from: Date, to: Date) {
  const poolMax = poolMaxMemoryMib(supply.userPool);
  const spans = hubs.flatMap((hub) => hub.spans.map((span) => ({ ...span, slug: hub.hubSlug })));
  const cuts = boundaries(spans, from, to);
  const steps: ClusterCapacityPlan["steps"] = [];
  const conflicts: CapacityConflict[] = [];
  for (let index = 0; index + 1 < cuts.length; index += 1) {
    const start = cuts[index]!;
    const end = cuts[index + 1]!;
    const active = spans.filter((span) => covers(span, start));
    const planned = active.reduce((sum, span) => sum + spanMemory(span), 0);
    const step = steps.at(-1);
    if (step?.plannedMemoryMib === planned) step.to = new Date(end);
    else
      steps.push({
        from: new Date(start),
        to: new Date(end),
        plannedMemoryMib: planned,
        poolMaxMemoryMib: poolMax,
      });
    if (planned <= poolMax) continue;
    // Reported, never truncated: who wants the pool at once, and how much.
    const hubSlugs = [...new Set(active.map((span) => span.slug))].sort();
    const conflict = conflicts.at(-1);
    if (
      conflict?.to.getTime() === start &&
      conflict.hubSlugs.join() === hubSlugs.join() &&
      conflict.wantedMemoryMib === planned
    )
      conflict.to = new Date(end);
    else
      conflicts.push({
        clusterId: supply.clusterId,
        from: new Date(start),
        to: new Date(end),
        hubSlugs,
        wantedMemoryMib: planned,
        poolMaxMemoryMib: poolMax,
      });
  }
  return { clusterId: supply.clusterId, steps, conflicts };
}

/** The hub's standing warm seats, over the whole span planned; none when it holds none. */
function baselineSpan(hub: HubDemand, from: Date, to: Date): SeatSpan[] {
  const seats = hub.baselineSeats ?? 0;
  if (seats <= 0) return [];
  return [
    { from, to, seats, memoryMibPerSeat: hub.memoryGuaranteeMib, reason: "standing warm seats" },
  ];
}

/**
 * The capacity plan for [from, to]: per hub, the warm seats to hold (no
 * overlaps, in time order); per cluster, the planned memory over time against
 * the user pool's maximum, and every stretch where the hubs want more than it.
 * Pure and deterministic: the same input always gives the same plan.
 */
export function planCapacity(input: PlanCapacityInput): CapacityPlan {
  const { from, to } = input;
  const supplies = new Map(input.clusters.map((cluster) => [cluster.clusterId, cluster]));
  const hubs = input.hubs.map((hub): HubCapacityPlan => {
    const supply = supplies.get(hub.clusterId);
    if (!supply)
      throw new RangeError(
        `Hub ${hub.hubSlug} is on cluster ${hub.clusterId}, which has no supply`,
      );
    return {
      hubId: hub.hubId,
      hubSlug: hub.hubSlug,
      clusterId: hub.clusterId,
      spans: largerWins(
        [...baselineSpan(hub, from, to), ...demandSpans(hub, supply, from, to)],
        from,
        to,
      ),
    };
  });
  const clusters = input.clusters.map((supply) =>
    planCluster(
      supply,
      hubs.filter((hub) => hub.clusterId === supply.clusterId),
      from,
      to,
    ),
  );
  return { hubs, clusters };
}
