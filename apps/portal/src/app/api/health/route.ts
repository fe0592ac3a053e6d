import { can, type Actor } from "@hubfed/auth";
import { services } from "~/server/services";
import { currentActor } from "~/server/session";

export const dynamic = "force-dynamic";

/** Who is asking may take a database read; a stalled database must not hold the answer up. */
const actorWithinMs = 1_000;

/**
 * Liveness and readiness of the portal's dependencies, answered within about a second whatever
 * they do (core's health monitor: a dependency that does not answer in time is "stalled").
 * Everyone gets the verdict and state per component (load balancers and probes need it, and it
 * names what is down); the wording of failures, which can name hosts, only operators see.
 */
export async function GET() {
  const [report, actor] = await Promise.all([
    services().health.check(),
    actorWithin(actorWithinMs),
  ]);
  const isDetailed = actor !== undefined && can(actor, "system.health.read");
  const body = isDetailed
    ? report
    : {
        isHealthy: report.isHealthy,
        isReady: report.isReady,
        checkedAt: report.checkedAt,
        database: { isHealthy: report.database.isHealthy, state: report.database.state },
        redis: { isHealthy: report.redis.isHealthy, state: report.redis.state },
        worker: {
          isHealthy: report.worker.isHealthy,
          state: report.worker.state,
          lastHeartbeatAt: report.worker.lastHeartbeatAt,
        },
      };
  return Response.json(body, {
    status: report.isHealthy ? 200 : 503,
    headers: { "cache-control": "no-store" },
  });
}

/** The signed-in actor, or undefined (a visitor, or no answer in time: the public verdict). */
async function actorWithin(milliseconds: number): Promise<Actor | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      currentActor(),
      new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), milliseconds);
      }),
    ]);
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}
