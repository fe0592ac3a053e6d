import Link from "next/link";
import type { AppRouterOutputs } from "@hubfed/api";
import { SubmissionStatusBadge } from "./badges";
import { DueDate } from "./due-date";
import { dueWording, formatScore } from "./grading-format";
import { OpenInHubLink } from "./open-in-hub";

type Assignment = AppRouterOutputs["grading"]["list"]["assignments"][number];

/** A student's published assignments, with their latest submission and how to start. */
export function StudentAssignments({
  courseSlug,
  assignments,
  now,
}: {
  courseSlug: string;
  assignments: Assignment[];
  now: Date;
}) {
  if (assignments.length === 0)
    return (
      <p className="text-slate-600" data-testid="no-assignments">
        Your instructors have not published any assignments yet.
      </p>
    );
  return (
    <ul className="space-y-3" data-testid="student-assignments">
      {assignments.map((assignment) => {
        const isClosed = assignment.dueAt.getTime() <= now.getTime();
        return (
          <li
            key={assignment.slug}
            data-testid={`assignment-${assignment.slug}`}
            className="flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:flex-row sm:items-center sm:justify-between"
          >
            <div className="min-w-0 space-y-1">
              <p className="font-semibold">
                <Link
                  href={`/courses/${encodeURIComponent(courseSlug)}/assignments/${encodeURIComponent(assignment.slug)}`}
                  className="text-brand-700 hover:underline"
                >
                  {assignment.title}
                </Link>
              </p>
              <div className="flex items-start gap-1.5 text-sm text-slate-600">
                <span>Due</span>
                <DueDate
                  dueAt={assignment.dueAt}
                  timeZone={assignment.timeZone}
                  relative={isClosed ? "closed" : dueWording(assignment.dueAt, now)}
                />
              </div>
              <p className="text-sm">
                {assignment.mine ? (
                  <>
                    <SubmissionStatusBadge status={assignment.mine.status} />{" "}
                    <span className="text-slate-600">attempt {assignment.mine.attempt}</span>
                    {" · "}
                    <span data-testid="submission-score">
                      {assignment.mine.status !== "GRADED"
                        ? "no score yet"
                        : assignment.mine.score === null
                          ? isClosed
                            ? "score not shown"
                            : "score hidden until the due date"
                          : `${formatScore(assignment.mine.score)} / ${assignment.points} points`}
                    </span>
                  </>
                ) : (
                  <span className="text-slate-600">Not submitted · {assignment.points} points</span>
                )}
              </p>
            </div>
            <div className="flex shrink-0 items-center gap-3">
              {assignment.linkCode ? <OpenInHubLink code={assignment.linkCode} /> : null}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
