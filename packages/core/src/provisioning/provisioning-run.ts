import { Prisma, type DatabaseClient } from "@hubfed/db";
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

/** How long a step runs before it is recorded as RUNNING (see StepLog). */
const runningMarkDelayMs = 200;

/**
 * Runs a list of steps as one recorded provisioning run, renewing the lease
 * after each. Returns the run's id; throws a StepFailedError for the first
 * step that fails, after recording it on the step and the run.
 *
 * A run costs a fixed handful of statements however many steps it has: the
 * run and its steps are created in two, and the steps' outcomes are written
 * together (see StepLog) — the fleet's drift reconcile records a run for
 * every hub every few minutes, and a statement per step was most of its
 * database work (docs/benchmarks.md, "Fleet scale").
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
    data: { hubId, trigger, specRevision: revision, status: "RUNNING", startedAt: new Date() },
    select: { id: true },
  });
  await db.provisioningStep.createMany({
    data: steps.map((step, position) => ({ runId: run.id, name: step.name, position })),
  });
  const log = new StepLog(db, run.id);
  for (const [position, plan] of steps.entries()) {
    const failure = await log.run(position, plan);
    if (failure !== undefined) {
      await log.finishRun({ status: "FAILED", error: `${plan.name}: ${failure}` });
      throw new StepFailedError(plan.name, failure, run.id);
    }
    await renewLease();
  }
  await log.finishRun({ status: "SUCCEEDED" });
  return run.id;
}

/** What a step's row says once it has started or ended. */
interface StepOutcome {
  position: number;
  status: "RUNNING" | "SUCCEEDED" | "FAILED";
  startedAt: Date;
  finishedAt?: Date;
  detail?: string;
  error?: string;
}

/**
 * Records one run's steps as they go, in as few statements as watchers allow.
 *
 * A step that ends within a moment is not written at once: its outcome waits
 * for the next write, which is either the moment a later step has run long
 * enough to be shown RUNNING (watchers see every slow step tick by, and every
 * finished one before it) or the end of the run, written with the run's own
 * status. So a drift reconcile of an unchanged hub, whose steps all finish at
 * once, writes its eight steps and its run in one statement. startedAt and
 * finishedAt are the real times either way. Writes go one after another, so a
 * step's RUNNING never lands after its outcome.
 */
class StepLog {
  private pending: StepOutcome[] = [];
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: DatabaseClient,
    private readonly runId: string,
  ) {}

  /** Runs one step; returns its failure message, or undefined when it succeeded. */
  async run(position: number, plan: ProvisioningStepPlan): Promise<string | undefined> {
    const startedAt = new Date();
    const runningTimer = setTimeout(() => {
      this.write([...this.takePending(), { position, status: "RUNNING", startedAt }]);
    }, runningMarkDelayMs);
    try {
      const detail = await plan.run();
      this.pending.push({
        position,
        status: "SUCCEEDED",
        startedAt,
        finishedAt: new Date(),
        detail: detail?.slice(0, 2_000),
      });
      return undefined;
    } catch (error) {
      const message = failureMessageOf(error);
      this.pending.push({
        position,
        status: "FAILED",
        startedAt,
        finishedAt: new Date(),
        error: message,
      });
      return message;
    } finally {
      clearTimeout(runningTimer);
    }
  }

  /** Writes what is pending together with how the run ended, and waits for every write. */
  async finishRun(end: { status: "SUCCEEDED" | "FAILED"; error?: string }): Promise<void> {
    this.write(this.takePending(), { ...end, finishedAt: new Date() });
    await this.writing;
  }

  private takePending(): StepOutcome[] {
    const taken = this.pending;
    this.pending = [];
    return taken;
  }

  /**
   * Queues one statement writing the steps' outcomes and, at the end, the run's. A failed write
   * of a RUNNING mark is dropped (the outcome that follows says more); the final one throws.
   */
  private write(
    outcomes: StepOutcome[],
    runEnd?: { status: "SUCCEEDED" | "FAILED"; error?: string; finishedAt: Date },
  ): void {
    const statement = recordStepsStatement(this.runId, outcomes, runEnd);
    const written = this.writing.then(() => this.db.$executeRaw(statement));
    this.writing = runEnd
      ? written.then(() => undefined)
      : written.then(
          () => undefined,
          () => undefined,
        );
  }
}

/**
 * One statement that sets each step's row from its outcome and, when given, the run's end. Times
 * travel as ISO text and are read as UTC timestamps, which is how Prisma stores DateTime.
 */
function recordStepsStatement(
  runId: string,
  outcomes: StepOutcome[],
  runEnd?: { status: "SUCCEEDED" | "FAILED"; error?: string; finishedAt: Date },
): Prisma.Sql {
  const column = <T>(pick: (outcome: StepOutcome) => T) => outcomes.map(pick);
  const updateSteps = Prisma.sql`
    UPDATE "ProvisioningStep" AS step
    SET status = outcome.status::"RunStatus",
        "startedAt" = outcome.started_at::timestamp,
        "finishedAt" = outcome.finished_at::timestamp,
        detail = outcome.detail,
        error = outcome.error
    FROM unnest(
      ${column((outcome) => outcome.position)}::int[],
      ${column((outcome) => outcome.status)}::text[],
      ${column((outcome) => outcome.startedAt.toISOString())}::text[],
      ${column((outcome) => outcome.finishedAt?.toISOString() ?? null)}::text[],
      ${column((outcome) => outcome.detail ?? null)}::text[],
      ${column((outcome) => outcome.error ?? null)}::text[]
    ) AS outcome(position, status, started_at, finished_at, detail, error)
    WHERE step."runId" = ${runId} AND step.position = outcome.position`;
  if (!runEnd) return updateSteps;
  return Prisma.sql`
    WITH steps AS (${updateSteps})
    UPDATE "ProvisioningRun"
    SET status = ${runEnd.status}::"RunStatus",
        "finishedAt" = ${runEnd.finishedAt.toISOString()}::timestamp,
        error = ${runEnd.error ?? null}
    WHERE id = ${runId}`;
}
