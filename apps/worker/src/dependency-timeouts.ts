/**
 * How long the worker waits for a dependency that does not answer (a partition, a paused
 * server). Longer than the portal's: a job waits out a stall of up to a minute and carries on
 * (many jobs have a single attempt: the scheduled ones run again at their next period), where a
 * person should not wait; a longer stall fails the attempt, which is retried with the job's
 * backoff. Opening a connection waits as long as a query, because a job that starts during a
 * stall usually needs a new one (the pool closes idle connections after ten seconds).
 */
export const workerDependencyTimeouts = {
  database: { queryTimeoutMs: 60_000, connectTimeoutMs: 60_000 },
  /** Queueing follow-up work from a job (a drift reconcile, a GitOps export). */
  queueAddMs: 10_000,
} as const;
