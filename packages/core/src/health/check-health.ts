import type { DatabaseClient } from "@hubfed/db";
import { readWorkerHeartbeat, type HeartbeatStore } from "./heartbeat";

export interface ComponentHealth {
  isHealthy: boolean;
  detail: string;
  latencyMs?: number;
}

export interface HealthReport {
  /** Everything the federation needs works: database, Redis and a worker. */
  isHealthy: boolean;
  /** This portal can serve pages (checkPortalReadiness): what a readiness probe asks. */
  isReady: boolean;
  checkedAt: string;
  database: ComponentHealth;
  redis: ComponentHealth;
  worker: ComponentHealth & { lastHeartbeatAt?: string };
}

export interface HealthDependencies {
  db: DatabaseClient;
  redis: HeartbeatStore & { ping(): Promise<string> };
  /** A worker is considered down when its last heartbeat is older than this. */
  workerStaleAfterMs?: number;
  now?: Date;
  timeoutMs?: number;
}

async function measure(check: () => Promise<string>, timeoutMs: number): Promise<ComponentHealth> {
  const startedAt = performance.now();
  try {
    const detail = await Promise.race([
      check(),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref(),
      ),
    ]);
    return { isHealthy: true, detail, latencyMs: Math.round(performance.now() - startedAt) };
  } catch (error) {
    return { isHealthy: false, detail: error instanceof Error ? error.message : String(error) };
  }
}

async function checkDatabase(db: DatabaseClient, timeoutMs: number): Promise<ComponentHealth> {
  return measure(async () => {
    await db.$queryRaw`SELECT 1`;
    return "reachable";
  }, timeoutMs);
}

/**
 * Whether this portal process can serve: it answers and reaches its database. Redis and the
 * worker are left out on purpose: they are shared by every portal replica, so a readiness that
 * followed them would take every replica out of the Service at once (a worker outage would
 * become a portal outage), while pages that need neither — sign-in, courses, the ops views that
 * show the outage — keep working. /api/health still reports them.
 */
export async function checkPortalReadiness({
  db,
  timeoutMs = 2_000,
}: Pick<HealthDependencies, "db" | "timeoutMs">): Promise<ComponentHealth> {
  return checkDatabase(db, timeoutMs);
}

/** Database, Redis and worker heartbeat, each checked independently so one failure does not hide the others. */
export async function checkHealth({
  db,
  redis,
  workerStaleAfterMs = 45_000,
  now = new Date(),
  timeoutMs = 2_000,
}: HealthDependencies): Promise<HealthReport> {
  const [database, redisHealth, heartbeat] = await Promise.all([
    checkDatabase(db, timeoutMs),
    measure(async () => `PING → ${await redis.ping()}`, timeoutMs),
    readWorkerHeartbeat(redis).catch(() => undefined),
  ]);
  let worker: HealthReport["worker"];
  if (!heartbeat) {
    worker = { isHealthy: false, detail: "no heartbeat recorded" };
  } else {
    const ageMs = now.getTime() - Date.parse(heartbeat.beatAt);
    worker = {
      isHealthy: ageMs <= workerStaleAfterMs,
      detail: `last heartbeat ${Math.round(ageMs / 1000)} s ago from ${heartbeat.workerId}`,
      lastHeartbeatAt: heartbeat.beatAt,
    };
  }
  return {
    isHealthy: database.isHealthy && redisHealth.isHealthy && worker.isHealthy,
    isReady: database.isHealthy,
    checkedAt: now.toISOString(),
    database,
    redis: redisHealth,
    worker,
  };
}
