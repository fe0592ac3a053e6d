import { Queue, type ConnectionOptions } from "bullmq";
import type { RedisOptions } from "ioredis";
import { jobDefinitions, queueNames, type JobDefinition, type QueueName } from "./definitions";
import { validateJob, type EnqueueOptions, type JobQueues } from "./job-queues";

/**
 * Parses redis://host:port/db (or rediss:// for TLS) into BullMQ connection options. ioredis
 * only speaks TLS when given `tls`, so rediss:// must carry it: managed Redis services accept
 * nothing else, and dropping it would send the password in the clear (or hang on the handshake).
 * The server's certificate is verified against Node's CAs (add a private CA with
 * NODE_EXTRA_CA_CERTS; the chart's `redis.caSecret` does).
 */
export function redisConnectionFromUrl(redisUrl: string): RedisOptions {
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
