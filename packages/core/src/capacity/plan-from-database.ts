import { can, type Actor } from "@hubfed/auth/permissions";
import type { DatabaseClient } from "@hubfed/db";
import { AppError } from "../errors";
import { isHubRetired } from "../hubs/lifecycle";
import type { PlannedHub } from "./apply";
import { loadCalendarCourse } from "./course-calendar-access";
import { loadClusterSupply, loadHubDemand } from "./demand";
import { planCapacity, poolMaxMemoryMib } from "./plan";
import type { CapacityConflict, CapacityPlan, ClusterSupply } from "./plan-types";
import {
  clusterPlanTimeline,
  hubPlanTimeline,
  type ClusterPlanPoint,
  type HubPlanPoint,
} from "./timeline";

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;
/**
 * A deadline surge or an exam's span can start a day before its date, so the
 * calendar is read a day either side of the span planned.
 */
const calendarMarginMs = dayMs;

/**
 * The plan from…to for the hubs asked (every live hub by default), from the
 * calendars in the database. Hubs whose cluster has no user pool (local
 * hubs) have no placeholders to plan and are left out.
 */
export async function planFromDatabase(
  db: DatabaseClient,
  { from, to, hubIds }: { from: Date; to: Date; hubIds?: readonly string[] },
): Promise<{ plan: CapacityPlan; supply: ClusterSupply[] }> {
  const [demand, supply] = await Promise.all([
    loadHubDemand(db, {
      hubIds,
      from: new Date(from.getTime() - calendarMarginMs),
      to: new Date(to.getTime() + calendarMarginMs),
    }),
    loadClusterSupply(db),
  ]);
  const plannable = demand.filter((hub) =>
    supply.some((cluster) => cluster.clusterId === hub.clusterId),
  );
  return { plan: planCapacity({ hubs: plannable, clusters: supply, from, to }), supply };
}

/**
 * What the capacity.apply job applies at `at`: each hub's plan around now.
 * The planner already raises each span one lead time early, so the job
 * applies spans as they stand (lead time 0).
 */
export async function loadPlannedHubs(db: DatabaseClient, at: Date): Promise<PlannedHub[]> {
  const { plan, supply } = await planFromDatabase(db, {
    from: new Date(at.getTime() - hourMs),
    to: new Date(at.getTime() + dayMs),
  });
  return plan.hubs.flatMap((hub) => {
    const cluster = supply.find((candidate) => candidate.clusterId === hub.clusterId);
    return cluster ? [{ plan: hub, leadTimeMinutes: 0, userPool: cluster.userPool }] : [];
  });
}

function startOfHour(at: Date): Date {
  return new Date(Math.floor(at.getTime() / hourMs) * hourMs);
}

export interface HubPlanChart {
  hubSlug: string;
  clusterName: string;
  points: HubPlanPoint[];
  /** Moments this hub's plan and others' together want more than the pool can give. */
  conflicts: CapacityConflict[];
}

/**
 * A course's hubs: warm seats planned against students active, hour by hour,
 * over the week around `now` (three days back, four ahead). Staff of the
 * course read it; local hubs have no plan (the machine is their capacity).
 */
export async function describeCoursePlan(
  db: DatabaseClient,
  actor: Actor,
  courseSlug: string,
  { now = new Date() }: { now?: Date } = {},
): Promise<{ timeZone: string; hubs: HubPlanChart[] }> {
  const course = await loadCalendarCourse(db, actor, courseSlug, "course.read");
  const hubs = (
    await db.hub.findMany({
      where: { courseId: course.id },
      select: { id: true, slug: true, status: true, cluster: { select: { displayName: true } } },
      orderBy: { slug: "asc" },
    })
  ).filter((hub) => !isHubRetired(hub.status));
  const from = startOfHour(new Date(now.getTime() - 3 * dayMs));
  const to = new Date(from.getTime() + 7 * dayMs);
  const { plan } = await planFromDatabase(db, { from, to, hubIds: hubs.map((hub) => hub.id) });
  const samples = await db.usageSample.findMany({
    where: { hubId: { in: hubs.map((hub) => hub.id) }, sampledAt: { gte: from, lt: to } },
    select: { hubId: true, sampledAt: true, activeUsers: true },
  });
  const conflicts = plan.clusters.flatMap((cluster) => cluster.conflicts);
  return {
    timeZone: course.timezone,
    hubs: plan.hubs.map((hubPlan) => ({
      hubSlug: hubPlan.hubSlug,
      clusterName: hubs.find((hub) => hub.id === hubPlan.hubId)?.cluster.displayName ?? "",
      points: hubPlanTimeline(
        hubPlan.spans,
        samples.filter((sample) => sample.hubId === hubPlan.hubId),
        { from, to, stepMinutes: 60 },
      ),
      conflicts: conflicts.filter((conflict) => conflict.hubSlugs.includes(hubPlan.hubSlug)),
    })),
  };
}

export interface ClusterPlanChart {
  clusterSlug: string;
  clusterName: string;
  poolName: string;
  points: ClusterPlanPoint[];
  conflicts: CapacityConflict[];
}

/** Ops: every cluster's planned memory against its user pool's maximum for the next 14 days. */
export async function describeClusterPlans(
  db: DatabaseClient,
  actor: Actor,
  { now = new Date() }: { now?: Date } = {},
): Promise<ClusterPlanChart[]> {
  if (!can(actor, "capacity.review"))
    throw new AppError("FORBIDDEN", "Only operators see the clusters' capacity plans");
  const from = startOfHour(now);
  const to = new Date(from.getTime() + 14 * dayMs);
  const [{ plan, supply }, clusters] = await Promise.all([
    planFromDatabase(db, { from, to }),
    db.cluster.findMany({ select: { id: true, slug: true, displayName: true } }),
  ]);
  return supply.flatMap((cluster) => {
    const record = clusters.find((candidate) => candidate.id === cluster.clusterId);
    const clusterPlan = plan.clusters.find(
      (candidate) => candidate.clusterId === cluster.clusterId,
    );
    if (!record) return [];
    return [
      {
        clusterSlug: record.slug,
        clusterName: record.displayName,
        poolName: cluster.userPool.name,
        points: clusterPlanTimeline(
          clusterPlan ?? { steps: [] },
          { from, to, stepMinutes: 120 },
          poolMaxMemoryMib(cluster.userPool),
        ),
        conflicts: clusterPlan?.conflicts ?? [],
      },
    ];
  });
}

/** One hub's plan against reality, for its hub page: the course's chart, narrowed to the hub. */
export async function describeHubPlan(
  db: DatabaseClient,
  actor: Actor,
  hubSlug: string,
  { now = new Date() }: { now?: Date } = {},
): Promise<{ timeZone: string; hub: HubPlanChart | null }> {
  const hub = await db.hub.findUnique({
    where: { slug: hubSlug },
    select: { course: { select: { slug: true } } },
  });
  if (!hub) throw new AppError("NOT_FOUND", "Hub not found");
  const plan = await describeCoursePlan(db, actor, hub.course.slug, { now });
  return {
    timeZone: plan.timeZone,
    hub: plan.hubs.find((candidate) => candidate.hubSlug === hubSlug) ?? null,
  };
}
