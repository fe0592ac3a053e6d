import type { DatabaseClient, Prisma } from "@hubfed/db";
import { failureMessageOf } from "../errors";
import type { ProvisioningStepPlan } from "./runtime";

// A provisioning run as people watch it on the hub page: a ProvisioningRun
// with one ProvisioningStep per planned step, each moving from QUEUED
// through RUNNING to SUCCEEDED or FAILED. Reconcile and decommission both
// record their work this way.

/** A step's failure, after the run and the step have recorded it. */
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
 * Keeps the hub's run history readable and the table bounded (the fleet
 * drift reconcile adds a run per hub every few minutes): deletes all but the
 * newest `keptRuns - 1`, leaving room for the run about to start, and closes
 * any of those left QUEUED or RUNNING by a crashed worker — the coming run
 * finishes their work.
 */
export async function tidyEarlierRuns(
  db: DatabaseClient,
  hubId: string,
  keptRuns: number,
): Promise<void> {
  const runs = await db.provisioningRun.findMany({
    where: { hubId },
    orderBy: { queuedAt: "desc" },
    select: { id: true, status: true },
  });
  const kept = Math.max(keptRuns - 1, 0);
  const prunable = runs.slice(kept);
  if (prunable.length > 0)
    await db.provisioningRun.deleteMany({ where: { id: { in: prunable.map((run) => run.id) } } });
  const interrupted = runs
    .slice(0, kept)
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
}

/** How long a step runs before it is recorded as RUNNING (see runStepRecorded). */
const runningMarkDelayMs = 200;

/**
 * Runs a list of steps as one recorded provisioning run, renewing the lease
 * after each. Returns the run's id; throws a StepFailedError for the first
 * step that fails, after recording it on the step and the run.
 */
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
): Promise<string> {
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
    const failure = await runStepRecorded(db, step.id, plan);
    if (failure !== undefined) {
      await db.provisioningRun.update({
        where: { id: run.id },
        data: { status: "FAILED", finishedAt: new Date(), error: `${plan.name}: ${failure}` },
      });
      throw new StepFailedError(plan.name, failure, run.id);
    }
    await renewLease();
  }
  await db.provisioningRun.update({
    where: { id: run.id },
    data: { status: "SUCCEEDED", finishedAt: new Date() },
  });
  return run.id;
}

/** Runs one step and records how it ended; returns its failure message, or undefined when it succeeded. */
async function runStepRecorded(
  db: DatabaseClient,
  stepId: string,
  plan: ProvisioningStepPlan,
): Promise<string | undefined> {
  // A step is shown RUNNING once it has taken longer than a moment: watchers
  // see every slow step tick by, while the many steps that finish at once
  // (a drift reconcile of an unchanged hub is nearly all of them) cost one
  // write instead of two. startedAt is the real start either way.
  const startedAt = new Date();
  let markedRunning: Promise<unknown> | undefined;
  const runningTimer = setTimeout(() => {
    markedRunning = db.provisioningStep
      .update({ where: { id: stepId }, data: { status: "RUNNING", startedAt } })
      .catch(() => undefined);
  }, runningMarkDelayMs);
  const settle = async (data: Prisma.ProvisioningStepUpdateInput) => {
    clearTimeout(runningTimer);
    await markedRunning;
    await db.provisioningStep.update({ where: { id: stepId }, data: { startedAt, ...data } });
  };
  try {
    const detail = await plan.run();
    await settle({
      status: "SUCCEEDED",
      finishedAt: new Date(),
      detail: detail?.slice(0, 2_000) ?? null,
    });
    return undefined;
  } catch (error) {
    const message = failureMessageOf(error);
    await settle({ status: "FAILED", finishedAt: new Date(), error: message });
    return message;
  }
}
