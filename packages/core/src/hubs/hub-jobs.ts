import {
  decommissionHubJob,
  decommissionJobId,
  provisionHubJob,
  provisionJobId,
  type JobQueues,
} from "@hubfed/jobs";

// The worker's jobs for one hub, queued from wherever a hub's status moves (ops' actions, the
// budget, end of term, the fleet's periodic check), always after the transaction that moved it
// has committed, so the worker reads the new status.

/**
 * Queues the reconcile that makes the runtime follow the hub's status: stop a suspended hub,
 * start a resumed one, restart one, retry one. Each call is its own job.
 */
export function queueHubReconcile(
  queues: JobQueues,
  hubId: string,
  occasion: "suspend" | "resume" | "restart" | "retry",
  { atMs = Date.now() }: { atMs?: number } = {},
): Promise<string> {
  return queues.add(
    provisionHubJob,
    { hubId, trigger: occasion },
    { jobId: provisionJobId(hubId, { occasion, atMs }) },
  );
}

/** Queues a hub's decommission, once per hub however often it is asked for. */
export function queueHubDecommission(queues: JobQueues, hubId: string): Promise<string> {
  return queues.add(decommissionHubJob, { hubId }, { jobId: decommissionJobId(hubId) });
}
