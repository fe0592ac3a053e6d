import { portalLogger } from "~/server/log";
import { services } from "~/server/services";

export const dynamic = "force-dynamic";

/**
 * The readiness probe: this portal answers and reaches its database, within about a second
 * (core's bounded health monitor: a stalled database is "not ready", never a hung probe). It
 * does not follow the worker's heartbeat or Redis (core's checkPortalReadiness says why);
 * /api/health reports those. The failure's wording can name hosts, so it stays in the log.
 */
export async function GET() {
  const { database, isReady } = await services().health.check();
  if (!isReady) portalLogger().warn({ database: database.detail }, "portal not ready: database");
  return Response.json(
    { isReady },
    { status: isReady ? 200 : 503, headers: { "cache-control": "no-store" } },
  );
}
