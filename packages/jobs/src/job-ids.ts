// Job ids. A job added with an id the queue still holds is ignored (BullMQ's
// rule, kept by the in-memory driver too), so a deterministic id is how work is
// queued once per key (ADR 0003). Every keyed job's id is built here and
// nowhere else, so each shape is defined once and always passes BullMQ's rule.

/**
 * BullMQ accepts a custom job id with ':' only as exactly two separators (`name:subject:version`,
 * the shape of its own repeat ids); anything else fails at add time with a terse message. Every
 * driver's `add` checks the id here first, with a message that says what to do instead.
 */
export function assertJobIdAccepted(jobId: string): void {
  if (jobId.includes(":") && jobId.split(":").length !== 3)
    throw new Error(
      `Job id "${jobId}": use ':' exactly twice (name:subject:version) or not at all; join further parts with '-'`,
    );
}

/** Which reconcile of a hub a provisioning job is; each key is queued at most once. */
export type ProvisionJobKey =
  /** Approval and spec changes: once per spec revision. */
  | { specRevision: number }
  /**
   * Ops' retry, restart, suspension or resumption (also the budget's), a rotated client secret,
   * the demo's start: once per moment (epoch milliseconds).
   */
  | {
      occasion: "retry" | "secret-rotation" | "start" | "suspend" | "resume" | "restart";
      atMs: number;
    }
  /** The fleet's periodic drift check: once per reconcile-fleet window (see queueFleetReconcile). */
  | { driftWindow: number };

/** `provision:<hubId>:<revision>`, `provision:<hubId>:<occasion>-<ms>` or `provision:<hubId>:drift-<window>`. */
export function provisionJobId(hubId: string, key: ProvisionJobKey): string {
  let version: string;
  if ("specRevision" in key) version = String(key.specRevision);
  else if ("driftWindow" in key) version = `drift-${key.driftWindow}`;
  else version = `${key.occasion}-${key.atMs}`;
  return `provision:${hubId}:${version}`;
}

/**
 * `decommission:<hubId>:once` — a hub is retired once, however often the fleet
 * reconcile and the end-of-term job find it DECOMMISSIONING.
 */
export function decommissionJobId(hubId: string): string {
  return `decommission:${hubId}:once`;
}

/**
 * `gitops-export:manual:<ms>` — every press of ops' button is its own export;
 * `gitops-export:after-reconcile:<window>` — one export per 30-second window
 * shared by every reconcile that applied a new revision in it.
 */
export function gitOpsExportJobId(
  key: { manualAtMs: number } | { afterReconcileWindow: number },
): string {
  return "manualAtMs" in key
    ? `gitops-export:manual:${key.manualAtMs}`
    : `gitops-export:after-reconcile:${key.afterReconcileWindow}`;
}

/**
 * `grade:<submissionId>:<round>` — each grading round of a submission is
 * queued once; a regrade is a new round. The sweep re-queues a lost round
 * under `grade:<submissionId>:<round>-retry-<n>`, n counting the submission's
 * claims so far, so a re-queue is itself queued once.
 */
export function gradeJobId(submissionId: string, round: number, retry?: number): string {
  return `grade:${submissionId}:${retry === undefined ? round : `${round}-retry-${retry}`}`;
}

/**
 * `revoke-access:<revocationId>:first` — a revocation is queued once when access is taken away;
 * `revoke-access:<revocationId>:retry-<ms>` — each press of staff's Retry is its own job.
 */
export function revokeHubAccessJobId(revocationId: string, retryAtMs?: number): string {
  return `revoke-access:${revocationId}:${retryAtMs === undefined ? "first" : `retry-${retryAtMs}`}`;
}
