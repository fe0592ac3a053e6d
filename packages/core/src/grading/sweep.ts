import type { DatabaseClient } from "@hubfed/db";
import { gradeJobId, gradeSubmissionJob, type JobQueues } from "@hubfed/jobs";
import { maxGradingClaims } from "./grade";

/** A QUEUED submission untouched this long has lost its job (Redis flushed, a failed add). */
export const lostJobAfterMs = 30 * 60_000;

/**
 * The grading sweep (every minute): a round whose lease ran out belonged to a
 * worker that died, and a round queued long ago lost its job; both are queued
 * again under a fresh id (the claim keeps grading exactly-once). A round that
 * was claimed maxGradingClaims times without finishing keeps killing its
 * worker: it is failed with that reason instead of retried forever.
 */
export async function sweepGrading(
  db: DatabaseClient,
  { queues, now = new Date() }: { queues: JobQueues; now?: Date },
): Promise<{ requeued: number; failed: number }> {
  const exhausted = await db.submission.updateMany({
    where: {
      status: "GRADING",
      leaseExpiresAt: { lt: now },
      gradingAttempts: { gte: maxGradingClaims },
    },
    data: {
      status: "FAILED",
      score: 0,
      gradedAt: now,
      leaseToken: null,
      leaseExpiresAt: null,
      failureReason:
        "Grading stopped before it finished several times. Your course staff can regrade it.",
      failureDetail: `The grading lease ran out ${maxGradingClaims} times: the worker grading it stopped (killed, out of memory, restarted).`,
    },
  });
  const stranded = await db.submission.findMany({
    where: {
      OR: [
        { status: "GRADING", leaseExpiresAt: { lt: now } },
        { status: "QUEUED", queuedAt: { lt: new Date(now.getTime() - lostJobAfterMs) } },
      ],
    },
    select: { id: true, gradingRound: true, gradingAttempts: true },
    take: 500,
  });
  for (const submission of stranded)
    await queues.add(
      gradeSubmissionJob,
      { submissionId: submission.id, round: submission.gradingRound },
      {
        jobId: gradeJobId(submission.id, submission.gradingRound, submission.gradingAttempts),
      },
    );
  return { requeued: stranded.length, failed: exhausted.count };
}
