import {
  assignmentStateLabels,
  assignmentStateTones,
  isPending,
  submissionStatusLabels,
  submissionStatusTones,
  type SubmissionStatusName,
} from "./grading-format";

const pill = "inline-flex items-center gap-1.5 rounded-full px-2.5 py-0.5 text-xs font-semibold";

export function AssignmentStateBadge({ state }: { state: keyof typeof assignmentStateLabels }) {
  return (
    <span data-testid="assignment-state" className={`${pill} ${assignmentStateTones[state]}`}>
      {assignmentStateLabels[state]}
    </span>
  );
}

/** A submission's status; a pending one spins, so "Grading…" reads as in progress. */
export function SubmissionStatusBadge({ status }: { status: SubmissionStatusName }) {
  return (
    <span
      data-testid="submission-status"
      data-status={status}
      className={`${pill} ${submissionStatusTones[status]}`}
    >
      {isPending(status) ? (
        <span
          aria-hidden="true"
          className="inline-block h-3 w-3 animate-spin rounded-full border-2 border-current border-t-transparent"
        />
      ) : null}
      {submissionStatusLabels[status]}
    </span>
  );
}
