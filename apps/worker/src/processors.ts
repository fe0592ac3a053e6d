import type { Job } from "bullmq";
import type { Redis } from "ioredis";
import { deleteExpiredOidcArtifacts } from "@hubfed/identity/maintenance";
import {
  applyCapacity,
  applyDueSpecChanges,
  checkHubHealth,
  createHubBudgetSwitch,
  decommissionHub,
  enforceBudgetPolicies,
  foldLinkClicks,
  gradeSubmission,
  expireCredits,
  queueFleetReconcile,
  queueGitOpsExportAfterReconcile,
  reconcileHub,
  recordWorkerHeartbeat,
  retireEndedHubs,
  runDailyUsagePosting,
  revokeHubAccess,
  sampleHubUsage,
  sendPendingEmails,
  sweepGrading,
  verifyContentLinks,
  type CapacityPlanLoader,
  type GradingSandboxFor,
  type HubPlaceholderScaler,
  type HubUsageProbe,
  type LinkVerifier,
  type MailTransport,
  type RuntimeResolver,
} from "@hubfed/core";
import { exportGitOps, type GitOpsSettings } from "@hubfed/core/gitops";
import type { DatabaseClient } from "@hubfed/db";
import { withLogContext, type Logger, type WorkerMetrics } from "@hubfed/observability";
import {
  applyCapacityJob,
  applySpecChangesJob,
  checkHubHealthJob,
  creditHousekeepingJob,
  identityHousekeepingJob,
  decommissionHubJob,
  endOfTermJob,
  foldLinkClicksJob,
  gitOpsExportJob,
  gradeSubmissionJob,
  heartbeatJob,
  isJobName,
  jobDefinitionNamed,
  postDailyUsageJob,
  provisionHubJob,
  queueNames,
  reconcileFleetJob,
  revokeHubAccessJob,
  runJobHandler,
  sampleUsageJob,
  sendNotificationEmailsJob,
  sweepGradingJob,
  verifyContentLinksJob,
  type JobHandlers,
  type JobQueues,
  type QueueName,
} from "@hubfed/jobs";

export interface WorkerDependencies {
  db: DatabaseClient;
  redis: Redis;
  /** Where handlers queue follow-up work (a GitOps export after a new revision, drift reconciles). */
  queues: JobQueues;
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
  /** How the fleet's GitOps files are rendered and where they go. */
  gitOpsSettings: GitOpsSettings;
  /** Scales a Kubernetes hub's capacity placeholders (the Kubernetes runtime). */
  placeholderScaler: HubPlaceholderScaler;
  /** The capacity plans the `capacity.apply` job applies. */
  loadCapacityPlans: CapacityPlanLoader;
  /** The sandbox that grades a hub's submissions (by the hub's runtime). */
  gradingSandboxFor: GradingSandboxFor;
}

