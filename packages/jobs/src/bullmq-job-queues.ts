import { Queue, type ConnectionOptions, type Job } from "bullmq";
import type { ConnectionOptions as TlsConnectionOptions } from "node:tls";
import type { RedisOptions } from "ioredis";
import { jobDefinitions, queueNames, type JobDefinition, type QueueName } from "./definitions";
import {
  type CountedJobState,
  type FailedJob,
  type FailedJobPage,
  type JobInspector,
  type QueueDepths,
  type RetryOutcome,
  jobStatesCounted,
} from "./job-inspector";
import { validateJob, type EnqueueOptions, type JobQueues } from "./job-queues";
import { answerWithin } from "./queue-unavailable";

/**
 * ioredis's options as BullMQ takes them. ioredis 6 also allows the name of one of its TLS
 * profiles as `tls` (this never gives one, and callers add to the options, a CA in tests) and
 * `null` as `retryStrategy`, which BullMQ 6's connection type does not.
 */
export type RedisConnection = Omit<RedisOptions, "tls" | "retryStrategy"> & {
  tls?: TlsConnectionOptions;
  retryStrategy?: (times: number) => number | void | null;
};

/**
 * Parses redis://host:port/db (or rediss:// for TLS) into BullMQ connection options. ioredis
 * only speaks TLS when given `tls`, so rediss:// must carry it: managed Redis services accept
 * nothing else, and dropping it would send the password in the clear (or hang on the handshake).
 * The server's certificate is verified against Node's CAs (add a private CA with
 * NODE_EXTRA_CA_CERTS; the chart's `redis.caSecret` does).
 */
export function redisConnectionFromUrl(redisUrl: string): RedisConnection {
  const url = new URL(redisUrl);
  if (url.protocol !== "redis:" && url.protocol !== "rediss:")
    throw new Error(`REDIS_URL must start with redis:// or rediss:// (got ${url.protocol}//)`);
  // URL keeps an IPv6 host in brackets; sockets want it bare.
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  return {
    host,
    port: Number(url.port || 6379),
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
    // tls.connect checks the certificate against `host` (and sends it as SNI when it is a name).
    ...(url.protocol === "rediss:" ? { tls: {} } : {}),
    // BullMQ workers block on Redis; they must not give up on a slow reply.
    maxRetriesPerRequest: null,
  };
}

/** The job queues on Redis: what production runs. */
export interface BullMqJobQueues extends JobQueues, JobInspector {
  /** Each concern's BullMQ queue, for the worker's start-up and tests that look inside Redis. */
  readonly bullMqQueues: Record<QueueName, Queue>;
  /** Registers (or updates) the schedulers of every repeatable job. Safe to call on each start. */
  scheduleRepeatableJobs(): Promise<void>;
  close(): Promise<void>;
}

export interface BullMqJobQueuesOptions {
  prefix?: string;
  /**
   * How long an add or an inspection waits for Redis before failing with
   * JobQueueUnavailableError; without it, a stalled Redis holds the caller for as long as the
   * stall lasts.
   */
  answerWithinMs?: number;
}

export function createBullMqJobQueues(
  connection: ConnectionOptions,
  { prefix = "hubfed", answerWithinMs = 3_000 }: BullMqJobQueuesOptions = {},
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
    const adding = bullMqQueues[definition.queue].add(definition.name, data, {
      jobId: options.jobId,
      delay: options.delayMs,
      attempts: definition.attempts,
      backoff:
        definition.backoffMs > 0 ? { type: "exponential", delay: definition.backoffMs } : undefined,
      removeOnComplete: { age: 24 * 3600, count: 1000 },
      // Failed jobs are kept so their reason stays visible and they can be retried.
      removeOnFail: false,
    });
    const job = await answerWithin(adding, answerWithinMs, definition.queue);
    return job.id ?? "";
  }

  async function countJobs(): Promise<QueueDepths> {
    const entries = await answerWithin(
      Promise.all(
        Object.values(queueNames).map(async (name) => {
          const counts = await bullMqQueues[name].getJobCounts(...jobStatesCounted);
          // BullMQ answers "waiting" as "waiting" and "paused" (a paused queue's waiting jobs);
          // both are jobs nobody has taken yet.
          const depth = Object.fromEntries(
            jobStatesCounted.map((state) => [state, counts[state] ?? 0]),
          ) as Record<CountedJobState, number>;
          depth.waiting += counts.paused ?? 0;
          return [name, depth] as const;
        }),
      ),
      answerWithinMs,
      "inspection",
    );
    return Object.fromEntries(entries) as QueueDepths;
  }

  async function listFailedJobs(
    queue: QueueName,
    { offset, limit }: { offset: number; limit: number },
  ): Promise<FailedJobPage> {
    const bullMqQueue = bullMqQueues[queue];
    const [jobs, total] = await answerWithin(
      Promise.all([
        bullMqQueue.getFailed(offset, offset + limit - 1),
        bullMqQueue.getFailedCount(),
      ]),
      answerWithinMs,
      queue,
    );
    return { total, jobs: jobs.filter(Boolean).map((job) => failedJobOf(queue, job)) };
  }

  async function retryFailedJob(queue: QueueName, jobId: string): Promise<RetryOutcome> {
    return answerWithin(
      (async (): Promise<RetryOutcome> => {
        const job = await bullMqQueues[queue].getJob(jobId);
        if (!job) return { outcome: "missing" };
        if (!(await job.isFailed())) return { outcome: "not-failed" };
        const failed = failedJobOf(queue, job);
        await job.retry("failed");
        return { outcome: "retried", job: failed };
      })(),
      answerWithinMs,
      queue,
    );
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

  return {
    add,
    bullMqQueues,
    scheduleRepeatableJobs,
    countJobs,
    listFailedJobs,
    retryFailedJob,
    close,
  };
}

function failedJobOf(queue: QueueName, job: Job): FailedJob {
  return {
    queue,
    id: job.id ?? "",
    name: job.name,
    data: job.data as unknown,
    failedReason: job.failedReason || "(no reason recorded)",
    attemptsMade: job.attemptsMade,
    attempts: job.opts.attempts ?? 1,
    createdAt: new Date(job.timestamp),
    failedAt: job.finishedOn ? new Date(job.finishedOn) : null,
  };
}
