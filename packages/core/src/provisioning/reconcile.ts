import { randomUUID } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import type {
  Cloud,
  Cluster,
  Course,
  DatabaseClient,
  Hub,
  HubStatus,
  Institution,
  Prisma,
  Region,
} from "@hubfed/db";
import { isHubReconciled } from "../hubs/lifecycle";
import { transitionHub } from "../hubs/status";
import { hubSpecSchema, type HubSpec } from "@hubfed/hub-spec";

// The reconcile engine (SPEC §4): compute a hub's desired state from its spec
// and converge its runtime to it, step by step, recording each run and step
// so people can watch. Steps are idempotent, so a run interrupted anywhere is
// finished by the next one; a lease keeps it to one run per hub at a time.

export type HubWithPlacement = Hub & {
  course: Course & { institution: Institution };
  cluster: Cluster & { region: Region; cloud: Cloud | null };
};

export interface HubRuntimeContext {
  hub: HubWithPlacement;
  spec: HubSpec;
  /** What the runtime saved on an earlier run (ports, namespace), or null. */
  runtimeState: unknown;
  saveRuntimeState(state: Prisma.InputJsonValue): Promise<void>;
}

export interface ProvisioningStepPlan {
  name: string;
  /** Idempotent; returns a line of detail for the UI. */
  run(): Promise<string | undefined>;
}

export interface ReadinessReport {
  isReady: boolean;
  detail: string;
  url?: string;
}

/** What a runtime (local processes, Kubernetes) provides to the engine. */
export interface HubRuntime {
  planReconcile(context: HubRuntimeContext): Promise<ProvisioningStepPlan[]>;
  checkReady(context: HubRuntimeContext): Promise<ReadinessReport>;
  planDecommission(context: HubRuntimeContext): Promise<ProvisioningStepPlan[]>;
}

export type RuntimeResolver = (cluster: Cluster) => HubRuntime;

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
  | { outcome: "busy" | "skipped"; reason: string };

const hubInclude = {
  course: { include: { institution: true } },
  cluster: { include: { region: true, cloud: true } },
} as const;

export async function loadHubWithPlacement(
  db: DatabaseClient,
  hubId: string,
): Promise<HubWithPlacement | null> {
  return db.hub.findUnique({ where: { id: hubId }, include: hubInclude });
}

/** A held reconcile lease on one hub: renew it between steps, release it when done. */
export interface HubLease {
  /** Who holds it: the worker and this one reconcile or decommission. */
  holder: string;
  renew(): Promise<boolean>;
  release(): Promise<void>;
}

/**
 * Takes the hub's reconcile lease, or undefined while someone else holds a
 * live one. The holder is unique per call, not per worker: one worker runs
 * several jobs at once, and two of them for the same hub (an approval and
 * the fleet's drift check, say) must not both get in.
 */
export async function acquireHubLease(
  db: DatabaseClient,
  hubId: string,
  workerId: string,
  leaseMs: number,
): Promise<HubLease | undefined> {
  const holder = `${workerId}#${randomUUID()}`;
  const take = async () => {
    const now = new Date();
    const { count } = await db.hub.updateMany({
      where: {
        id: hubId,
        OR: [
          { reconcileLeaseExpiresAt: null },
          { reconcileLeaseExpiresAt: { lt: now } },
          { reconcileLeaseOwner: holder },
        ],
      },
      data: {
        reconcileLeaseOwner: holder,
        reconcileLeaseExpiresAt: new Date(now.getTime() + leaseMs),
      },
    });
    return count === 1;
  };
  if (!(await take())) return undefined;
  return {
    holder,
    renew: take,
    release: async () => {
      await db.hub.updateMany({
        where: { id: hubId, reconcileLeaseOwner: holder },
        data: { reconcileLeaseOwner: null, reconcileLeaseExpiresAt: null },
      });
    },
  };
}

