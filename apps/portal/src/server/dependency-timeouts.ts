// No "server-only" here: apps/portal/server.ts and the fault test use it outside Next.

/**
 * How long the portal waits for a dependency that does not answer (a partition, a paused
 * server) before the request fails with a plain "not answering, try again" (a 503 from the API:
 * packages/api/src/errors.ts). No portal query comes near these; they bound a stall, not
 * ordinary work. docs/observability.md tells what each failure looks like.
 */
export const portalDependencyTimeouts = {
  /** A query without an answer fails and its connection is dropped; so does waiting for one. */
  database: { queryTimeoutMs: 5_000, connectTimeoutMs: 2_000 },
  /** An ioredis command (rate limits, click counters, the heartbeat read). */
  redisCommandMs: 2_000,
  /** Adding a job to a BullMQ queue. */
  queueAddMs: 3_000,
} as const;
