import type { Job } from "bullmq";
import type { Redis } from "ioredis";
import {
  applyDueSpecChanges,
  decommissionEndedHubs,
  enforceBudgetPolicies,
  expireCredits,
  priceAndPostDay,
  recordWorkerHeartbeat,
  sampleHubUsage,
  sendPendingEmails,
  startOfUtcDay,
  type HubUsageProbe,
  type MailTransport,
} from "@hubfed/core";
import type { DatabaseClient } from "@hubfed/db";
import {
  applySpecChangesJob,
  creditHousekeepingJob,
  postDailyUsageJob,
  sampleUsageJob,
  endOfTermJob,
  heartbeatJob,
  provisionHubJob,
  queueNames,
  sendNotificationEmailsJob,
  type JobDefinition,
  type QueueName,
  type Queues,
} from "@hubfed/jobs";
import { recordProvisioningWait } from "./provisioning";

export interface WorkerDependencies {
  db: DatabaseClient;
  redis: Redis;
  queues: Queues;
  workerId: string;
  /** Present only when SMTP is configured. */
  mail?: { transport: MailTransport; from: string; portalUrl: string };
  endOfTermGraceDays: number;
  /** How to read a hub's usage on each runtime; a runtime without one is not metered. */
  usageProbeFor: (runtime: "LOCAL" | "KUBERNETES") => HubUsageProbe | undefined;
}

type Handler = (job: Job, dependencies: WorkerDependencies) => Promise<unknown>;

function handle<Payload>(
  definition: JobDefinition<Payload>,
  run: (payload: Payload, dependencies: WorkerDependencies) => Promise<unknown>,
): [string, Handler] {
  return [
    definition.name,
    (job, dependencies) => run(definition.payload.parse(job.data), dependencies),
  ];
}

// Job name → handler. Each validates its payload with the job's schema and
// calls one core service; none holds domain logic of its own.
const handlers: Record<string, Handler> = Object.fromEntries([
  handle(heartbeatJob, (_payload, { redis, workerId }) => recordWorkerHeartbeat(redis, workerId)),
  handle(provisionHubJob, (payload, { db }) => recordProvisioningWait(db, payload.hubId)),
  handle(applySpecChangesJob, (_payload, { db, queues }) => applyDueSpecChanges(db, { queues })),
  handle(endOfTermJob, (_payload, { db, endOfTermGraceDays }) =>
    decommissionEndedHubs(db, { graceDays: endOfTermGraceDays }),
  ),
  handle(sampleUsageJob, (_payload, { db, usageProbeFor }) => sampleHubUsage(db, usageProbeFor)),
  handle(postDailyUsageJob, (payload, { db }) =>
    priceAndPostDay(db, {
      day: payload.day
        ? new Date(`${payload.day}T00:00:00Z`)
        : new Date(startOfUtcDay(new Date()).getTime() - 86_400_000),
    }),
  ),
  handle(creditHousekeepingJob, async (_payload, { db }) => ({
    ...(await expireCredits(db)),
    suspended: await enforceBudgetPolicies(db),
  })),
  handle(sendNotificationEmailsJob, async (_payload, { db, mail }) =>
    mail ? sendPendingEmails(db, mail) : 0,
  ),
]);

/** One processor per queue (ADR 0003): it dispatches by job name. */
export function createProcessor(queue: QueueName, dependencies: WorkerDependencies) {
  return async (job: Job) => {
    const handler = handlers[job.name];
    if (!handler) throw new Error(`No handler for job "${job.name}" on queue "${queue}"`);
    return handler(job, dependencies);
  };
}

export const processedQueues: QueueName[] = Object.values(queueNames);
