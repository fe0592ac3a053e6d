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
import { transitionHub } from "../hubs/status";
import { hubSpecSchema, type HubSpec } from "../hubs/spec";

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
const notReconciledStatuses: HubStatus[] = ["SUSPENDED", "DECOMMISSIONING", "ARCHIVED"];

export async function loadHubWithPlacement(
  db: DatabaseClient,
  hubId: string,
): Promise<HubWithPlacement | null> {
  return db.hub.findUnique({ where: { id: hubId }, include: hubInclude });
}

/** Takes (or renews) the hub's reconcile lease; false when another worker holds a live one. */
export async function takeLease(
  db: DatabaseClient,
  hubId: string,
  owner: string,
  leaseMs: number,
): Promise<boolean> {
  const now = new Date();
  const { count } = await db.hub.updateMany({
    where: {
      id: hubId,
      OR: [
        { reconcileLeaseExpiresAt: null },
        { reconcileLeaseExpiresAt: { lt: now } },
        { reconcileLeaseOwner: owner },
      ],
    },
    data: {
      reconcileLeaseOwner: owner,
      reconcileLeaseExpiresAt: new Date(now.getTime() + leaseMs),
    },
  });
  return count === 1;
}

export async function releaseLease(
  db: DatabaseClient,
  hubId: string,
  owner: string,
): Promise<void> {
  await db.hub.updateMany({
    where: { id: hubId, reconcileLeaseOwner: owner },
    data: { reconcileLeaseOwner: null, reconcileLeaseExpiresAt: null },
  });
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

async function setCondition(
  db: DatabaseClient,
  hubId: string,
  type: string,
  status: "TRUE" | "FALSE" | "UNKNOWN",
  reason: string,
  message?: string,
): Promise<void> {
  const existing = await db.hubCondition.findUnique({ where: { hubId_type: { hubId, type } } });
  const isTransition = existing?.status !== status;
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
    await db.provisioningStep.update({
      where: { id: step.id },
      data: { status: "RUNNING", startedAt: new Date() },
    });
    try {
      const detail = await plan.run();
      await db.provisioningStep.update({
        where: { id: step.id },
        data: {
          status: "SUCCEEDED",
          finishedAt: new Date(),
          detail: detail?.slice(0, 2_000) ?? null,
        },
      });
    } catch (error) {
      const message = messageOf(error);
      await db.provisioningStep.update({
        where: { id: step.id },
        data: { status: "FAILED", finishedAt: new Date(), error: message },
      });
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
  if (notReconciledStatuses.includes(initial.status))
    return { outcome: "skipped", reason: `the hub is ${initial.status.toLowerCase()}` };
  if (!(await takeLease(db, hubId, workerId, leaseMs)))
    return { outcome: "busy", reason: "another reconcile of this hub is running" };
  const renewLease = async () => {
    await takeLease(db, hubId, workerId, leaseMs);
  };
  try {
    // Keep the history readable and the table bounded: the fleet drift
    // reconcile adds a run per hub every few minutes.
    const prunable = await db.provisioningRun.findMany({
      where: { hubId },
      orderBy: { queuedAt: "desc" },
      skip: Math.max(keptRuns - 1, 0),
      select: { id: true },
    });
    if (prunable.length > 0)
      await db.provisioningRun.deleteMany({ where: { id: { in: prunable.map((run) => run.id) } } });
    // A run left RUNNING by a crashed worker is over; this run finishes its work.
    await db.provisioningRun.updateMany({
      where: { hubId, status: { in: ["QUEUED", "RUNNING"] } },
      data: {
        status: "FAILED",
        finishedAt: new Date(),
        error: "Interrupted; a later run took over",
      },
    });
    let lastRun: { runId: string; revision: number } | undefined;
    // Loop while the spec moves on during a run, so a change never waits for the next drift check.
    for (;;) {
      const hub = await loadHubWithPlacement(db, hubId);
      if (!hub || notReconciledStatuses.includes(hub.status)) break;
      if (lastRun && hub.appliedRevision === hub.specRevision) break;
      const runtime = runtimeFor(hub.cluster);
      const context = runtimeContextFor(db, hub);
      const isFirstProvision = hub.appliedRevision === null;
      await db.$transaction((tx) =>
        isFirstProvision
          ? transitionHub(tx, {
              hub,
              from: ["PENDING", "FAILED"],
              to: "PROVISIONING",
              reason: "Setting up the hub",
              actorId: null,
            })
          : hub.appliedRevision !== hub.specRevision
            ? transitionHub(tx, {
                hub,
                from: ["READY", "DEGRADED", "FAILED"],
                to: "UPDATING",
                reason: `Applying revision ${hub.specRevision}`,
                actorId: null,
              })
            : Promise.resolve(false),
      );
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
            if (readiness.url)
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
      const converged = await db.hub.findUniqueOrThrow({ where: { id: hubId } });
      await db.hub.update({
        where: { id: hubId },
        data: {
          appliedRevision: hub.specRevision,
          lastReconciledAt: new Date(),
          lastHealthyAt: new Date(),
        },
      });
      await setCondition(
        db,
        hubId,
        "Provisioned",
        "TRUE",
        "Converged",
        `Revision ${hub.specRevision} applied`,
      );
      await setCondition(db, hubId, "Ready", "TRUE", "HubAnswers");
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
    await releaseLease(db, hubId, workerId);
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
