import { can, type Actor } from "@hubfed/auth/permissions";
import type { DatabaseClient } from "@hubfed/db";
import { AppError } from "../errors";

// A hub's own JupyterHub metrics, as usage sampling stored them (sampleHubUsage): how many
// people it saw in the last day and how long its servers took to start.

/** The stored figures of one usage sample that carried the hub's own metrics. */
export interface HubMetricsSample {
  sampledAt: Date;
  hubActiveUsers24h: number | null;
  hubSpawnsSucceeded: number | null;
  hubSpawnSecondsSum: number | null;
  hubSpawnsFailed: number | null;
}

export interface HubSpawnHour {
  hourStart: Date;
  spawns: number;
  failedSpawns: number;
  /** Null in an hour without a successful spawn. */
  averageSpawnSeconds: number | null;
}

export interface HubMetricsSummary {
  /** The last sample that carried the hub's metrics; null when none did (not scraped). */
  sampledAt: Date | null;
  /** JupyterHub's own count of users active in the last day; null before JupyterHub 4. */
  activeUsers24h: number | null;
  spawns: number;
  failedSpawns: number;
  averageSpawnSeconds: number | null;
  /** One entry per hour of the window, oldest first. */
  hours: HubSpawnHour[];
}

const hourMs = 3_600_000;

/**
 * Spawns and their durations per hour from cumulative counters, the way Prometheus' increase()
 * reads them: the difference between consecutive samples, and after a drop (the hub restarted
 * and its counters began again at zero) the new value itself. Pure.
 */
export function summarizeHubMetrics(
  samples: readonly HubMetricsSample[],
  { now, windowHours = 24 }: { now: Date; windowHours?: number },
): HubMetricsSummary {
  const windowStart = Math.floor(now.getTime() / hourMs) * hourMs - (windowHours - 1) * hourMs;
  const hours = Array.from({ length: windowHours }, (_, index) => ({
    hourStart: new Date(windowStart + index * hourMs),
    spawns: 0,
    failedSpawns: 0,
    spawnSeconds: 0,
  }));
  const scraped = samples
    .filter((sample) => sample.hubSpawnsSucceeded !== null)
    .sort((a, b) => a.sampledAt.getTime() - b.sampledAt.getTime());
  const increase = (current: number | null, previous: number | null) =>
    current === null ? 0 : previous === null || current < previous ? current : current - previous;
  for (let index = 1; index < scraped.length; index += 1) {
    const previous = scraped[index - 1]!;
    const current = scraped[index]!;
    const hour = hours[Math.floor((current.sampledAt.getTime() - windowStart) / hourMs)];
    if (!hour) continue;
    // A restart shows as a drop in the success count; every counter began again then.
    const restarted = (current.hubSpawnsSucceeded ?? 0) < (previous.hubSpawnsSucceeded ?? 0);
    hour.spawns += increase(
      current.hubSpawnsSucceeded,
      restarted ? null : previous.hubSpawnsSucceeded,
    );
    hour.spawnSeconds += increase(
      current.hubSpawnSecondsSum,
      restarted ? null : previous.hubSpawnSecondsSum,
    );
    hour.failedSpawns += increase(
      current.hubSpawnsFailed,
      restarted ? null : previous.hubSpawnsFailed,
    );
  }
  const last = scraped.at(-1);
  const spawns = hours.reduce((total, hour) => total + hour.spawns, 0);
  const spawnSeconds = hours.reduce((total, hour) => total + hour.spawnSeconds, 0);
  return {
    sampledAt: last?.sampledAt ?? null,
    activeUsers24h: last?.hubActiveUsers24h ?? null,
    spawns,
    failedSpawns: hours.reduce((total, hour) => total + hour.failedSpawns, 0),
    averageSpawnSeconds: spawns > 0 ? spawnSeconds / spawns : null,
    hours: hours.map(({ hourStart, spawns: hourSpawns, failedSpawns, spawnSeconds: seconds }) => ({
      hourStart,
      spawns: hourSpawns,
      failedSpawns,
      averageSpawnSeconds: hourSpawns > 0 ? seconds / hourSpawns : null,
    })),
  };
}

/** The hub's own metrics over the last day, for ops and the course's staff (hub.read). */
export async function loadHubMetricsSummary(
  db: DatabaseClient,
  actor: Actor,
  { slug, now = new Date() }: { slug: string; now?: Date },
): Promise<HubMetricsSummary> {
  const hub = await db.hub.findUnique({
    where: { slug },
    select: { id: true, courseId: true, course: { select: { institutionId: true } } },
  });
  if (
    !hub ||
    !can(actor, "hub.read", { courseId: hub.courseId, institutionId: hub.course.institutionId })
  )
    throw new AppError("NOT_FOUND", "Hub not found");
  // The window, and the sample before it that the first hour's increase starts from.
  const windowStart = new Date(Math.floor(now.getTime() / hourMs) * hourMs - 23 * hourMs);
  const select = {
    sampledAt: true,
    hubActiveUsers24h: true,
    hubSpawnsSucceeded: true,
    hubSpawnSecondsSum: true,
    hubSpawnsFailed: true,
  } as const;
  const [before, within] = await Promise.all([
    db.usageSample.findFirst({
      where: { hubId: hub.id, sampledAt: { lt: windowStart }, hubSpawnsSucceeded: { not: null } },
      orderBy: { sampledAt: "desc" },
      select,
    }),
    db.usageSample.findMany({
      where: { hubId: hub.id, sampledAt: { gte: windowStart, lte: now } },
      orderBy: { sampledAt: "asc" },
      select,
    }),
  ]);
  return summarizeHubMetrics(before ? [before, ...within] : within, { now });
}
