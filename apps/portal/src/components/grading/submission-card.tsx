import type { ReactNode } from "react";
import type { AppRouterOutputs } from "@hubfed/api";
import { SubmissionStatusBadge } from "./badges";
import { formatScore, formatWhen } from "./grading-format";
import { TestResults } from "./test-results";

type Submission = AppRouterOutputs["grading"]["detail"]["mySubmissions"][number];

/** "2 days late, −20 %" or "on time". */
export function latenessWording(daysLate: number, penaltyPercent: number): string {
  if (daysLate <= 0) return "on time";
  const days = daysLate === 1 ? "1 day late" : `${daysLate} days late`;
  return penaltyPercent > 0 ? `${days}, −${penaltyPercent} %` : days;
}

/** The score line: points after any penalty, and the tests' own score beside it. */
export function ScoreText({
  submission,
  points,
  hiddenNote,
}: {
  submission: Pick<Submission, "status" | "score" | "testScore" | "testMaxScore">;
  points: number;
  hiddenNote: string;
}) {
  if (submission.status !== "GRADED") return <span data-testid="submission-score">—</span>;
  if (submission.score === null)
    return (
      <span data-testid="submission-score" className="text-slate-600">
        {hiddenNote}
      </span>
    );
  return (
    <span data-testid="submission-score" className="font-semibold tabular-nums">
      {formatScore(submission.score)} / {points}
      {submission.testScore !== null && submission.testMaxScore !== null ? (
        <span className="ml-2 text-xs font-normal text-slate-500">
          tests {formatScore(submission.testScore)} / {formatScore(submission.testMaxScore)}
        </span>
      ) : null}
    </span>
  );
}

/** One submission as its student (or staff) reads it: when, how late, status, score and each test. */
export function SubmissionCard({
  submission,
  points,
  timeZone,
  hiddenNote,
  scoreNote,
  footer,
}: {
  submission: Submission;
  points: number;
  timeZone: string;
  /** What to say where the hidden tests' results would be, when they are not shown. */
  hiddenNote: string | null;
  /** What to say where the score would be, when it is not shown. */
  scoreNote: string;
  footer?: ReactNode;
}) {
  return (
    <li
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-4"
      data-testid="submission"
      data-attempt={submission.attempt}
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div>
          <p className="font-semibold">Attempt {submission.attempt}</p>
          <p className="text-sm text-slate-600">
            {formatWhen(submission.submittedAt, timeZone)} ·{" "}
            <span data-testid="submission-lateness">
              {latenessWording(submission.daysLate, submission.penaltyPercent)}
            </span>
            {submission.channel === "NOTEBOOK" ? " · from the notebook" : " · uploaded"}
          </p>
        </div>
        <div className="flex items-center gap-3">
          <SubmissionStatusBadge status={submission.status} />
          <ScoreText submission={submission} points={points} hiddenNote={scoreNote} />
        </div>
      </div>
      {submission.failureReason && submission.status !== "GRADED" ? (
        <p
          role="alert"
          className="rounded-md bg-red-50 p-3 text-sm text-red-800"
          data-testid="failure-reason"
        >
          {submission.failureReason}
        </p>
      ) : null}
      <TestResults results={submission.results} />
      {submission.status === "GRADED" && hiddenNote ? (
        <p className="text-sm text-slate-600" data-testid="hidden-tests-note">
          {hiddenNote}
        </p>
      ) : null}
      {footer}
    </li>
  );
}
