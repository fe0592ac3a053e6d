import type { DatabaseClient, Hub } from "@hubfed/db";
import { failureMessageOf } from "../errors";
import { isHubReconciled, isHubStopped } from "../hubs/lifecycle";
import { transitionHub } from "../hubs/status";
import {
  setConvergedConditions,
  setReconcilingCondition,
  setStepFailedCondition,
  setStopFailedCondition,
  setStoppedCondition,
} from "./hub-conditions";
import { acquireHubLease, renewalBetweenSteps } from "./hub-lease";
import { runRecorded, tidyEarlierRuns } from "./provisioning-run";
import {
  loadHubWithPlacement,
  runtimeContextFor,
  waitUntilReady,
  waitUntilStopped,
  type HubRuntime,
  type HubRuntimeContext,
  type HubWithPlacement,
  type ProvisioningStepPlan,
  type RuntimeResolver,
} from "./runtime";

// The reconcile engine (SPEC §4): compute a hub's desired state from its spec
// and converge its runtime to it, step by step, recording each run and step
// so people can watch. Steps are idempotent, so a run interrupted anywhere is
// finished by the next one; a lease keeps it to one run per hub at a time.

export interface ReconcileOptions {
  hubId: string;
  trigger: string;
  runtimeFor: RuntimeResolver;
  workerId: string;
  /** When true a failure ends in FAILED; otherwise the job is retried with backoff. */
  isLastAttempt: boolean;
  leaseMs?: number;
  readyTimeoutMs?: number;
  readyPollMs?: number;
  /** Provisioning runs kept per hub; older ones are pruned (drift reconciles run every few minutes). */
  keptRuns?: number;
}

export type ReconcileOutcome =
  | {
      outcome: "converged";
      runId: string;
      revision: number;
      /** The revision applied before this reconcile: differs from `revision` when the hub changed. */
      previousRevision: number | null;
    }
  /** A suspended hub was converged to stopped: nothing of it runs, its files are kept. */
  | { outcome: "stopped"; runId: string }
  | { outcome: "busy" | "skipped"; reason: string };

type ReconcileSettings = Required<ReconcileOptions> & { renewLease: () => Promise<void> };

/**
 * One run: its id, the revision it applied (a running hub), whether it stopped the hub (a
 * suspended one), and the hub row as the run left it.
 */
interface ConvergedRun {
  runId: string;
  revision: number;
  isStopped: boolean;
  hubAfter: Hub;
}

/**
 * Converges one hub to its desired state: running its spec, or, for a suspended hub, stopped
 * (JupyterHub and every user server stopped, the homes kept). Returns "busy" when another
 * worker holds the hub's lease (that run picks up newer revisions, a suspension or a resumption
 * before it lets go) and "skipped" for hubs being retired. On a failure the run and step record
 * the reason, the hub's conditions say it, and the error is rethrown so the queue retries with
 * backoff; the last attempt moves a running hub to FAILED (a suspended one stays suspended).
 */
