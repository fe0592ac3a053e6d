import type { DatabaseClient, HubStatus } from "@hubfed/db";
import { allHubStatuses } from "./lifecycle";

/** How many hubs hold each status, every status present (the worker's hubs-by-status gauge). */
export async function countHubsByStatus(
  db: Pick<DatabaseClient, "hub">,
): Promise<Record<HubStatus, number>> {
  const groups = await db.hub.groupBy({ by: ["status"], _count: { _all: true } });
  const counts = Object.fromEntries(allHubStatuses.map((status) => [status, 0])) as Record<
    HubStatus,
    number
  >;
  for (const group of groups) counts[group.status] = group._count._all;
  return counts;
}
