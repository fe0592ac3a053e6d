import { z } from "zod";

/**
 * Queue topology (docs/adr/0003-queue-topology.md): one BullMQ queue per
 * concern, one processor per queue in apps/worker. A queue is added when a
 * job needs it, never in advance.
 */
export const queueNames = {
  /** Housekeeping the federation runs on a schedule: worker heartbeat. */
  system: "system",
} as const;

export type QueueName = (typeof queueNames)[keyof typeof queueNames];

export interface JobDefinition<Payload> {
  queue: QueueName;
  name: string;
  payload: z.ZodType<Payload>;
  /** Total tries, the first included. Handlers must be idempotent: a job may run twice. */
  attempts: number;
  backoffMs: number;
  /** For repeatable jobs: how often the scheduler enqueues one. */
  everyMs?: number;
}

function defineJob<Payload>(definition: JobDefinition<Payload>): JobDefinition<Payload> {
  return definition;
}

export const heartbeatJob = defineJob({
  queue: queueNames.system,
  name: "worker.heartbeat",
  payload: z.object({}).strict(),
  attempts: 1,
  backoffMs: 0,
  everyMs: 10_000,
});

export const jobDefinitions = [heartbeatJob] as const;

export type PayloadOf<Definition> =
  Definition extends JobDefinition<infer Payload> ? Payload : never;