export async function reconcileHub(
  db: DatabaseClient,
  options: ReconcileOptions,
): Promise<ReconcileOutcome> {
  const {
    hubId,
    workerId,
    leaseMs = 5 * 60_000,
    readyTimeoutMs = 120_000,
    readyPollMs = 1_000,
    keptRuns = 20,
  } = options;
  const initial = await loadHubWithPlacement(db, hubId);
  if (!initial) return { outcome: "skipped", reason: "the hub no longer exists" };
  if (!isHubReconciled(initial.status))
    return { outcome: "skipped", reason: `the hub is ${initial.status.toLowerCase()}` };
  const lease = await acquireHubLease(db, hubId, workerId, leaseMs);
  if (!lease) return { outcome: "busy", reason: "another reconcile of this hub is running" };
  const settings: ReconcileSettings = {
    ...options,
    leaseMs,
    readyTimeoutMs,
    readyPollMs,
    keptRuns,
    renewLease: renewalBetweenSteps(lease, leaseMs),
  };
  try {
    await tidyEarlierRuns(db, hubId, keptRuns);
    // The hub read before taking the lease is current enough for the first pass.
    let hub = initial;
    let trigger = settings.trigger;
    let lastRun: ConvergedRun;
    // Loop while the hub moved on during the run (a new revision, a suspension, a resumption),
    // so neither waits for the next drift check.
    for (;;) {
      lastRun = isHubStopped(hub.status)
        ? await convergeToStopped(db, hub, trigger, settings)
        : await convergeRevision(db, hub, trigger, settings);
      const after = lastRun.hubAfter;
      const isFlipped = isHubStopped(after.status) !== lastRun.isStopped;
      const isSpecAhead = !lastRun.isStopped && after.appliedRevision !== after.specRevision;
      if (!isHubReconciled(after.status) || (!isFlipped && !isSpecAhead)) break;
      const next = await loadHubWithPlacement(db, hubId);
      if (!next || !isHubReconciled(next.status)) break;
      hub = next;
      trigger = isFlipped ? (isHubStopped(next.status) ? "suspend" : "resume") : "change";
    }
    return lastRun.isStopped
      ? { outcome: "stopped", runId: lastRun.runId }
      : {
          outcome: "converged",
          runId: lastRun.runId,
          revision: lastRun.revision,
          previousRevision: initial.appliedRevision,
        };
  } finally {
    await lease.release();
  }
}

/**
 * One pass: marks the hub as being set up or updated, runs the runtime's plan
 * and a wait until the hub answers as one recorded run, and marks it READY
 * with the applied revision. A failed step is recorded and rethrown.
 */
async function convergeRevision(
  db: DatabaseClient,
  hub: HubWithPlacement,
  trigger: string,
  settings: ReconcileSettings,
): Promise<ConvergedRun> {
  const runtime = settings.runtimeFor(hub.cluster);
  const context = runtimeContextFor(db, hub);
  await markReconciling(db, hub);
  const steps = [
    ...(await runtime.planReconcile(context)),
    // Ops' Restart: the hub converged as usual, then its JupyterHub restarted.
    ...(trigger === "restart" ? await runtime.planRestart(context) : []),
    waitForHubToAnswerStep(db, runtime, context, settings),
  ];
  let runId: string;
  try {
    runId = await runRecorded(db, {
      hubId: hub.id,
      trigger,
      revision: hub.specRevision,
      steps,
      renewLease: settings.renewLease,
    });
  } catch (error) {
    await recordFailure(db, hub.id, error, settings.isLastAttempt);
    throw error;
  }
  const hubAfter = await markReady(db, hub);
  return { runId, revision: hub.specRevision, isStopped: false, hubAfter };
}

/**
 * One pass for a suspended hub: the runtime's plan to stop it and a wait until nothing of it
 * runs, as one recorded run; then its Ready condition says it is suspended. The hub stays
 * SUSPENDED whatever happens: a failed stop is retried (the job's backoff, then every drift
 * check) and shown on its Ready condition.
 */
async function convergeToStopped(
  db: DatabaseClient,
  hub: HubWithPlacement,
  trigger: string,
  settings: ReconcileSettings,
): Promise<ConvergedRun> {
  const runtime = settings.runtimeFor(hub.cluster);
  const context = runtimeContextFor(db, hub);
  const steps: ProvisioningStepPlan[] = [
    ...(await runtime.planSuspend(context)),
    {
      name: "Check that nothing of the hub runs",
      run: async () =>
        (
          await waitUntilStopped(runtime, context, {
            timeoutMs: settings.readyTimeoutMs,
            pollMs: settings.readyPollMs,
          })
        ).detail,
    },
  ];
  let runId: string;
  try {
    runId = await runRecorded(db, {
      hubId: hub.id,
      trigger,
      revision: hub.specRevision,
      steps,
      renewLease: settings.renewLease,
    });
  } catch (error) {
    await setStopFailedCondition(db, hub.id, failureMessageOf(error));
    throw error;
  }
  await setStoppedCondition(db, hub.id);
  const hubAfter = await db.hub.update({
    where: { id: hub.id },
    data: { lastReconciledAt: new Date() },
  });
  return { runId, revision: hub.specRevision, isStopped: true, hubAfter };
}

