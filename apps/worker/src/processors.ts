import type { Job } from "bullmq";
import type { Redis } from "ioredis";
import { recordWorkerHeartbeat } from "@hubfed/core";
import type { DatabaseClient } from "@hubfed/db";
import { heartbeatJob, queueNames, type QueueName } from "@hubfed/jobs";

export interface WorkerDependencies {
  db: DatabaseClient;
  redis: Redis;
  workerId: string;
}

type Handler = (job: Job, dependencies: WorkerDependencies) => Promise<unknown>;

// Job name → handler. Handlers validate their payload with the job's schema
// and call one core service; they hold no domain logic of their own.
const handlers: Record<string, Handler> = {
  [heartbeatJob.name]: async (job, { redis, workerId }) => {
    heartbeatJob.payload.parse(job.data);
    return recordWorkerHeartbeat(redis, workerId);
  },
};

/** One processor per queue (ADR 0003): it dispatches by job name. */
export function createProcessor(queue: QueueName, dependencies: WorkerDependencies) {
  return async (job: Job) => {
    const handler = handlers[job.name];
    if (!handler) throw new Error(`No handler for job "${job.name}" on queue "${queue}"`);
    return handler(job, dependencies);
  };
}

export const processedQueues: QueueName[] = Object.values(queueNames);
