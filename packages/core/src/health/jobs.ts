import { can, type Actor } from "@hubfed/auth/permissions";
import { type DatabaseClient, recordAuditEvent } from "@hubfed/db";
import {
  queueNames,
  type FailedJob,
  type JobInspector,
  type QueueDepths,
  type QueueName,
} from "@hubfed/jobs";
import { AppError } from "../errors";

// The operators' view of the background work (/ops/jobs): how deep each queue is, the jobs whose
// last attempt failed with their reasons, and a retry that is recorded in the audit log.

function assertMayManageJobs(actor: Actor): void {
  if (!can(actor, "system.jobs.manage"))
    throw new AppError("FORBIDDEN", "Only federation operators see and retry background jobs");
}

/** Jobs per queue and state. */
export async function queueOverview(actor: Actor, inspector: JobInspector): Promise<QueueDepths> {
  assertMayManageJobs(actor);
  return inspector.countJobs();
}

export const failedJobsPageSize = 25;

/** One page of a queue's failed jobs, the most recently failed first. */
export async function listFailedJobs(
  actor: Actor,
  inspector: JobInspector,
  { queue, page }: { queue: QueueName; page: number },
): Promise<{ jobs: FailedJob[]; total: number; page: number; pageCount: number }> {
  assertMayManageJobs(actor);
  const { jobs, total } = await inspector.listFailedJobs(queue, {
    offset: (page - 1) * failedJobsPageSize,
    limit: failedJobsPageSize,
  });
  return { jobs, total, page, pageCount: Math.max(1, Math.ceil(total / failedJobsPageSize)) };
}

/**
 * Puts a failed job back on its queue (same id, same payload, attempts counted afresh) and
 * records who did it, with the reason it had failed, in the audit log.
 */
export async function retryFailedJob(
  db: DatabaseClient,
  actor: Actor,
  inspector: JobInspector,
  { queue, jobId }: { queue: QueueName; jobId: string },
  requestMetadata?: { ipAddress?: string; userAgent?: string },
): Promise<FailedJob> {
  assertMayManageJobs(actor);
  const retried = await inspector.retryFailedJob(queue, jobId);
  if (retried.outcome === "missing")
    throw new AppError(
      "NOT_FOUND",
      "That job is no longer kept; it may have been retried and finished",
    );
  if (retried.outcome === "not-failed")
    throw new AppError(
      "CONFLICT",
      "That job is not failed any more: it is waiting or running again",
    );
  const { job } = retried;
  await db.$transaction((tx) =>
    recordAuditEvent(tx, {
      actorId: actor.userId,
      action: "job.retry",
      subjectType: "Job",
      subjectId: `${queue}/${job.id}`,
      details: {
        queue,
        jobId: job.id,
        name: job.name,
        failedReason: job.failedReason.slice(0, 1_000),
        attemptsMade: job.attemptsMade,
      },
      requestMetadata,
    }),
  );
  return job;
}

/** The queues in the order the jobs page lists them. */
export const inspectedQueues = Object.values(queueNames);