/**
 * A first provision moves the hub to PROVISIONING, a new revision to
 * UPDATING, with Provisioned UNKNOWN until it is applied. A drift check of a
 * converged hub changes nothing: it stays READY and Provisioned.
 */
async function markReconciling(db: DatabaseClient, hub: HubWithPlacement): Promise<void> {
  const isFirstProvision = hub.appliedRevision === null;
  const isNewRevision = hub.appliedRevision !== hub.specRevision;
  if (isFirstProvision)
    await db.$transaction((tx) =>
      transitionHub(tx, {
        hub,
        from: ["PENDING", "FAILED"],
        to: "PROVISIONING",
        reason: "Setting up the hub",
        actorId: null,
      }),
    );
  else if (isNewRevision)
    await db.$transaction((tx) =>
      transitionHub(tx, {
        hub,
        from: ["READY", "DEGRADED", "FAILED"],
        to: "UPDATING",
        reason: `Applying revision ${hub.specRevision}`,
        actorId: null,
      }),
    );
  if (isNewRevision) await setReconcilingCondition(db, hub.id, hub.specRevision);
}

/** The run's last step: waits until the runtime reports the hub answering, and records its URL. */
function waitForHubToAnswerStep(
  db: DatabaseClient,
  runtime: HubRuntime,
  context: HubRuntimeContext,
  { readyTimeoutMs, readyPollMs }: ReconcileSettings,
): ProvisioningStepPlan {
  const { hub } = context;
  return {
    name: "Wait for the hub to answer",
    run: async () => {
      const readiness = await waitUntilReady(runtime, context, {
        timeoutMs: readyTimeoutMs,
        pollMs: readyPollMs,
      });
      if (readiness.url && readiness.url !== hub.url)
        await db.hub.update({ where: { id: hub.id }, data: { url: readiness.url } });
      return readiness.detail;
    },
  };
}

/** Provisioned says why the run failed; the last attempt also moves the hub to FAILED. */
async function recordFailure(
  db: DatabaseClient,
  hubId: string,
  error: unknown,
  isLastAttempt: boolean,
): Promise<void> {
  await setStepFailedCondition(db, hubId, failureMessageOf(error));
  if (!isLastAttempt) return;
  const current = await db.hub.findUniqueOrThrow({ where: { id: hubId } });
  await db.$transaction((tx) =>
    transitionHub(tx, {
      hub: current,
      from: ["PENDING", "PROVISIONING", "UPDATING", "READY", "DEGRADED"],
      to: "FAILED",
      reason: failureMessageOf(error),
      actorId: null,
    }),
  );
}

/**
 * Records the revision as applied and the hub healthy, sets the converged
 * conditions and moves the hub to READY. Returns the hub row as written: its
 * specRevision tells whether the spec moved on during the run.
 */
async function markReady(db: DatabaseClient, hub: HubWithPlacement): Promise<Hub> {
  const converged = await db.hub.update({
    where: { id: hub.id },
    data: {
      appliedRevision: hub.specRevision,
      lastReconciledAt: new Date(),
      lastHealthyAt: new Date(),
    },
  });
  await setConvergedConditions(db, hub.id, hub.specRevision);
  if (converged.status !== "READY")
    await db.$transaction((tx) =>
      transitionHub(tx, {
        hub: converged,
        from: ["PROVISIONING", "UPDATING", "DEGRADED", "PENDING", "FAILED"],
        to: "READY",
        reason: `Revision ${hub.specRevision} is running`,
        actorId: null,
      }),
    );
  return converged;
}
