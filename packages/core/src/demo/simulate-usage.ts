import type { DatabaseClient } from "@hubfed/db";
import { hubSpecSchema } from "@hubfed/hub-spec";
import { isHubStopped, sampledHubStatuses } from "../hubs/lifecycle";

// Synthetic usage for the demo fleet and the credits tests: what metering
// would record from real hubs, shaped like REFERENCE §4 — everyone during
// class (plus the idle tail until the culler), a trickle of background
// sessions with an evening peak.

const sampleEveryMinutes = 5;
const idleTailMinutes = 60;

/** Share of students on a server outside class at an hour of the day (local time), averaging ≈2.5 sessions of 100 min a week. */
function backgroundShare(hourOfDay: number): number {
  const isEvening = hourOfDay >= 18 && hourOfDay < 24;
  const isNight = hourOfDay < 8;
  return isNight ? 0.005 : isEvening ? 0.06 : 0.025;
}

function localParts(instant: Date, timeZone: string) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      weekday: "short",
      hour: "2-digit",
      minute: "2-digit",
    })
      .formatToParts(instant)
      .map((part) => [part.type, part.value]),
  ) as Record<string, string>;
  const weekday =
    ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].indexOf(parts.weekday ?? "") + 1;
  return { dayOfWeek: weekday, minuteOfDay: Number(parts.hour) * 60 + Number(parts.minute) };
}

/**
 * Writes five-minute usage samples over one UTC day for every sampled hub, or
 * for the given hubs whatever their status (the demo's history): a suspended
 * hub, as metering reads it, has its students' storage and no server.
 * Returns how many were written.
 */
export async function simulateUsageDay(
  db: DatabaseClient,
  dayStart: Date,
  { hubIds }: { hubIds?: string[] } = {},
): Promise<number> {
  const hubs = await db.hub.findMany({
    where: hubIds ? { id: { in: hubIds } } : { status: { in: [...sampledHubStatuses] } },
    include: { course: { include: { meetings: true } } },
  });
  let written = 0;
  for (const hub of hubs) {
    const spec = hubSpecSchema.parse(hub.spec);
    const { course } = hub;
    const storageMib = BigInt(course.expectedEnrollment) * BigInt(spec.storageGib) * 1024n;
    const samples = [];
    for (let minute = 0; minute < 1440; minute += sampleEveryMinutes) {
      const sampledAt = new Date(dayStart.getTime() + minute * 60_000);
      const local = localParts(sampledAt, course.timezone);
      const isInClass = course.meetings.some(
        (meeting) =>
          meeting.dayOfWeek === local.dayOfWeek &&
          local.minuteOfDay >= meeting.startMinute &&
          local.minuteOfDay < meeting.startMinute + meeting.durationMinutes + idleTailMinutes,
      );
      const background = Math.round(
        course.expectedEnrollment * backgroundShare(Math.floor(local.minuteOfDay / 60)),
      );
      const servers = isHubStopped(hub.status)
        ? 0
        : isInClass
          ? Math.max(course.expectedConcurrentUsers, background)
          : background;
      samples.push({
        hubId: hub.id,
        sampledAt,
        activeUsers: servers,
        runningServers: servers,
        requestedMemoryMib: servers * spec.memoryGuaranteeMib,
        requestedMilliCpu: servers * spec.cpuGuaranteeMilli,
        storageMib,
        source: "simulation",
      });
    }
    written += (await db.usageSample.createMany({ data: samples })).count;
  }
  return written;
}