export function runtimeContextFor(db: DatabaseClient, hub: HubWithPlacement): HubRuntimeContext {
  return {
    hub,
    spec: hubSpecSchema.parse(hub.spec),
    runtimeState: hub.runtimeState,
    async saveRuntimeState(state) {
      // Runtimes save after every step; an unchanged hub's state is the same each time.
      if (isDeepStrictEqual(state, this.runtimeState)) return;
      await db.hub.update({ where: { id: hub.id }, data: { runtimeState: state } });
      // A copy: callers keep mutating what they saved.
      this.runtimeState = structuredClone(state);
    },
  };
}

interface ConditionValue {
  type: string;
  status: "TRUE" | "FALSE" | "UNKNOWN";
  reason: string;
  message?: string;
}

/**
 * Sets conditions, reading them in one query and writing only those that
 * differ: a drift reconcile of a converged hub finds them all as it leaves
 * them. lastTransitionAt moves only when the status does.
 */
async function setConditions(
  db: DatabaseClient,
  hubId: string,
  conditions: ConditionValue[],
): Promise<void> {
  const existing = await db.hubCondition.findMany({
    where: { hubId, type: { in: conditions.map((condition) => condition.type) } },
  });
  for (const { type, status, reason, message } of conditions) {
    const current = existing.find((condition) => condition.type === type);
    if (
      current?.status === status &&
      current.reason === reason &&
      current.message === (message ?? null)
    )
      continue;
    const isTransition = current?.status !== status;
    await db.hubCondition.upsert({
      where: { hubId_type: { hubId, type } },
      update: {
        status,
        reason,
        message: message ?? null,
        ...(isTransition ? { lastTransitionAt: new Date() } : {}),
      },
      create: { hubId, type, status, reason, message: message ?? null },
    });
  }
}

function setCondition(
  db: DatabaseClient,
  hubId: string,
  type: string,
  status: "TRUE" | "FALSE" | "UNKNOWN",
  reason: string,
  message?: string,
): Promise<void> {
  return setConditions(db, hubId, [{ type, status, reason, message }]);
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 2_000);
}

