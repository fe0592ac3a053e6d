import { Queue, type ConnectionOptions } from "bullmq";
import { jobDefinitions, queueNames, type JobDefinition, type QueueName } from "./definitions";
import { validateJob, type EnqueueOptions, type JobQueues } from "./job-queues";

/** Parses redis://host:port/db into BullMQ connection options. */
export function redisConnectionFromUrl(redisUrl: string): ConnectionOptions {
  const url = new URL(redisUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    username: url.username || undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
    // BullMQ workers block on Redis; they must not give up on a slow reply.
    maxRetriesPerRequest: null,
  };
}

/** The job queues on Redis: what production runs. */
export interface BullMqJobQueues extends JobQueues {
  /** Each concern's BullMQ queue, for the worker's start-up and tests that look inside Redis. */
  readonly bullMqQueues: Record<QueueName, Queue>;
  /** Registers (or updates) the schedulers of every repeatable job. Safe to call on each start. */
  scheduleRepeatableJobs(): Promise<void>;
  close(): Promise<void>;
}

export function createBullMqJobQueues(
  connection: ConnectionOptions,
  prefix = "hubfed",
): BullMqJobQueues {
  const bullMqQueues = Object.fromEntries(
    Object.values(queueNames).map((name) => [name, new Queue(name, { connection, prefix })]),
  ) as Record<QueueName, Queue>;

  async function add<Payload>(
    definition: JobDefinition<Payload>,
    payload: Payload,
    options: EnqueueOptions = {},
  ): Promise<string> {
    const data = validateJob(definition, payload, options);
    const job = await bullMqQueues[definition.queue].add(definition.name, data, {
      jobId: options.jobId,
      delay: options.delayMs,
      attempts: definition.attempts,
      backoff:
        definition.backoffMs > 0 ? { type: "exponential", delay: definition.backoffMs } : undefined,
      removeOnComplete: { age: 24 * 3600, count: 1000 },
      // Failed jobs are kept so their reason stays visible and they can be retried.
      removeOnFail: false,
    });
    return job.id ?? "";
  }

  async function scheduleRepeatableJobs(): Promise<void> {
    for (const definition of jobDefinitions as readonly JobDefinition<unknown>[]) {
      if (!definition.everyMs) continue;
      await bullMqQueues[definition.queue].upsertJobScheduler(
        definition.name,
        { every: definition.everyMs },
        {
          name: definition.name,
          data: {},
          opts: {
            attempts: definition.attempts,
            removeOnComplete: { count: 100 },
            removeOnFail: { count: 100 },
          },
        },
      );
    }
  }

  async function close(): Promise<void> {
    await Promise.all(Object.values(bullMqQueues).map((queue) => queue.close()));
  }

  return { add, bullMqQueues, scheduleRepeatableJobs, close };
}
