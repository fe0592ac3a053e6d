import type { DatabaseClient } from "@hubfed/db";
import { liveHubStatuses } from "./lifecycle";
import { transitionHub } from "./status";

/**
 * Moves every hub whose course ended more than `graceDays` ago to
 * DECOMMISSIONING (SPEC §3). Teardown itself is provisioning's job. Safe to
 * run repeatedly: a hub already decommissioning is not touched again.
 */
export async function decommissionEndedHubs(
  db: DatabaseClient,
  { now = new Date(), graceDays }: { now?: Date; graceDays: number },
): Promise<string[]> {
  const cutoff = new Date(now.getTime() - graceDays * 86_400_000);
  const hubs = await db.hub.findMany({
    where: { status: { in: [...liveHubStatuses] }, course: { endDate: { lt: cutoff } } },
    include: { course: { select: { endDate: true } } },
  });
  const moved: string[] = [];
  for (const hub of hubs) {
    const reason = `The course ended on ${hub.course.endDate.toISOString().slice(0, 10)}; the ${graceDays}-day grace period is over.`;
    const didMove = await db.$transaction((tx) =>
      transitionHub(tx, {
        hub,
        from: liveHubStatuses,
        to: "DECOMMISSIONING",
        reason,
        actorId: null,
      }),
    );
    if (didMove) moved.push(hub.slug);
  }
  return moved;
}
