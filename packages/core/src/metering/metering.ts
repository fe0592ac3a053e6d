import type { DatabaseClient } from "@hubfed/db";
import type { JupyterHubMetrics } from "@hubfed/observability";
import { pricingOfCluster } from "../pricing/region-pricing";
import {
  enforceBudgetPolicies,
  evaluateAllocationAlerts,
  evaluatePoolForecasts,
  type BudgetPassFailure,
} from "../credits/alerts";
import type { HubBudgetSwitch } from "../credits/hub-budget-switch";
import { startOfUtcDay } from "../credits/forecast";
import { postHubDay, recordHubDayFailure, type HubDayOutcome } from "../credits/usage-posting";
import { failureMessageOf } from "../errors";
import { isHubStopped, sampledHubStatuses } from "../hubs/lifecycle";
import { maximumSampleSpanMs, priceUsageDay } from "./usage-pricing";

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
  /** The hub's own Prometheus metrics, when the hub serves them to the portal; null otherwise. */
  hubMetrics?: HubOwnMetrics | null;
}

/**
 * What a JupyterHub says of itself on /hub/metrics that metering keeps: active users and the
 * spawns since the hub process started (spawnStatsOf reads them).
 */
export type HubOwnMetrics = Pick<
  JupyterHubMetrics,
  "activeUsers24h" | "spawnsSucceeded" | "spawnSecondsTotal" | "spawnsFailed"
>;

/** A runtime's way of reading a hub's usage: the local runtime and the Kubernetes runtime each provide one. */
export type HubUsageProbe = (hub: {
  id: string;
  slug: string;
  url: string | null;
  clusterId: string;
  spec: unknown;
  /**
   * The hub is suspended and should be stopped: its homes are still measured (and billed), and
   * its servers counted only if some are running after all (a hub that is down answers nothing).
   */
  isStopped: boolean;
}) => Promise<HubUsageReading>;

/**
 * Samples every hub that can cost money once: running hubs for their servers and storage, a
 * suspended one for its storage (sampledHubStatuses). A hub whose probe fails is skipped and
 * reported, never failing the others (the same rule as multi-cluster calls).
 */