// Job name → handler; the compiler checks there is one for every defined job.
// Each gets its payload validated by the job's schema and calls core; none
// holds domain logic or queries of its own.
const handlers: JobHandlers<WorkerDependencies> = {
  [heartbeatJob.name]: (_payload, { redis, workerId }) => recordWorkerHeartbeat(redis, workerId),
  [provisionHubJob.name]: async (payload, { db, queues, runtimeFor, workerId }, attempt) => {
    const outcome = await reconcileHub(db, {
      hubId: payload.hubId,
      trigger: payload.trigger,
      runtimeFor,
      workerId,
      // The last try ends in FAILED with its reason; earlier ones are retried with backoff.
      isLastAttempt: attempt.isLastAttempt,
    });
    // A new revision running, a suspension or a resumption changes the fleet's GitOps files.
    if (
      outcome.outcome === "stopped" ||
      (outcome.outcome === "converged" &&
        (outcome.revision !== outcome.previousRevision || payload.trigger === "resume"))
    )
      await queueGitOpsExportAfterReconcile(queues);
    return outcome;
  },
  [gitOpsExportJob.name]: (payload, { db, gitOpsSettings }) =>
    exportGitOps(db, gitOpsSettings, {
      regionSlug: payload.regionSlug,
      isForced: payload.isForced,
    }),
  [decommissionHubJob.name]: (payload, { db, runtimeFor, workerId }) =>
    decommissionHub(db, { hubId: payload.hubId, runtimeFor, workerId }),
  [checkHubHealthJob.name]: (_payload, { db, runtimeFor }) => checkHubHealth(db, runtimeFor),
  [reconcileFleetJob.name]: (_payload, { db, queues }) => queueFleetReconcile(db, queues),
  [applySpecChangesJob.name]: (_payload, { db, queues }) => applyDueSpecChanges(db, { queues }),
  [applyCapacityJob.name]: (_payload, { db, placeholderScaler, loadCapacityPlans }) =>
    applyCapacity(db, { scaler: placeholderScaler, loadPlans: loadCapacityPlans }),
  [endOfTermJob.name]: (_payload, { db, queues, endOfTermGraceDays }) =>
    retireEndedHubs(db, queues, { graceDays: endOfTermGraceDays }),
  [sampleUsageJob.name]: (_payload, { db, usageProbeFor }) => sampleHubUsage(db, usageProbeFor),
  [postDailyUsageJob.name]: (payload, { db, queues }) =>
    runDailyUsagePosting(db, {
      hubs: createHubBudgetSwitch(queues),
      day: payload.day ? new Date(`${payload.day}T00:00:00Z`) : undefined,
    }),
  [creditHousekeepingJob.name]: async (_payload, { db, queues }) => ({
    ...(await expireCredits(db)),
    suspended: await enforceBudgetPolicies(db, { hubs: createHubBudgetSwitch(queues) }),
  }),
  [identityHousekeepingJob.name]: async (_payload, { db }) => ({
    deletedOidcArtifacts: await deleteExpiredOidcArtifacts(db),
  }),
  [verifyContentLinksJob.name]: (_payload, { db, verifyLink }) =>
    verifyContentLinks(db, verifyLink),
  [foldLinkClicksJob.name]: (_payload, { db, redis }) => foldLinkClicks(db, redis),
  [sendNotificationEmailsJob.name]: async (_payload, { db, mail }) =>
    mail ? sendPendingEmails(db, mail) : 0,
  [gradeSubmissionJob.name]: (payload, { db, gradingSandboxFor }, attempt) =>
    gradeSubmission(db, payload, {
      sandboxFor: gradingSandboxFor,
      isLastAttempt: attempt.isLastAttempt,
    }),
  [sweepGradingJob.name]: (_payload, { db, queues }) => sweepGrading(db, { queues }),
  [revokeHubAccessJob.name]: (payload, { db, runtimeFor }, attempt) =>
    revokeHubAccess(db, {
      revocationId: payload.revocationId,
      runtimeFor,
      // The last try leaves the revocation FAILED with its reason; staff can try again.
      isLastAttempt: attempt.isLastAttempt,
    }),
};

/** Where a processor reports each attempt: its duration and outcome, and a log line on failure. */
export interface JobObservation {
  logger: Logger;
  metrics: Pick<WorkerMetrics, "jobDuration" | "jobFailures">;
}

/**
 * One processor per queue (ADR 0003): it dispatches by job name. Every line logged while a job
 * runs carries its queue, name and id (the log context), whoever logs it.
 */
export function createProcessor(
  queue: QueueName,
  dependencies: WorkerDependencies,
  observation?: JobObservation,
) {
  return (job: Job) =>
    withLogContext({ queue, job: job.name, jobId: job.id }, async () => {
      const name = job.name;
      if (!isJobName(name)) throw new Error(`No handler for job "${name}" on queue "${queue}"`);
      const attempts = job.opts.attempts ?? jobDefinitionNamed(name).attempts;
      const attempt = job.attemptsMade + 1;
      const isLastAttempt = attempt >= attempts;
      const startedAt = performance.now();
      const labels = { queue, job: name };
      try {
        const result = await runJobHandler(handlers, { name, data: job.data }, dependencies, {
          isLastAttempt,
        });
        const seconds = (performance.now() - startedAt) / 1000;
        observation?.metrics.jobDuration.observe({ ...labels, outcome: "completed" }, seconds);
        observation?.logger.debug({ durationMs: Math.round(seconds * 1000) }, "job completed");
        return result;
      } catch (error) {
        const seconds = (performance.now() - startedAt) / 1000;
        const outcome = isLastAttempt ? "failed" : "retrying";
        observation?.metrics.jobDuration.observe({ ...labels, outcome: "failed" }, seconds);
        observation?.metrics.jobFailures.inc({ ...labels, outcome });
        observation?.logger[isLastAttempt ? "error" : "warn"](
          { error, attempt, attempts, durationMs: Math.round(seconds * 1000) },
          isLastAttempt
            ? "job failed; no attempt remains"
            : "job attempt failed; it will be retried",
        );
        throw error;
      }
    });
}

export const processedQueues: QueueName[] = Object.values(queueNames);