async function waitUntilReady(
  runtime: HubRuntime,
  context: HubRuntimeContext,
  timeoutMs: number,
  pollMs: number,
): Promise<ReadinessReport> {
  const deadline = Date.now() + timeoutMs;
  let last: ReadinessReport = { isReady: false, detail: "not checked yet" };
  while (Date.now() < deadline) {
    last = await runtime
      .checkReady(context)
      .catch((error: unknown) => ({ isReady: false, detail: messageOf(error) }));
    if (last.isReady) return last;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  throw new Error(
    `The hub did not become ready within ${Math.round(timeoutMs / 1000)} s: ${last.detail}`,
  );
}

/** How long a step runs before it is recorded as RUNNING (see runRecorded). */
const runningMarkDelayMs = 200;

/** Runs a list of steps as one recorded provisioning run. Throws the first step's failure after recording it. */
export async function runRecorded(
  db: DatabaseClient,
  {
    hubId,
    trigger,
    revision,
    steps,
    renewLease,
  }: {
    hubId: string;
    trigger: string;
    revision: number;
    steps: ProvisioningStepPlan[];
    renewLease: () => Promise<void>;
  },
) {
  const run = await db.provisioningRun.create({
    data: {
      hubId,
      trigger,
      specRevision: revision,
      status: "RUNNING",
      startedAt: new Date(),
      steps: { create: steps.map((step, position) => ({ name: step.name, position })) },
    },
    include: { steps: true },
  });
  for (const [position, plan] of steps.entries()) {
    const step = run.steps.find((candidate) => candidate.position === position);
    if (!step) continue;
    // A step is shown RUNNING once it has taken longer than a moment: watchers
    // see every slow step tick by, while the many steps that finish at once
    // (a drift reconcile of an unchanged hub is nearly all of them) cost one
    // write instead of two. startedAt is the real start either way.
    const startedAt = new Date();
    let markedRunning: Promise<unknown> | undefined;
    const runningTimer = setTimeout(() => {
      markedRunning = db.provisioningStep
        .update({ where: { id: step.id }, data: { status: "RUNNING", startedAt } })
        .catch(() => undefined);
    }, runningMarkDelayMs);
    const settle = async (data: Prisma.ProvisioningStepUpdateInput) => {
      clearTimeout(runningTimer);
      await markedRunning;
      await db.provisioningStep.update({ where: { id: step.id }, data: { startedAt, ...data } });
    };
    try {
      const detail = await plan.run();
      await settle({
        status: "SUCCEEDED",
        finishedAt: new Date(),
        detail: detail?.slice(0, 2_000) ?? null,
      });
    } catch (error) {
      const message = messageOf(error);
      await settle({ status: "FAILED", finishedAt: new Date(), error: message });
      await db.provisioningRun.update({
        where: { id: run.id },
        data: { status: "FAILED", finishedAt: new Date(), error: `${plan.name}: ${message}` },
      });
      throw new StepFailedError(plan.name, message, run.id);
    }
    await renewLease();
  }
  await db.provisioningRun.update({
    where: { id: run.id },
    data: { status: "SUCCEEDED", finishedAt: new Date() },
  });
  return run.id;
}

export class StepFailedError extends Error {
  constructor(
    readonly stepName: string,
    readonly reason: string,
    readonly runId: string,
  ) {
    super(`${stepName}: ${reason}`);
    this.name = "StepFailedError";
  }
}

/**
 * Converges one hub to its spec. Returns "busy" when another worker holds the
 * hub's lease (that run picks up newer revisions before it lets go) and
 * "skipped" for hubs that are suspended or being retired. On a failure the
 * run and step record the reason, the hub's Provisioned condition says it,
 * and the error is rethrown so the queue retries with backoff; the last
 * attempt moves the hub to FAILED.
 */
export async function reconcileHub(
  db: DatabaseClient,
  options: ReconcileOptions,
): Promise<ReconcileOutcome> {
  const {
    hubId,
    trigger,
    runtimeFor,
    workerId,
    isLastAttempt,
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
  // Renewed between steps, but only once a quarter of the lease has gone by:
  // a write per step per hub is most of a drift reconcile's database work.
  let leaseTakenAt = Date.now();
  const renewLease = async () => {
    if (Date.now() - leaseTakenAt < leaseMs / 4) return;
    await lease.renew();
    leaseTakenAt = Date.now();
  };
  try {
    // Keep the history readable and the table bounded: the fleet drift
    // reconcile adds a run per hub every few minutes.
    const runs = await db.provisioningRun.findMany({
      where: { hubId },
      orderBy: { queuedAt: "desc" },
      select: { id: true, status: true },
    });
    const prunable = runs.slice(Math.max(keptRuns - 1, 0));
    if (prunable.length > 0)
      await db.provisioningRun.deleteMany({ where: { id: { in: prunable.map((run) => run.id) } } });
    // A run left RUNNING by a crashed worker is over; this run finishes its work.
    const interrupted = runs
      .slice(0, Math.max(keptRuns - 1, 0))
      .filter((run) => run.status === "QUEUED" || run.status === "RUNNING");
    if (interrupted.length > 0)
      await db.provisioningRun.updateMany({
        where: { id: { in: interrupted.map((run) => run.id) } },
        data: {
          status: "FAILED",
          finishedAt: new Date(),
          error: "Interrupted; a later run took over",
        },
      });
    let lastRun: { runId: string; revision: number } | undefined;
    // What the hub looked like right after the last run converged (its specRevision may have moved on).
    let afterLastRun: Pick<Hub, "status" | "specRevision" | "appliedRevision"> | undefined;
    // Loop while the spec moves on during a run, so a change never waits for the next drift check.
    for (let isFirstPass = true; ; isFirstPass = false) {
      // Did the spec move on (or the hub stop) during the run? The converge write read the row back.
      if (afterLastRun && afterLastRun.appliedRevision === afterLastRun.specRevision) break;
      // The hub read before taking the lease is current enough for the first pass.
      const hub = isFirstPass ? initial : await loadHubWithPlacement(db, hubId);
      if (!hub || !isHubReconciled(hub.status)) break;
      if (lastRun && hub.appliedRevision === hub.specRevision) break;
      const runtime = runtimeFor(hub.cluster);
      const context = runtimeContextFor(db, hub);
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
      // A drift check of a converged hub leaves it Provisioned; a new revision is in the works until applied.
      if (isNewRevision)
        await setCondition(
          db,
          hubId,
          "Provisioned",
          "UNKNOWN",
          "Reconciling",
          `Revision ${hub.specRevision}`,
        );
      const steps = [
        ...(await runtime.planReconcile(context)),
        {
          name: "Wait for the hub to answer",
          run: async () => {
            const readiness = await waitUntilReady(runtime, context, readyTimeoutMs, readyPollMs);
            if (readiness.url && readiness.url !== hub.url)
              await db.hub.update({ where: { id: hubId }, data: { url: readiness.url } });
            return readiness.detail;
          },
        },
      ];
      try {
        const runId = await runRecorded(db, {
          hubId,
          trigger: lastRun ? "change" : trigger,
          revision: hub.specRevision,
          steps,
          renewLease,
        });
        lastRun = { runId, revision: hub.specRevision };
      } catch (error) {
        await setCondition(db, hubId, "Provisioned", "FALSE", "StepFailed", messageOf(error));
        if (isLastAttempt) {
          const current = await db.hub.findUniqueOrThrow({ where: { id: hubId } });
          await db.$transaction((tx) =>
            transitionHub(tx, {
              hub: current,
              from: ["PENDING", "PROVISIONING", "UPDATING", "READY", "DEGRADED"],
              to: "FAILED",
              reason: messageOf(error),
              actorId: null,
            }),
          );
        }
        throw error;
      }
      const converged = await db.hub.update({
        where: { id: hubId },
        data: {
          appliedRevision: hub.specRevision,
          lastReconciledAt: new Date(),
          lastHealthyAt: new Date(),
        },
      });
      afterLastRun = converged;
      await setConditions(db, hubId, [
        {
          type: "Provisioned",
          status: "TRUE",
          reason: "Converged",
          message: `Revision ${hub.specRevision} applied`,
        },
        { type: "Ready", status: "TRUE", reason: "HubAnswers" },
      ]);
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
    }
    return lastRun
      ? { outcome: "converged", ...lastRun, previousRevision: initial.appliedRevision }
      : { outcome: "skipped", reason: "nothing to do" };
  } finally {
    await lease.release();
  }
}

/** Periodic health (SPEC §4): READY only while the hub answers; DEGRADED while it does not, and back. */
export async function checkHubHealth(
  db: DatabaseClient,
  runtimeFor: RuntimeResolver,
): Promise<Array<{ hubSlug: string; status: HubStatus }>> {
  const hubs = await db.hub.findMany({
    where: { status: { in: ["READY", "DEGRADED"] } },
    include: hubInclude,
  });
  const changes: Array<{ hubSlug: string; status: HubStatus }> = [];
  for (const hub of hubs) {
    const context = runtimeContextFor(db, hub);
    const report = await runtimeFor(hub.cluster)
      .checkReady(context)
      .catch((error: unknown) => ({ isReady: false, detail: messageOf(error) }));
    if (report.isReady) {
      await db.hub.update({ where: { id: hub.id }, data: { lastHealthyAt: new Date() } });
      await setCondition(db, hub.id, "Ready", "TRUE", "HubAnswers");
      if (
        hub.status === "DEGRADED" &&
        (await db.$transaction((tx) =>
          transitionHub(tx, {
            hub,
            from: ["DEGRADED"],
            to: "READY",
            reason: "The hub answers again",
            actorId: null,
          }),
        ))
      ) {
        changes.push({ hubSlug: hub.slug, status: "READY" });
      }
    } else {
      await setCondition(db, hub.id, "Ready", "FALSE", "HubDoesNotAnswer", report.detail);
      if (
        hub.status === "READY" &&
        (await db.$transaction((tx) =>
          transitionHub(tx, {
            hub,
            from: ["READY"],
            to: "DEGRADED",
            reason: `The hub does not answer: ${report.detail}`,
            actorId: null,
          }),
        ))
      ) {
        changes.push({ hubSlug: hub.slug, status: "DEGRADED" });
      }
    }
  }
  return changes;
}
