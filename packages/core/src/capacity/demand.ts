import type { DatabaseClient } from "@hubfed/db";
import { hubSpecSchema } from "@hubfed/hub-spec";
import { retiredHubStatuses } from "../hubs/lifecycle";
import type { ClusterSupply, HubDemand } from "./plan-types";

// What the planner is fed (plan-types.ts), read from the database: each live
// hub's calendar and audience, and each cluster's user node pool.

/** `total` shared among `parts` hubs of one course, rounded up so no section is short. */
function shareOf(total: number, parts: number): number {
  return Math.ceil(total / Math.max(1, parts));
}

/**
 * Each live hub's demand for the span `from`…`to`: its course's weekly
 * meetings, the important dates and APPROVED capacity windows that touch the
 * span, and the hub spec's memory guarantee. A course with several live hubs
 * (sections on several clusters) shares its enrollment, expected concurrency
 * and window seats evenly among them, rounded up.
 */
export async function loadHubDemand(
  db: DatabaseClient,
  { hubIds, from, to }: { hubIds?: readonly string[]; from: Date; to: Date },
): Promise<HubDemand[]> {
  const hubs = await db.hub.findMany({
    where: {
      status: { notIn: [...retiredHubStatuses] },
      ...(hubIds ? { id: { in: [...hubIds] } } : {}),
    },
    orderBy: { slug: "asc" },
    select: {
      id: true,
      slug: true,
      clusterId: true,
      spec: true,
      course: {
        include: {
          meetings: { orderBy: [{ dayOfWeek: "asc" }, { startMinute: "asc" }] },
          importantDates: {
            where: {
              startsAt: { lte: to },
              OR: [{ endsAt: { gte: from } }, { endsAt: null, startsAt: { gte: from } }],
            },
            orderBy: { startsAt: "asc" },
          },
          capacityWindows: {
            where: { status: "APPROVED", startsAt: { lt: to }, endsAt: { gt: from } },
            orderBy: { startsAt: "asc" },
          },
          hubs: { where: { status: { notIn: [...retiredHubStatuses] } }, select: { id: true } },
        },
      },
    },
  });
  return hubs.map(({ course, ...hub }) => {
    const sections = course.hubs.length;
    const spec = hubSpecSchema.parse(hub.spec);
    return {
      hubId: hub.id,
      hubSlug: hub.slug,
      clusterId: hub.clusterId,
      timeZone: course.timezone,
      startDate: course.startDate.toISOString().slice(0, 10),
      endDate: course.endDate.toISOString().slice(0, 10),
      enrollment: shareOf(course.expectedEnrollment, sections),
      expectedConcurrentUsers: shareOf(course.expectedConcurrentUsers, sections),
      memoryGuaranteeMib: spec.memoryGuaranteeMib,
      baselineSeats: spec.placeholderSeats,
      meetings: course.meetings.map(({ label, dayOfWeek, startMinute, durationMinutes }) => ({
        label,
        dayOfWeek,
        startMinute,
        durationMinutes,
      })),
      importantDates: course.importantDates.map(({ kind, title, startsAt, endsAt }) => ({
        kind,
        title,
        startsAt,
        endsAt,
      })),
      capacityWindows: course.capacityWindows.map((window) => ({
        id: window.id,
        startsAt: window.startsAt,
        endsAt: window.endsAt,
        seats: shareOf(window.seats, sections),
        memoryMibPerSeat: window.memoryMibPerSeat,
        reason: window.reason,
      })),
    };
  });
}

/**
 * Each cluster's user node pool and lead time (region.yaml
 * clusters[].leadTimeMinutes). The pool is the one hubs are priced on
 * (pricing/region-pricing.ts: the cheapest user pool); a cluster without a
 * user pool has nothing to plan onto and is left out.
 */
export async function loadClusterSupply(db: DatabaseClient): Promise<ClusterSupply[]> {
  const clusters = await db.cluster.findMany({
    orderBy: { slug: "asc" },
    include: { nodePools: { where: { purpose: "user" } } },
  });
  return clusters.flatMap((cluster) => {
    const pool = [...cluster.nodePools].sort(
      (a, b) => a.hourlyPriceMicros - b.hourlyPriceMicros,
    )[0];
    if (!pool) return [];
    return [
      {
        clusterId: cluster.id,
        userPool: {
          name: pool.name,
          memoryMib: pool.memoryMib,
          vcpu: pool.vcpu,
          minNodes: pool.minNodes,
          maxNodes: pool.maxNodes,
        },
        leadTimeMinutes: cluster.leadTimeMinutes,
      },
    ];
  });
}
