import { queueNames, type JobDefinition, type QueueName } from "./definitions";
import {
  jobStatesCounted,
  type FailedJob,
  type JobInspector,
  type QueueDepths,
  type RetryOutcome,
} from "./job-inspector";
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
  /** Set by markFailed (nothing runs in-memory jobs); cleared by a retry. */
  failedReason?: string;
}

/** Job queues held in memory: nothing runs them. For tests that check what was queued. */
export interface InMemoryJobQueues extends JobQueues, JobInspector {
  /** Every job added, in order; an add with an id already held is ignored, as BullMQ does. */
  readonly jobs: readonly QueuedJob[];
  /** The job with this id on this queue, if one was added. */
  getJob(queue: QueueName, jobId: string): QueuedJob | undefined;
  /** The jobs of one definition, their payloads typed by its schema. */
  jobsOf<Payload>(definition: JobDefinition<Payload>): QueuedJob<Payload>[];
  /** What a failed last attempt would leave: the job kept with its reason. */
  markFailed(queue: QueueName, jobId: string, reason: string): void;
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

  function markFailed(queue: QueueName, jobId: string, reason: string): void {
    const job = getJob(queue, jobId);
    if (!job) throw new Error(`no job ${jobId} on ${queue}`);
    job.failedReason = reason;
  }

  function failedJobOf(job: QueuedJob): FailedJob {
    return {
      queue: job.queue,
      id: job.id,
      name: job.name,
      data: job.data,
      failedReason: job.failedReason ?? "",
      attemptsMade: 1,
      attempts: 1,
      createdAt: new Date(0),
      failedAt: new Date(0),
    };
  }

  const inspector: JobInspector = {
    countJobs() {
      const depths = Object.fromEntries(
        Object.values(queueNames).map((queue) => {
          const counts = Object.fromEntries(jobStatesCounted.map((state) => [state, 0]));
          for (const job of jobs.filter((candidate) => candidate.queue === queue))
            counts[job.failedReason === undefined ? "waiting" : "failed"]! += 1;
          return [queue, counts];
        }),
      );
      return Promise.resolve(depths as QueueDepths);
    },
    listFailedJobs(queue, { offset, limit }) {
      const failed = jobs
        .filter((job) => job.queue === queue && job.failedReason !== undefined)
        .reverse();
      return Promise.resolve({
        total: failed.length,
        jobs: failed.slice(offset, offset + limit).map(failedJobOf),
      });
    },
    retryFailedJob(queue, jobId): Promise<RetryOutcome> {
      const job = getJob(queue, jobId);
      if (!job) return Promise.resolve({ outcome: "missing" });
      if (job.failedReason === undefined) return Promise.resolve({ outcome: "not-failed" });
      const failed = failedJobOf(job);
      delete job.failedReason;
      return Promise.resolve({ outcome: "retried", job: failed });
    },
  };

  return { add, jobs, getJob, jobsOf, markFailed, ...inspector };
}
