import { z } from "zod";

/**
 * Queue topology (docs/adr/0003-queue-topology.md): one BullMQ queue per
 * concern, one processor per queue in apps/worker. A queue is added when a
 * job needs it, never in advance.
 */
export const queueNames = {
  /** Housekeeping the federation runs on a schedule: heartbeat, end of term, time-boxed changes. */
  system: "system",
  /** Converging hubs to their spec; slow, so it never delays the other queues. */
  provisioning: "provisioning",
  /** Email for in-app notifications. */
  notifications: "notifications",
  /** Usage sampling and the daily pricing of it into the ledger. */
  metering: "metering",
  /** Content links: GitHub checks (slow, rate-limited) and folding click counters. */
  links: "links",
  /**
   * Students' submissions, each graded in a sandbox. Its own queue: a class
   * submitting at the deadline must not hold up provisioning or email, and the
   * worker runs it with the sandbox's slot count as concurrency.
   */
  grading: "grading",
  /**
   * Taking people's access away from hubs when they leave a course or its staff. Its own queue:
   * it must happen at once, never behind a slow reconcile or a GitOps export.
   */
  hubAccess: "hub-access",
} as const;

export type QueueName = (typeof queueNames)[keyof typeof queueNames];

export interface JobDefinition<Payload, Name extends string = string> {
  queue: QueueName;
  /** Unique across queues: the worker finds a job's handler by this name. */
  name: Name;
  payload: z.ZodType<Payload>;
  /** Total tries, the first included. Handlers must be idempotent: a job may run twice. */
  attempts: number;
  backoffMs: number;
  /** For repeatable jobs: how often the scheduler enqueues one. */
  everyMs?: number;
}

// Keeps the name's literal type ("hub.provision", not string), so the handler
// table can be keyed by job name and checked by the compiler.
function defineJob<Payload, Name extends string>(
  definition: JobDefinition<Payload, Name>,
): JobDefinition<Payload, Name> {
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

/**
 * Converge one hub to its spec, or a suspended one to stopped. The job id is per hub and
 * revision (or occasion), so a hub is queued once per change.
 */
export const provisionHubJob = defineJob({
  queue: queueNames.provisioning,
  name: "hub.provision",
  payload: z
    .object({
      hubId: z.string().min(1),
      trigger: z.enum([
        "approval",
        "change",
        "revert",
        "retry",
        "drift",
        "secret-rotation",
        // Ops' and the budget's actions: stop a suspended hub, start a resumed one, restart one.
        "suspend",
        "resume",
        "restart",
      ]),
    })
    .strict(),
  attempts: 5,
  backoffMs: 5_000,
});

/** Retire a DECOMMISSIONING hub: scale to zero, keep homes, release the hold, ARCHIVED. */
export const decommissionHubJob = defineJob({
  queue: queueNames.provisioning,
  name: "hub.decommission",
  payload: z.object({ hubId: z.string().min(1) }).strict(),
  attempts: 5,
  backoffMs: 10_000,
});

/** READY only while a hub answers: mark DEGRADED and back (SPEC §4). */
export const checkHubHealthJob = defineJob({
  queue: queueNames.system,
  name: "hubs.check-health",
  payload: z.object({}).strict(),
  attempts: 1,
  backoffMs: 0,
  everyMs: 30_000,
});

/** Queue a drift reconcile for every live hub and a decommission for every retiring one. */
export const reconcileFleetJob = defineJob({
  queue: queueNames.system,
  name: "hubs.reconcile-fleet",
  payload: z.object({}).strict(),
  attempts: 1,
  backoffMs: 0,
  everyMs: 10 * 60_000,
});

/** Apply time-boxed spec changes whose window opened, revert those whose window closed. */
export const applySpecChangesJob = defineJob({
  queue: queueNames.system,
  name: "hubs.apply-spec-changes",
  payload: z.object({}).strict(),
  attempts: 3,
  backoffMs: 10_000,
  everyMs: 60_000,
});

/**
 * Apply the capacity plan ahead of time (SPEC §7): each Kubernetes hub's
 * placeholder pods set to what the plan wants now, one scale call per hub
 * whose count changed. Every minute, well inside the lead time; a failed run
 * is simply the next minute's.
 */
export const applyCapacityJob = defineJob({
  queue: queueNames.system,
  name: "capacity.apply",
  payload: z.object({}).strict(),
  attempts: 1,
  backoffMs: 0,
  everyMs: 60_000,
});

/** Move hubs past their course's end date plus the grace period to DECOMMISSIONING. */
export const endOfTermJob = defineJob({
  queue: queueNames.system,
  name: "hubs.end-of-term",
  payload: z.object({}).strict(),
  attempts: 3,
  backoffMs: 60_000,
  everyMs: 3_600_000,
});

/** Email notifications not emailed yet (only when SMTP is configured). */
export const sendNotificationEmailsJob = defineJob({
  queue: queueNames.notifications,
  name: "notifications.send-emails",
  payload: z.object({}).strict(),
  attempts: 5,
  backoffMs: 30_000,
  everyMs: 30_000,
});

/** Sample every running hub's usage (active servers, requested memory and CPU, storage). */
export const sampleUsageJob = defineJob({
  queue: queueNames.metering,
  name: "metering.sample",
  payload: z.object({}).strict(),
  attempts: 1,
  backoffMs: 0,
  everyMs: 5 * 60_000,
});

/**
 * Price every finished UTC day not posted yet (catching up days a stopped worker missed) and post
 * each hub-day once, on its own: one hub's trouble is recorded, told and retried at the next run
 * without holding up the others. Then alerts, the 100 % policy and pool forecasts. With `day`,
 * just that day.
 */
export const postDailyUsageJob = defineJob({
  queue: queueNames.metering,
  name: "metering.post-day",
  payload: z
    .object({
      day: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/)
        .optional(),
    })
    .strict(),
  attempts: 5,
  backoffMs: 60_000,
  everyMs: 60 * 60_000,
});

