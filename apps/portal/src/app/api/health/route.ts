import { can } from "@hubfed/auth";
import { checkHealth } from "@hubfed/core";
import { services } from "~/server/services";
import { currentActor } from "~/server/session";

export const dynamic = "force-dynamic";

/**
 * Liveness and readiness of the portal's dependencies. Everyone gets the
 * verdict per component (load balancers and probes need it); the wording of
 * failures, which can name hosts, only operators see.
 */
export async function GET() {
  const { db, redis } = services();
  const report = await checkHealth({ db, redis });
  const actor = await currentActor().catch(() => undefined);
  const isDetailed = actor !== undefined && can(actor, "system.health.read");
  const body = isDetailed
    ? report
    : {
        isHealthy: report.isHealthy,
        isReady: report.isReady,
        checkedAt: report.checkedAt,
        database: { isHealthy: report.database.isHealthy },
        redis: { isHealthy: report.redis.isHealthy },
        worker: {
          isHealthy: report.worker.isHealthy,
          lastHeartbeatAt: report.worker.lastHeartbeatAt,
        },
      };
  return Response.json(body, {
    status: report.isHealthy ? 200 : 503,
    headers: { "cache-control": "no-store" },
  });
}
