import type { Job } from "bullmq";
import type { Redis } from "ioredis";
import { deleteExpiredOidcArtifacts } from "@hubfed/identity/maintenance";
import {
  applyDueSpecChanges,
  checkHubHealth,
  decommissionEndedHubs,
  decommissionHub,
  enforceBudgetPolicies,
  foldLinkClicks,
  hubBudgetSwitch,
  expireCredits,
  priceAndPostDay,
  queueGitOpsExportAfterReconcile,
  reconcileHub,
  recordWorkerHeartbeat,
  sampleHubUsage,
  sendPendingEmails,
  startOfUtcDay,
  verifyContentLinks,
  type HubUsageProbe,
  type LinkVerifier,
  type MailTransport,
  type RuntimeResolver,
} from "@hubfed/core";
import { exportGitOps, gitOpsSettingsFromEnvironment } from "@hubfed/core/gitops";
import type { DatabaseClient } from "@hubfed/db";
import {
  applySpecChangesJob,
  checkHubHealthJob,
  creditHousekeepingJob,
  identityHousekeepingJob,
  decommissionHubJob,
  endOfTermJob,
  enqueue,
  foldLinkClicksJob,
  gitOpsExportJob,
  heartbeatJob,
  postDailyUsageJob,
  provisionHubJob,
  queueNames,
  reconcileFleetJob,
  sampleUsageJob,
  sendNotificationEmailsJob,
  verifyContentLinksJob,
  type JobDefinition,
  type QueueName,
  type Queues,
} from "@hubfed/jobs";

export interface WorkerDependencies {
  db: DatabaseClient;
  redis: Redis;
  queues: Queues;
  workerId: string;
  /** Present only when SMTP is configured. */
  mail?: { transport: MailTransport; from: string; portalUrl: string };
  endOfTermGraceDays: number;
  /** The runtime of a hub's cluster (local processes or Kubernetes). */
  runtimeFor: RuntimeResolver;
  /** How to read a hub's usage on each runtime; a runtime without one is not metered. */
  usageProbeFor: (runtime: "LOCAL" | "KUBERNETES") => HubUsageProbe | undefined;
  /** Checks content links against GitHub. */
  verifyLink: LinkVerifier;
}

type Handler = (job: Job, dependencies: WorkerDependencies) => Promise<unknown>;

function handle<Payload>(
  definition: JobDefinition<Payload>,
  run: (payload: Payload, dependencies: WorkerDependencies, job: Job) => Promise<unknown>,
): [string, Handler] {
  return [
    definition.name,
    (job, dependencies) => run(definition.payload.parse(job.data), dependencies, job),
  ];
}

/** Queues a hub's decommission once per hub (the job id is the hub's). */
function enqueueDecommission(queues: Queues, hubId: string) {
  return enqueue(queues, decommissionHubJob, { hubId }, { jobId: `decommission:${hubId}` });
}

// Job name → handler. Each validates its payload with the job's schema and
// calls core; none holds domain logic of its own.
const handlers: Record<string, Handler> = Object.fromEntries([
  handle(heartbeatJob, (_payload, { redis, workerId }) => recordWorkerHeartbeat(redis, workerId)),
  handle(provisionHubJob, async (payload, { db, queues, runtimeFor, workerId }, job) => {
    const outcome = await reconcileHub(db, {
      hubId: payload.hubId,
      trigger: payload.trigger,
      runtimeFor,
      workerId,
      // The last try ends in FAILED with its reason; earlier ones are retried with backoff.
      isLastAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? provisionHubJob.attempts),
    });
    // A new revision running changes the fleet's GitOps files.
    if (outcome.outcome === "converged" && outcome.revision !== outcome.previousRevision)
      await queueGitOpsExportAfterReconcile(queues);
    return outcome;
  }),
  handle(gitOpsExportJob, (payload, { db }) =>
    exportGitOps(db, gitOpsSettingsFromEnvironment(), {
      regionSlug: payload.regionSlug,
      isForced: payload.isForced,
    }),
  ),
  handle(decommissionHubJob, (payload, { db, runtimeFor, workerId }) =>
    decommissionHub(db, { hubId: payload.hubId, runtimeFor, workerId }),
  ),
  handle(checkHubHealthJob, (_payload, { db, runtimeFor }) => checkHubHealth(db, runtimeFor)),
  handle(reconcileFleetJob, async (_payload, { db, queues }) => {
    const window = Math.floor(Date.now() / reconcileFleetJob.everyMs!);
    const live = await db.hub.findMany({
      where: { status: { in: ["READY", "DEGRADED", "PENDING", "PROVISIONING", "UPDATING"] } },
      select: { id: true },
    });
    for (const hub of live)
      await enqueue(
        queues,
        provisionHubJob,
        { hubId: hub.id, trigger: "drift" },
        { jobId: `provision:${hub.id}:drift-${window}` },
      );
    const retiring = await db.hub.findMany({
      where: { status: "DECOMMISSIONING" },
      select: { id: true },
    });
    for (const hub of retiring) await enqueueDecommission(queues, hub.id);
    return { reconciling: live.length, retiring: retiring.length };
  }),
  handle(applySpecChangesJob, (_payload, { db, queues }) => applyDueSpecChanges(db, { queues })),
  handle(endOfTermJob, async (_payload, { db, queues, endOfTermGraceDays }) => {
    const moved = await decommissionEndedHubs(db, { graceDays: endOfTermGraceDays });
    const hubs = await db.hub.findMany({ where: { slug: { in: moved } }, select: { id: true } });
    for (const hub of hubs) await enqueueDecommission(queues, hub.id);
    return moved;
  }),
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
    suspended: await enforceBudgetPolicies(db, { hubs: hubBudgetSwitch }),
  })),
  handle(identityHousekeepingJob, async (_payload, { db }) => ({
    deletedOidcArtifacts: await deleteExpiredOidcArtifacts(db),
  })),
  handle(verifyContentLinksJob, (_payload, { db, verifyLink }) =>
    verifyContentLinks(db, verifyLink),
  ),
  handle(foldLinkClicksJob, (_payload, { db, redis }) => foldLinkClicks(db, redis)),
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
