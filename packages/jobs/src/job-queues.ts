import type { JobDefinition } from "./definitions";
import { assertJobIdAccepted } from "./job-ids";

export interface EnqueueOptions {
  /**
   * Makes adding idempotent where the caller has a natural key: a second add
   * with an id the queue still holds is ignored. Build it with a helper from
   * job-ids.ts.
   */
  jobId?: string;
  /** Run no earlier than this many milliseconds from now. */
  delayMs?: number;
}

/**
 * Where core and the API queue work for the worker: one queue per concern
 * (the definition says which) behind one `add`. They depend on this interface
 * only. Drivers: BullMQ on Redis (bullmq-job-queues.ts), used by the portal,
 * the worker and the scripts; in memory (in-memory-job-queues.ts), for tests
 * that only check what was queued.
 */
export interface JobQueues {
  /**
   * Validates the payload against the job's schema and adds the job with the
   * definition's retry policy. Resolves to the job's id.
   */
  add<Payload>(
    definition: JobDefinition<Payload>,
    payload: Payload,
    options?: EnqueueOptions,
  ): Promise<string>;
}

/**
 * What every driver checks before it adds a job: the payload against the
 * job's schema (its parsed value is what gets queued) and the job id against
 * BullMQ's rule. Throws on either, so nothing invalid is ever queued.
 */
export function validateJob<Payload>(
  definition: JobDefinition<Payload>,
  payload: Payload,
  options: EnqueueOptions,
): Payload {
  const data = definition.payload.parse(payload);
  if (options.jobId !== undefined) assertJobIdAccepted(options.jobId);
  return data;
}
