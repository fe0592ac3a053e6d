import type { DatabaseClient } from "@hubfed/db";
import { parseWorkerHeartbeat, workerHeartbeatKey } from "./heartbeat";

/**
 * up: answered in time; stalled: no answer yet (a partition, a paused server: the connection is
 * open but nothing comes back); down: answered with an error (refused, closed, failed).
 */
export type DependencyState = "up" | "stalled" | "down";

export interface ComponentHealth {
  isHealthy: boolean;
  state: DependencyState;
  detail: string;
  latencyMs?: number;
}

export interface HealthReport {
  /** Everything the federation needs works: database, Redis and a worker. */
  isHealthy: boolean;
  /** This portal can serve pages: its database answers (checkPortalReadiness says why only that). */
  isReady: boolean;
  checkedAt: string;
  database: ComponentHealth;
  redis: ComponentHealth;
  worker: Omit<ComponentHealth, "state"> & {
    /** "unknown" while Redis, where the heartbeat is kept, does not answer. */
    state: DependencyState | "unknown";
    lastHeartbeatAt?: string;
  };
}

export interface HealthDependencies {
  db: Pick<DatabaseClient, "$queryRaw">;
  /** Any Redis client (ioredis satisfies it); the heartbeat's read doubles as Redis' check. */
  redis: { get(key: string): Promise<string | null> };
  /** A worker is considered down when its last heartbeat is older than this. */
  workerStaleAfterMs?: number;
  /**
   * How long a check waits for a dependency before calling it stalled; the report is ready
   * after about this long whatever the dependencies do (load balancers wait 2 s at most).
   */
  answerWithinMs?: number;
  /** The same as answerWithinMs, for one-shot checks. */
  timeoutMs?: number;
}

export interface HealthMonitor {
  check(now?: Date): Promise<HealthReport>;
}

const timedOut = /timed out|timeout/i;

interface Probe<T> {
  startedAt: number;
  answer: Promise<T>;
}

type ProbeOutcome<T> =
  | { kind: "answered"; value: T; latencyMs: number }
  | { kind: "failed"; message: string }
  | { kind: "stalled"; waitingMs: number };

/**
 * Checks the database, Redis and the worker's heartbeat, each independently so one failure
 * does not hide the others, and never waits longer than `answerWithinMs` for any of them.
 * A check still waiting from an earlier report is joined rather than repeated: a stalled
 * dependency gets one question at a time (not one per probe, which would use up the
 * connection pool), and the report says how long it has been waiting.
 */
export function createHealthMonitor({
  db,
  redis,
  workerStaleAfterMs = 45_000,
  timeoutMs,
  answerWithinMs = timeoutMs ?? 1_000,
}: HealthDependencies): HealthMonitor {
  const waiting = new Map<string, Probe<unknown>>();

  async function probe<T>(name: string, ask: () => Promise<T>): Promise<ProbeOutcome<T>> {
    let current = waiting.get(name) as Probe<T> | undefined;
    if (!current) {
      const startedAt = performance.now();
      const answer = ask().finally(() => waiting.delete(name));
      answer.catch(() => undefined); // read below, or by a later check that joins it
      current = { startedAt, answer };
      waiting.set(name, current);
    }
    const { startedAt, answer } = current;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        answer.then((value): ProbeOutcome<T> => ({
          kind: "answered",
          value,
          latencyMs: Math.round(performance.now() - startedAt),
        })),
        new Promise<ProbeOutcome<T>>((resolve) => {
          timer = setTimeout(
            () =>
              resolve({ kind: "stalled", waitingMs: Math.round(performance.now() - startedAt) }),
            answerWithinMs,
          );
        }),
      ]);
    } catch (error) {
      return { kind: "failed", message: error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timer);
    }
  }

  function componentOf<T>(outcome: ProbeOutcome<T>, answered: string): ComponentHealth {
    switch (outcome.kind) {
      case "answered":
        return { isHealthy: true, state: "up", detail: answered, latencyMs: outcome.latencyMs };
      case "failed":
        // A client that gave up waiting (ioredis' command timeout, the pool's query timeout)
        // met a stall, not a refusal.
        return {
          isHealthy: false,
          state: timedOut.test(outcome.message) ? "stalled" : "down",
          detail: outcome.message,
        };
      case "stalled":
        return {
          isHealthy: false,
          state: "stalled",
          detail: `no answer for ${(outcome.waitingMs / 1000).toFixed(1)} s`,
        };
    }
  }

  return {
    async check(now = new Date()) {
      const [databaseOutcome, redisOutcome] = await Promise.all([
        probe("database", () => db.$queryRaw`SELECT 1`),
        probe("redis", () => redis.get(workerHeartbeatKey)),
      ]);
      const database = componentOf(databaseOutcome, "reachable");
      const redisHealth = componentOf(redisOutcome, "reachable");
      let worker: HealthReport["worker"];
      if (redisOutcome.kind !== "answered") {
        worker = {
          isHealthy: false,
          state: "unknown",
          detail: "unknown: its heartbeat is kept in Redis, which is not answering",
        };
      } else {
        const heartbeat = parseWorkerHeartbeat(redisOutcome.value);
        if (!heartbeat) {
          worker = { isHealthy: false, state: "down", detail: "no heartbeat recorded" };
        } else {
          const ageMs = now.getTime() - Date.parse(heartbeat.beatAt);
          const isHealthy = ageMs <= workerStaleAfterMs;
          worker = {
            isHealthy,
            state: isHealthy ? "up" : "down",
            detail: `last heartbeat ${Math.round(ageMs / 1000)} s ago from ${heartbeat.workerId}`,
            lastHeartbeatAt: heartbeat.beatAt,
          };
        }
      }
      return {
        isHealthy: database.isHealthy && redisHealth.isHealthy && worker.isHealthy,
        isReady: database.isHealthy,
        checkedAt: now.toISOString(),
        database,
        redis: redisHealth,
        worker,
      };
    },
  };
}

/** One report from a monitor of its own (no memory of checks still waiting). */
export function checkHealth(
  dependencies: HealthDependencies & { now?: Date },
): Promise<HealthReport> {
  return createHealthMonitor(dependencies).check(dependencies.now);
}

/**
 * Whether this portal process can serve: it answers and reaches its database. Redis and the
 * worker are left out on purpose: they are shared by every portal replica, so a readiness that
 * followed them would take every replica out of the Service at once (a worker outage would
 * become a portal outage), while pages that need neither keep working. /api/health still
 * reports them.
 */
export async function checkPortalReadiness({
  db,
  timeoutMs = 2_000,
}: Pick<HealthDependencies, "db" | "timeoutMs">): Promise<ComponentHealth> {
  const report = await createHealthMonitor({
    db,
    // Readiness asks only the database; a Redis that is never asked answers at once.
    redis: { get: () => Promise.resolve(null) },
    answerWithinMs: timeoutMs,
  }).check();
  return report.database;
}

/** The dependencies a report found not answering, by name (for messages and logs). */
export function unhealthyDependenciesOf(report: HealthReport): string[] {
  return (["database", "redis", "worker"] as const).filter((name) => !report[name].isHealthy);
}
