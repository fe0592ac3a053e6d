import type { JobDefinition, QueueName } from "./definitions";
import { validateJob, type EnqueueOptions, type JobQueues } from "./job-queues";

/** A job the in-memory driver holds: what BullMQ would have stored. */
export interface QueuedJob<Payload = unknown> {
  queue: QueueName;
  name: string;
  /** The caller's job id, or a counter per queue as BullMQ assigns. */
  id: string;
  /** The validated payload (named as BullMQ's `job.data`). */
  data: Payload;
  delayMs?: number;
}

/** Job queues held in memory: nothing runs them. For tests that check what was queued. */
export interface InMemoryJobQueues extends JobQueues {
  /** Every job added, in order; an add with an id already held is ignored, as BullMQ does. */
  readonly jobs: readonly QueuedJob[];
  /** The job with this id on this queue, if one was added. */
  getJob(queue: QueueName, jobId: string): QueuedJob | undefined;
  /** The jobs of one definition, their payloads typed by its schema. */
  jobsOf<Payload>(definition: JobDefinition<Payload>): QueuedJob<Payload>[];
}

export function createInMemoryJobQueues(): InMemoryJobQueues {
  const jobs: QueuedJob[] = [];
  const lastAssignedId = new Map<QueueName, number>();

  function getJob(queue: QueueName, jobId: string): QueuedJob | undefined {
    return jobs.find((job) => job.queue === queue && job.id === jobId);
  }

  function add<Payload>(
    definition: JobDefinition<Payload>,
    payload: Payload,
    options: EnqueueOptions = {},
  ): Promise<string> {
    // Async like the BullMQ driver: an invalid payload or id rejects, it does not throw.
    return Promise.resolve().then(() => {
      const data = validateJob(definition, payload, options);
      if (options.jobId !== undefined && getJob(definition.queue, options.jobId))
        return options.jobId;
      let id = options.jobId;
      if (id === undefined) {
        const next = (lastAssignedId.get(definition.queue) ?? 0) + 1;
        lastAssignedId.set(definition.queue, next);
        id = String(next);
      }
      jobs.push({
        queue: definition.queue,
        name: definition.name,
        id,
        data,
        delayMs: options.delayMs,
      });
      return id;
    });
  }

  function jobsOf<Payload>(definition: JobDefinition<Payload>): QueuedJob<Payload>[] {
    return jobs
      .filter((job) => job.queue === definition.queue && job.name === definition.name)
      .map((job) => ({ ...job, data: definition.payload.parse(job.data) }));
  }

  return { add, jobs, getJob, jobsOf };
}