export async function sampleHubUsage(
  db: DatabaseClient,
  probeFor: (runtime: "LOCAL" | "KUBERNETES") => HubUsageProbe | undefined,
  { now = new Date() }: { now?: Date } = {},
) {
  const hubs = await db.hub.findMany({
    where: { status: { in: [...sampledHubStatuses] } },
    include: { cluster: { select: { runtime: true } } },
  });
  const errors: Array<{ hubSlug: string; message: string }> = [];
  let sampled = 0;
  for (const hub of hubs) {
    const probe = probeFor(hub.cluster.runtime);
    if (!probe) continue;
    try {
      const { lastActivityAt, hubMetrics, ...reading } = await probe({
        ...hub,
        isStopped: isHubStopped(hub.status),
      });
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
 * How far back the daily posting looks for days it has not gone through yet (a worker stopped
 * for a while): two months. An older day is posted by naming it (the job's `day`).
 */
export const postingCatchUpDays = 62;

const dayMs = 86_400_000;

export interface PostedHubDay {
  hubSlug: string;
  day: Date;
  result: HubDayOutcome;
}

export interface DailyUsageReport {
  /** The days this run went through (catch-up included), oldest first. */
  days: Date[];
  /** Every hub-day this run tried, posted or not. */
  hubDays: PostedHubDay[];
  alerts: Array<{ allocationId: string; thresholdPercent: number }>;
  suspended: string[];
  poolAlerts: string[];
  /** Alerts, policies or forecasts that could not be handled for one allocation, hub or pool. */
  failures: BudgetPassFailure[];
}

/**
 * The daily posting (`metering.post-day`): prices every finished UTC day not gone through yet
 * (each day of the catch-up window without a MeteringDay row, so days missed while the worker
 * was stopped are caught up) and posts each hub-day on its own; tries again every hub-day an
 * earlier run could not post; then evaluates alerts, the 100 % policy and the pools' forecasts,
 * one allocation or pool at a time. Nothing is posted twice (DailyUsageCost per hub and day, the
 * ledger's keys); one hub's trouble is recorded and never stops the others.
 *
 * `day` posts that one day (ops naming a day older than the window).
 */
export async function postDailyUsage(
  db: DatabaseClient,
  { hubs, now = new Date(), day }: { hubs: HubBudgetSwitch; now?: Date; day?: Date },
): Promise<DailyUsageReport> {
  // A day is gone through once it is over and its last samples are in: a sampling run that
  // started just before midnight may still be writing, so the day settles for one sample span.
  const settledUntil = startOfUtcDay(new Date(now.getTime() - maximumSampleSpanMs));
  const days = day ? [startOfUtcDay(day)] : await daysNotGoneThrough(db, settledUntil);
  const hubDays: PostedHubDay[] = [];
  for (const dayStart of days) {
    const posted = await postUsageDay(db, dayStart, { hubs, now });
    hubDays.push(...posted);
    await db.meteringDay.upsert({
      where: { day: dayStart },
      create: {
        day: dayStart,
        processedAt: now,
        postedHubs: posted.filter((entry) => entry.result.outcome === "posted").length,
        problemHubs: posted.filter((entry) => entry.result.outcome !== "posted").length,
      },
      update: { processedAt: now },
    });
  }
  // Hub-days of earlier days that could not be posted then: tried again, oldest first.
  const retries = await db.usagePostingProblem.findMany({
    where: { resolvedAt: null, day: { notIn: days } },
    select: { hubId: true, day: true },
    orderBy: [{ day: "asc" }, { hubId: "asc" }],
  });
  for (const retry of retries)
    hubDays.push(...(await postUsageDay(db, retry.day, { hubs, now, hubIds: [retry.hubId] })));

  const failures: BudgetPassFailure[] = [];
  const alerts = await evaluateAllocationAlerts(db, { now, failures });
  const suspended = await enforceBudgetPolicies(db, { hubs, now, failures });
  const poolAlerts = await evaluatePoolForecasts(db, { now, failures });
  return { days, hubDays, alerts, suspended, poolAlerts, failures };
}

/** The settled days of the catch-up window the posting has not gone through, oldest first. */
async function daysNotGoneThrough(db: DatabaseClient, settledUntil: Date): Promise<Date[]> {
  const first = new Date(settledUntil.getTime() - postingCatchUpDays * dayMs);
  const done = await db.meteringDay.findMany({
    where: { day: { gte: first, lt: settledUntil } },
    select: { day: true },
  });
  const doneDays = new Set(done.map((entry) => entry.day.getTime()));
  const days: Date[] = [];
  for (let time = first.getTime(); time < settledUntil.getTime(); time += dayMs)
    if (!doneDays.has(time)) days.push(new Date(time));
  return days;
}

/**
 * Prices and posts one day for every hub that has samples in it and no posted cost yet (or for
 * `hubIds`), each hub-day on its own: postHubDay never throws for one hub's trouble.
 */
async function postUsageDay(
  db: DatabaseClient,
  dayStart: Date,
  { hubs, now, hubIds }: { hubs: HubBudgetSwitch; now: Date; hubIds?: string[] },
): Promise<PostedHubDay[]> {
  const dayEnd = new Date(dayStart.getTime() + dayMs);
  const toPost = await db.hub.findMany({
    where: {
      ...(hubIds ? { id: { in: hubIds } } : {}),
      usageSamples: { some: { sampledAt: { gte: dayStart, lt: dayEnd } } },
      dailyCosts: { none: { day: dayStart } },
      allocation: { isNot: null },
    },
    include: { cluster: { include: { cloud: true, nodePools: true, region: true } } },
    orderBy: { slug: "asc" },
  });
  const posted: PostedHubDay[] = [];
  for (const hub of toPost) {
    let result: HubDayOutcome;
    try {
      const samples = await db.usageSample.findMany({
        where: { hubId: hub.id, sampledAt: { gte: dayStart, lt: dayEnd } },
        orderBy: { sampledAt: "asc" },
      });
      const priced = priceUsageDay(samples, dayStart, pricingOfCluster(hub.cluster));
      result = await postHubDay(db, { hubId: hub.id, day: dayStart, priced, hubs, now });
    } catch (error) {
      // Pricing failed (a cluster without prices, say), or recording the problem itself did.
      result = await recordHubDayFailure(db, {
        hubId: hub.id,
        day: dayStart,
        costCents: 0n,
        error,
        now,
      }).catch((recording: unknown) => ({
        outcome: "failed" as const,
        costCents: 0n,
        error: `${failureMessageOf(error)} (and it could not be recorded: ${failureMessageOf(recording)})`,
      }));
    }
    posted.push({ hubSlug: hub.slug, day: dayStart, result });
  }
  return posted;
}

/**
 * The job's run of the daily posting: everything postDailyUsage does, and then, when a hub-day
 * could not be posted (for a reason other than money) or an alert could not be handled, a failure
 * naming them, so the job ends failed and visible with the reason. Everything else is done by
 * then, and a retry posts nothing twice.
 */
export async function runDailyUsagePosting(
  db: DatabaseClient,
  options: { hubs: HubBudgetSwitch; now?: Date; day?: Date },
): Promise<DailyUsageReport> {
  const report = await postDailyUsage(db, options);
  const failed = report.hubDays.flatMap((entry) =>
    entry.result.outcome === "failed"
      ? [`${entry.hubSlug} ${entry.day.toISOString().slice(0, 10)}: ${entry.result.error}`]
      : [],
  );
  const problems = [
    ...failed,
    ...report.failures.map((failure) => `${failure.subject}: ${failure.message}`),
  ];
  if (problems.length > 0)
    throw new Error(
      `${problems.length} of the day's postings or alerts failed; everything else was done, and these are tried again at the next run. ${problems.join("; ")}`.slice(
        0,
        2_000,
      ),
    );
  return report;
}