/** Expire lapsed pools and holds; suspend hubs past their budget's grace period. */
export const creditHousekeepingJob = defineJob({
  queue: queueNames.system,
  name: "credits.housekeeping",
  payload: z.object({}).strict(),
  attempts: 3,
  backoffMs: 60_000,
  everyMs: 60 * 60_000,
});

/** Delete the OpenID Connect provider's expired codes, sessions and tokens. */
export const identityHousekeepingJob = defineJob({
  queue: queueNames.system,
  name: "identity.housekeeping",
  payload: z.object({}).strict(),
  attempts: 3,
  backoffMs: 60_000,
  everyMs: 60 * 60_000,
});

/**
 * Render every region's hubs to `regions/<region>/hubs/<course>.yaml` and
 * propose them as a pull request (or write them to a directory). Queued after
 * a reconcile applied a new revision and periodically; an unchanged fleet
 * makes no GitHub calls.
 */
export const gitOpsExportJob = defineJob({
  queue: queueNames.system,
  name: "gitops.export",
  payload: z
    .object({
      regionSlug: z.string().min(1).max(80).optional(),
      /** Propose even when nothing changed since the last proposal. */
      isForced: z.boolean().optional(),
    })
    .strict(),
  attempts: 5,
  backoffMs: 30_000,
  everyMs: 30 * 60_000,
});

/** Re-check the content links checked longest ago against GitHub; BROKEN ones notify their staff. */
export const verifyContentLinksJob = defineJob({
  queue: queueNames.links,
  name: "links.verify",
  payload: z.object({}).strict(),
  attempts: 3,
  backoffMs: 60_000,
  everyMs: 15 * 60_000,
});

/** Fold the click counters the router keeps in Redis into daily rows and enrollments' last launch. */
export const foldLinkClicksJob = defineJob({
  queue: queueNames.links,
  name: "links.fold-clicks",
  payload: z.object({}).strict(),
  attempts: 3,
  backoffMs: 10_000,
  everyMs: 60_000,
});

/**
 * Grade one round of one submission (docs/adr/0010-autograder.md). The job id
 * is per submission and round, and the handler claims the submission under a
 * lease, so a round is graded once however often its job is delivered; a
 * worker that dies mid-grading leaves a lease that runs out, and the sweep
 * below queues the round again.
 */
export const gradeSubmissionJob = defineJob({
  queue: queueNames.grading,
  name: "grading.grade",
  payload: z.object({ submissionId: z.string().min(1), round: z.number().int().min(1) }).strict(),
  attempts: 3,
  backoffMs: 15_000,
});

/** Queue again every submission whose grading lease ran out or whose job was lost. */
export const sweepGradingJob = defineJob({
  queue: queueNames.system,
  name: "grading.sweep",
  payload: z.object({}).strict(),
  attempts: 1,
  backoffMs: 0,
  everyMs: 60_000,
});

/**
 * Tell one hub to remove a person who left the course or its staff (their server, tokens and
 * admin), for one HubAccessRevocation row. Retried with backoff; the last failure leaves the row
 * FAILED with its reason, and staff can try again.
 */
export const revokeHubAccessJob = defineJob({
  queue: queueNames.hubAccess,
  name: "hubs.revoke-access",
  payload: z.object({ revocationId: z.string().min(1).max(40) }).strict(),
  attempts: 5,
  backoffMs: 5_000,
});

export const jobDefinitions = [
  heartbeatJob,
  provisionHubJob,
  applySpecChangesJob,
  applyCapacityJob,
  endOfTermJob,
  sendNotificationEmailsJob,
  sampleUsageJob,
  postDailyUsageJob,
  creditHousekeepingJob,
  identityHousekeepingJob,
  decommissionHubJob,
  checkHubHealthJob,
  reconcileFleetJob,
  gitOpsExportJob,
  verifyContentLinksJob,
  foldLinkClicksJob,
  gradeSubmissionJob,
  sweepGradingJob,
  revokeHubAccessJob,
] as const;

/** Any one of the jobs above, with its own literal name and payload type. */
export type DefinedJob = (typeof jobDefinitions)[number];

/** The name of a defined job, e.g. "hub.provision". */
export type JobName = DefinedJob["name"];

export type PayloadOf<Definition> =
  Definition extends JobDefinition<infer Payload> ? Payload : never;

/** Each job's payload type, by job name. */
export type PayloadByJobName = {
  [Definition in DefinedJob as Definition["name"]]: PayloadOf<Definition>;
};
