import { randomUUID } from "node:crypto";
import { Prisma, type DatabaseClient } from "@hubfed/db";
import type { GradingOutcome, GradingSandbox } from "@hubfed/grader/contract";
import { defaultGradingLimits } from "@hubfed/grader/contract";
import { notify } from "../audit";
import { failureMessageOf } from "../errors";
import { liveHubStatuses } from "../hubs/lifecycle";
import { hubPlacementInclude, type HubWithPlacement } from "../provisioning/runtime";
import { parseStoredMaterial } from "./material";
import { scoreOf } from "./scoring";

/**
 * The grading job's handler (queue `grading`). Exactly-once grading on an
 * at-least-once queue: the handler first claims the submission's round under
 * a lease (one UPDATE … WHERE that only one worker can win), grades, and
 * writes the result only while it still holds that lease. A second delivery
 * of the same round finds it claimed or done and returns; a worker killed
 * mid-grading leaves a lease that runs out, and sweepGrading() queues the
 * round again — it is graded again, never lost, and stored once.
 */

/** The hub a submission is graded for: its cluster's runtime picks the sandbox. */
export type GradingHub = HubWithPlacement;

export type GradingSandboxFor = (hub: GradingHub) => GradingSandbox;

/** A claim this long past the sandbox's own wall clock means its worker is gone. */
const leaseMarginMs = 60_000;

/** After this many claims that never finished, the submission is failed, not retried forever. */
export const maxGradingClaims = 3;

export type GradeResult =
  | { outcome: "graded" | "failed" | "timed-out" }
  | { outcome: "skipped"; reason: "already-graded" | "claimed-elsewhere" | "superseded" };

export async function gradeSubmission(
  db: DatabaseClient,
  payload: { submissionId: string; round: number },
  dependencies: {
    sandboxFor: GradingSandboxFor;
    now?: () => Date;
    /** The queue's last try: a broken sandbox then fails the submission visibly. */
    isLastAttempt?: boolean;
  },
): Promise<GradeResult> {
  const now = dependencies.now ?? (() => new Date());
  const limits = defaultGradingLimits;
  const leaseToken = randomUUID();
  const claimedAt = now();
  const claimed = await db.submission.updateMany({
    where: {
      id: payload.submissionId,
      gradingRound: payload.round,
      gradingAttempts: { lt: maxGradingClaims },
      OR: [{ status: "QUEUED" }, { status: "GRADING", leaseExpiresAt: { lt: claimedAt } }],
    },
    data: {
      status: "GRADING",
      leaseToken,
      leaseExpiresAt: new Date(
        claimedAt.getTime() + limits.wallClockSeconds * 1000 + leaseMarginMs,
      ),
      gradingAttempts: { increment: 1 },
    },
  });
  if (claimed.count === 0) {
    const current = await db.submission.findUnique({
      where: { id: payload.submissionId },
      select: { status: true, gradingRound: true },
    });
    if (!current || current.gradingRound !== payload.round)
      return { outcome: "skipped", reason: "superseded" };
    return {
      outcome: "skipped",
      reason: current.status === "GRADING" ? "claimed-elsewhere" : "already-graded",
    };
  }

  const submission = await db.submission.findUniqueOrThrow({
    where: { id: payload.submissionId },
    select: {
      id: true,
      userId: true,
      notebook: true,
      penaltyPercent: true,
      assignment: {
        select: {
          id: true,
          slug: true,
          title: true,
          points: true,
          material: true,
          materialRevision: true,
          course: { select: { id: true, slug: true } },
        },
      },
    },
  });
  const hub = await gradingHubFor(db, submission.assignment.course.id, submission.userId);
  const started = Date.now();
  let outcome: GradingOutcome;
  if (!hub)
    outcome = {
      status: "failed",
      reason: "The course has no running hub to grade on; it will be graded when one is back.",
      durationMs: 0,
    };
  else {
    try {
      const material = parseStoredMaterial(submission.assignment.material);
      outcome = await dependencies.sandboxFor(hub).grade({
        submissionId: submission.id,
        notebook: submission.notebook,
        tests: material.tests,
        supportFiles: material.supportFiles,
        limits,
      });
    } catch (error) {
      // The sandbox itself broke (not the student's code). Before the last try: release the
      // claim and let the queue retry. On the last: a visible failure with the operator's
      // detail, which staff can regrade once the grader is fixed; the job fails too.
      const detail = `Grading sandbox failed: ${failureMessageOf(error)}`;
      await db.submission.updateMany({
        where: { id: submission.id, leaseToken },
        data: dependencies.isLastAttempt
          ? {
              status: "FAILED",
              score: 0,
              gradedAt: now(),
              failureReason:
                "The grader could not run this submission. Your course staff have been told and can regrade it.",
              failureDetail: detail.slice(0, 2_000),
              leaseToken: null,
              leaseExpiresAt: null,
            }
          : { status: "QUEUED", leaseToken: null, leaseExpiresAt: null },
      });
      throw new Error(detail, { cause: error });
    }
  }
  const gradingMillis = outcome.durationMs || Date.now() - started;

  const finished = now();
  const data: Prisma.SubmissionUpdateManyMutationInput =
    outcome.status === "graded"
      ? {
          status: "GRADED",
          results: outcome.results.tests as unknown as Prisma.InputJsonValue,
          notebookMillis:
            outcome.results.execution_time === undefined
              ? null
              : Math.round(outcome.results.execution_time * 1000),
          ...scoreOf(
            outcome.results.tests,
            submission.assignment.points,
            submission.penaltyPercent,
          ),
          failureReason: null,
          failureDetail: null,
        }
      : {
          status: outcome.status === "timed-out" ? "TIMED_OUT" : "FAILED",
          results: Prisma.DbNull,
          testScore: null,
          testMaxScore: null,
          score: 0,
          failureReason: outcome.reason,
          failureDetail: outcome.status === "failed" ? (outcome.detail ?? null) : null,
        };
  const written = await db.$transaction(async (tx) => {
    const stored = await tx.submission.updateMany({
      where: { id: submission.id, leaseToken, gradingRound: payload.round },
      data: {
        ...data,
        gradedAt: finished,
        gradingMillis,
        materialRevision: submission.assignment.materialRevision,
        leaseToken: null,
        leaseExpiresAt: null,
      },
    });
    if (stored.count === 0) return false;
    await notify(tx, {
      userIds: [submission.userId],
      kind: "grading.result",
      title:
        outcome.status === "graded"
          ? `${submission.assignment.title}: graded`
          : `${submission.assignment.title}: could not be graded`,
      body:
        outcome.status === "graded"
          ? "Your submission was graded. Open the assignment to see your results."
          : outcome.reason,
      href: `/courses/${submission.assignment.course.slug}/assignments/${submission.assignment.slug}`,
    });
    return true;
  });
  // Lost the lease (this worker was too slow and another took over): its result is the one kept.
  if (!written) return { outcome: "skipped", reason: "claimed-elsewhere" };
  return { outcome: outcome.status };
}

/** The hub the student is placed on, else the course's oldest live hub: its runtime grades. */
async function gradingHubFor(
  db: DatabaseClient,
  courseId: string,
  userId: string,
): Promise<GradingHub | null> {
  const enrollment = await db.enrollment.findUnique({
    where: { userId_courseId: { userId, courseId } },
    select: { hub: { include: hubPlacementInclude } },
  });
  if (enrollment?.hub) return enrollment.hub;
  return db.hub.findFirst({
    where: { courseId, status: { in: [...liveHubStatuses] } },
    include: hubPlacementInclude,
    orderBy: { createdAt: "asc" },
  });
}
