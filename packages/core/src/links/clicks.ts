import type { Redis } from "ioredis";
import type { DatabaseClient } from "@hubfed/db";

/**
 * Click counting off the redirect path (SPEC §8). A click is one Redis
 * command sent without waiting for its answer; a job folds the counters
 * into ContentLinkDailyClicks and Enrollment.lastLaunchedAt.
 *
 * Counters per UTC day are running totals (HINCRBY on
 * `hubfed:link-clicks:<day>`), and folding writes the total with
 * GREATEST(stored, total): a fold that runs twice, or concurrently, writes
 * the same number, so folding is idempotent without bookkeeping. A day's
 * hash expires three days later, long after its last fold.
 */

const clicksKeyPrefix = "hubfed:link-clicks:";
const launchesKey = "hubfed:enrollment-launches";
const launchesFoldingKey = "hubfed:enrollment-launches:folding";
const clickKeyTtlSeconds = 3 * 86_400;

function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export interface ClickRecorder {
  /** Never awaited by the router: failures are swallowed (a lost count never fails a click). */
  recordClick(input: { linkId: string | null; enrollmentId: string; at?: Date }): void;
}

export function createClickRecorder(redis: Redis): ClickRecorder {
  const knownDays = new Set<string>();
  return {
    recordClick({ linkId, enrollmentId, at = new Date() }) {
      const pipeline = redis.pipeline();
      if (linkId) {
        const day = utcDay(at);
        const key = `${clicksKeyPrefix}${day}`;
        pipeline.hincrby(key, linkId, 1);
        // The expiry is set once per day per process, not on every click.
        if (!knownDays.has(day)) {
          knownDays.add(day);
          pipeline.expire(key, clickKeyTtlSeconds);
        }
      }
      pipeline.hset(launchesKey, enrollmentId, String(at.getTime()));
      pipeline.exec().catch(() => undefined);
    },
  };
}

/** Writes the counters of the last two days and pending launch times into PostgreSQL. */
export async function foldLinkClicks(
  db: DatabaseClient,
  redis: Redis,
  now: Date = new Date(),
): Promise<{ days: number; links: number; launches: number }> {
  const days = [utcDay(new Date(now.getTime() - 86_400_000)), utcDay(now)];
  let links = 0;
  let folded = 0;
  for (const day of days) {
    const counts = await redis.hgetall(`${clicksKeyPrefix}${day}`);
    const entries = Object.entries(counts)
      .map(([linkId, count]) => [linkId, Number(count)] as const)
      .filter(([, count]) => Number.isSafeInteger(count) && count > 0);
    if (entries.length === 0) continue;
    folded += 1;
    links += entries.length;
    const linkIds = entries.map(([linkId]) => linkId);
    const clicks = entries.map(([, count]) => count);
    // Links deleted since the click are skipped by the join.
    await db.$executeRaw`
      INSERT INTO "ContentLinkDailyClicks" ("linkId", "day", "clicks")
      SELECT counts."linkId", ${day}::date, counts."clicks"
      FROM unnest(${linkIds}::text[], ${clicks}::int[]) AS counts("linkId", "clicks")
      JOIN "ContentLink" link ON link."id" = counts."linkId"
      ON CONFLICT ("linkId", "day")
      DO UPDATE SET "clicks" = GREATEST("ContentLinkDailyClicks"."clicks", EXCLUDED."clicks")`;
  }

  // Launch times: move the hash aside atomically, write it, then drop it. A
  // crash in between leaves the folding hash for the next run; writing a
  // launch time twice is harmless (the later time wins).
  if ((await redis.exists(launchesFoldingKey)) === 0) {
    try {
      await redis.rename(launchesKey, launchesFoldingKey);
    } catch {
      // No launches since the last fold.
    }
  }
  const launches = await redis.hgetall(launchesFoldingKey);
  const launchEntries = Object.entries(launches)
    .map(([enrollmentId, at]) => [enrollmentId, Number(at)] as const)
    .filter(([, at]) => Number.isFinite(at) && at > 0);
  if (launchEntries.length > 0) {
    const enrollmentIds = launchEntries.map(([enrollmentId]) => enrollmentId);
    const times = launchEntries.map(([, at]) => new Date(at).toISOString());
    await db.$executeRaw`
      UPDATE "Enrollment" AS enrollment
      SET "lastLaunchedAt" = GREATEST(enrollment."lastLaunchedAt", launches."at")
      FROM unnest(${enrollmentIds}::text[], ${times}::timestamp[]) AS launches("id", "at")
      WHERE enrollment."id" = launches."id"`;
  }
  await redis.del(launchesFoldingKey);
  return { days: folded, links, launches: launchEntries.length };
}
