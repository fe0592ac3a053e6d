import type { DatabaseClient } from "@hubfed/db";
import { readWorkerHeartbeat, type HeartbeatStore } from "./heartbeat";

export interface ComponentHealth {
  isHealthy: boolean;
  detail: string;
  latencyMs?: number;
}

export interface HealthReport {
  isHealthy: boolean;
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

/** Database, Redis and worker heartbeat, each checked independently so one failure does not hide the others. */
export async function checkHealth({
  db,
  redis,
  workerStaleAfterMs = 45_000,
  now = new Date(),
  timeoutMs = 2_000,
}: HealthDependencies): Promise<HealthReport> {
  const [database, redisHealth, heartbeat] = await Promise.all([
    measure(async () => {
      await db.$queryRaw`SELECT 1`;
      return "reachable";
    }, timeoutMs),
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
    checkedAt: now.toISOString(),
    database,
    redis: redisHealth,
    worker,
  };
}
