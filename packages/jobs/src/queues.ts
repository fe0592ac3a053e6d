import { Queue, type ConnectionOptions } from "bullmq";
import { jobDefinitions, queueNames, type JobDefinition, type QueueName } from "./definitions";

export type Queues = Record<QueueName, Queue>;

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

export function createQueues(connection: ConnectionOptions, prefix = "hubfed"): Queues {
  const entries = Object.values(queueNames).map(
    (name) => [name, new Queue(name, { connection, prefix })] as const,
  );
  return Object.fromEntries(entries) as Queues;
}

export async function closeQueues(queues: Queues): Promise<void> {
  await Promise.all(Object.values(queues).map((queue) => queue.close()));
}

/**
 * Validates the payload against the job's schema and adds the job with the
 * definition's retry policy. `jobId` makes enqueueing idempotent where the
 * caller has a natural key (BullMQ ignores a second add with the same id).
 */
/**
 * BullMQ accepts a custom job id with ':' only as exactly two separators (`name:subject:version`,
 * the shape of its own repeat ids); anything else fails at add time with a terse message. Job ids
 * are built in many places, so the rule is checked here, where every one of them passes.
 */
export function assertJobIdAccepted(jobId: string): void {
  if (jobId.includes(":") && jobId.split(":").length !== 3)
    throw new Error(
      `Job id "${jobId}": use ':' exactly twice (name:subject:version) or not at all; join further parts with '-'`,
    );
}

export async function enqueue<Payload>(
  queues: Queues,
  definition: JobDefinition<Payload>,
  payload: Payload,
  options: { jobId?: string; delayMs?: number } = {},
): Promise<string> {
  const data = definition.payload.parse(payload);
  if (options.jobId !== undefined) assertJobIdAccepted(options.jobId);
  const job = await queues[definition.queue].add(definition.name, data, {
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

/** Registers (or updates) the schedulers of every repeatable job. Safe to call on each start. */
export async function scheduleRepeatableJobs(queues: Queues): Promise<void> {
  for (const definition of jobDefinitions as readonly JobDefinition<unknown>[]) {
    if (!definition.everyMs) continue;
    await queues[definition.queue].upsertJobScheduler(
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
