export const dynamic = "force-dynamic";

/**
 * The liveness probe: the process and Next's request handling answer. It checks no dependency,
 * so an outage elsewhere never gets healthy portal pods restarted.
 */
export function GET() {
  return Response.json({ isAlive: true }, { headers: { "cache-control": "no-store" } });
}
