import type { DatabaseClient } from "@hubfed/db";
import { pricingOfCluster } from "../pricing/region-pricing";
import {
  enforceBudgetPolicies,
  evaluateAllocationAlerts,
  evaluatePoolForecasts,
} from "../credits/alerts";
import { postDailyBurn } from "../credits/burn";
import { startOfUtcDay } from "../credits/forecast";
import { hubBudgetSwitch } from "../hubs/budget-switch";
import { meteredHubStatuses } from "../hubs/lifecycle";
import { priceUsageDay } from "./usage-pricing";

/** What a runtime reports about a hub's use right now (SPEC §6 metering). */
export interface HubUsageReading {
  activeUsers: number;
  runningServers: number;
  requestedMemoryMib: number;
  requestedMilliCpu: number;
  storageMib: bigint;
  /** Where the figures came from: "hub-api", "kubernetes", "process". */
  source: string;
  /** The latest activity of any user's server, when the runtime can tell (the hub API can). */
  lastActivityAt?: Date | null;
  /** The hub's own Prometheus metrics, when the runtime can read them (the local runtime can). */
  hubMetrics?: HubOwnMetrics | null;
}

/**
 * What a JupyterHub says of itself on /hub/metrics. Each figure is null when the hub does not
 * report it; the spawn figures count since the hub process started (spawnStatsOf reads them).
 */
export interface HubOwnMetrics {
  activeUsers24h: number | null;
  spawnsSucceeded: number | null;
  spawnSecondsTotal: number | null;
  spawnsFailed: number | null;
}

/** A runtime's way of reading a hub's usage: the local runtime and the Kubernetes runtime each provide one. */
export type HubUsageProbe = (hub: {
  id: string;
  slug: string;
  url: string | null;
  clusterId: string;
  spec: unknown;
}) => Promise<HubUsageReading>;

/**
 * Samples every running hub once. A hub whose probe fails is skipped and
 * reported, never failing the others (the same rule as multi-cluster calls).
 */
export async function sampleHubUsage(
  db: DatabaseClient,
  probeFor: (runtime: "LOCAL" | "KUBERNETES") => HubUsageProbe | undefined,
  { now = new Date() }: { now?: Date } = {},
) {
  const hubs = await db.hub.findMany({
    where: { status: { in: [...meteredHubStatuses] } },
    include: { cluster: { select: { runtime: true } } },
  });
  const errors: Array<{ hubSlug: string; message: string }> = [];
  let sampled = 0;
  for (const hub of hubs) {
    const probe = probeFor(hub.cluster.runtime);
    if (!probe) continue;
    try {
      const { lastActivityAt, hubMetrics, ...reading } = await probe(hub);
      await db.usageSample.create({
        data: {
          hubId: hub.id,
          sampledAt: now,
          ...reading,
          hubActiveUsers24h: hubMetrics?.activeUsers24h ?? null,
          hubSpawnsSucceeded: hubMetrics?.spawnsSucceeded ?? null,
          hubSpawnSecondsSum: hubMetrics?.spawnSecondsTotal ?? null,
          hubSpawnsFailed: hubMetrics?.spawnsFailed ?? null,
        },
      });
      // "Hub last active" on My hubs and the course page: only ever moves forward.
      if (lastActivityAt)
        await db.hub.updateMany({
          where: {
            id: hub.id,
            OR: [{ lastActivityAt: null }, { lastActivityAt: { lt: lastActivityAt } }],
          },
          data: { lastActivityAt },
        });
      sampled += 1;
    } catch (error) {
      errors.push({
        hubSlug: hub.slug,
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return { sampled, errors };
}

/**
 * Prices a finished UTC day for every hub that has samples in it and posts
 * the day's burn once per hub; then evaluates alerts, the 100 % policy and
 * the pools' forecasts. Idempotent: a day already posted is skipped.
 */
export async function priceAndPostDay(
  db: DatabaseClient,
  { day, now = new Date() }: { day: Date; now?: Date },
) {
  const dayStart = startOfUtcDay(day);
  const dayEnd = new Date(dayStart.getTime() + 86_400_000);
  const hubs = await db.hub.findMany({
    where: {
      usageSamples: { some: { sampledAt: { gte: dayStart, lt: dayEnd } } },
      dailyCosts: { none: { day: dayStart } },
      allocation: { isNot: null },
    },
    include: { cluster: { include: { cloud: true, nodePools: true, region: true } } },
  });
  const posted: Array<{ hubSlug: string; costCents: bigint }> = [];
  for (const hub of hubs) {
    const samples = await db.usageSample.findMany({
      where: { hubId: hub.id, sampledAt: { gte: dayStart, lt: dayEnd } },
      orderBy: { sampledAt: "asc" },
    });
    const priced = priceUsageDay(samples, dayStart, pricingOfCluster(hub.cluster));
    const cost = await postDailyBurn(db, { hubId: hub.id, day: dayStart, priced });
    posted.push({ hubSlug: hub.slug, costCents: cost.costCents });
  }
  const alerts = await evaluateAllocationAlerts(db, { now });
  const suspended = await enforceBudgetPolicies(db, { hubs: hubBudgetSwitch, now });
  const poolAlerts = await evaluatePoolForecasts(db, { now });
  return { posted, alerts, suspended, poolAlerts };
}
