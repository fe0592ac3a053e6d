import type { QueueName } from "./definitions";

/** The states counted for each queue (the queue-depth gauge, the jobs page). */
export const jobStatesCounted = ["waiting", "active", "delayed", "prioritized", "failed"] as const;
export type CountedJobState = (typeof jobStatesCounted)[number];

export type QueueDepths = Record<QueueName, Record<CountedJobState, number>>;

/** A job whose last attempt failed, kept with its reason (jobs are added with removeOnFail: false). */
export interface FailedJob {
  queue: QueueName;
  id: string;
  name: string;
  /** The payload as queued: ids of hubs, submissions, days; never secrets. */
  data: unknown;
  failedReason: string;
  attemptsMade: number;
  attempts: number;
  createdAt: Date;
  failedAt: Date | null;
}

export interface FailedJobPage {
  jobs: FailedJob[];
  /** Failed jobs in the queue, for paging. */
  total: number;
}

export type RetryOutcome =
  | { outcome: "retried"; job: FailedJob }
  /** Gone: removed, or retried by someone else and finished since. */
  | { outcome: "missing" }
  /** Waiting or running again already. */
  | { outcome: "not-failed" };

/**
 * What operators see of the queues and may do to them: how deep each is, the failed jobs with
 * their reasons, and a retry (the job goes back to waiting, keeping its id and payload). The
 * BullMQ driver implements it; core's operations (health/jobs.ts) check permissions and audit.
 */
export interface JobInspector {
  countJobs(): Promise<QueueDepths>;
  listFailedJobs(queue: QueueName, page: { offset: number; limit: number }): Promise<FailedJobPage>;
  retryFailedJob(queue: QueueName, jobId: string): Promise<RetryOutcome>;
}
