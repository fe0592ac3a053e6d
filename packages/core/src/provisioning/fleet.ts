import type { DatabaseClient } from "@hubfed/db";
import { provisionHubJob, provisionJobId, reconcileFleetJob, type JobQueues } from "@hubfed/jobs";
import { decommissionEndedHubs } from "../hubs/end-of-term";
import { queueHubDecommission } from "../hubs/hub-jobs";
import { driftCheckedHubStatuses } from "../hubs/lifecycle";

// The scheduled jobs that look over the whole fleet decide here which hubs get
// a provisioning or decommission job; the worker only runs them.

/**
 * The fleet's periodic check (`hubs.reconcile-fleet`): a drift reconcile for
 * every live hub — with server-side apply an unchanged hub writes nothing, and a
 * suspended one is kept stopped —
 * and a decommission for every retiring one. Drift jobs are keyed by the
 * job's period, so a second run in the same period queues nothing new.
 */
export async function queueFleetReconcile(
  db: DatabaseClient,
  queues: JobQueues,
  { now = new Date() }: { now?: Date } = {},
): Promise<{ reconciling: number; retiring: number }> {
  const driftWindow = Math.floor(now.getTime() / reconcileFleetJob.everyMs!);
  const live = await db.hub.findMany({
    where: { status: { in: [...driftCheckedHubStatuses] } },
    select: { id: true },
  });
  for (const hub of live)
    await queues.add(
      provisionHubJob,
      { hubId: hub.id, trigger: "drift" },
      { jobId: provisionJobId(hub.id, { driftWindow }) },
    );
  const retiring = await db.hub.findMany({
    where: { status: "DECOMMISSIONING" },
    select: { id: true },
  });
  for (const hub of retiring) await queueHubDecommission(queues, hub.id);
  return { reconciling: live.length, retiring: retiring.length };
}

/**
 * End of term (`hubs.end-of-term`): moves every hub whose course ended more
 * than `graceDays` ago to DECOMMISSIONING and queues its decommission.
 * Returns the slugs of the hubs it moved.
 */
export async function retireEndedHubs(
  db: DatabaseClient,
  queues: JobQueues,
  { now = new Date(), graceDays }: { now?: Date; graceDays: number },
): Promise<string[]> {
  const moved = await decommissionEndedHubs(db, { now, graceDays });
  const hubs = await db.hub.findMany({ where: { slug: { in: moved } }, select: { id: true } });
  for (const hub of hubs) await queueHubDecommission(queues, hub.id);
  return moved;
}
