import { checkPortalReadiness } from "@hubfed/core";
import { services } from "~/server/services";

export const dynamic = "force-dynamic";

/**
 * The readiness probe: this portal answers and reaches its database. It does not follow the
 * worker's heartbeat or Redis (core's checkPortalReadiness says why); /api/health reports those.
 * The failure's wording can name hosts, so it stays in the log.
 */
export async function GET() {
  const { db } = services();
  const database = await checkPortalReadiness({ db });
  if (!database.isHealthy) console.warn(`portal: not ready: database ${database.detail}`);
  return Response.json(
    { isReady: database.isHealthy },
    { status: database.isHealthy ? 200 : 503, headers: { "cache-control": "no-store" } },
  );
}
