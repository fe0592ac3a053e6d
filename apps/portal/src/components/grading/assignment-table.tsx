import Link from "next/link";
import type { AppRouterOutputs } from "@hubfed/api";
import { WideTable } from "~/components/wide-table";
import { AssignmentStateBadge } from "./badges";
import { DueDate } from "./due-date";
import { formatScore } from "./grading-format";

type Assignment = AppRouterOutputs["grading"]["list"]["assignments"][number];

/** Staff's list of a course's assignments: drafts, published and archived ones. */
export function AssignmentTable({
  courseSlug,
  assignments,
}: {
  courseSlug: string;
  assignments: Assignment[];
}) {
  if (assignments.length === 0)
    return (
      <p className="text-slate-600" data-testid="no-assignments">
        No assignments yet. Create the first one below; it stays a draft until you publish it.
      </p>
    );
  return (
    <WideTable className="w-full min-w-[44rem] text-left text-sm" data-testid="assignment-table">
      <thead className="border-b border-slate-200 text-xs uppercase text-slate-500">
        <tr>
          <th className="py-2 pr-4">Assignment</th>
          <th className="py-2 pr-4">State</th>
          <th className="py-2 pr-4">Due</th>
          <th className="py-2 pr-4 text-right">Points</th>
          <th className="py-2 pr-4 text-right">Graded / submitted</th>
          <th className="py-2 text-right">Average</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {assignments.map((assignment) => (
          <tr key={assignment.slug} data-testid={`assignment-row-${assignment.slug}`}>
            <td className="py-2 pr-4 font-medium">
              <Link
                href={`/courses/${encodeURIComponent(courseSlug)}/assignments/${encodeURIComponent(assignment.slug)}`}
                className="text-brand-700 hover:underline"
              >
                {assignment.title}
              </Link>
            </td>
            <td className="py-2 pr-4">
              <AssignmentStateBadge state={assignment.state} />
            </td>
            <td className="py-2 pr-4">
              <DueDate dueAt={assignment.dueAt} timeZone={assignment.timeZone} />
            </td>
            <td className="py-2 pr-4 text-right tabular-nums">{assignment.points}</td>
            <td className="py-2 pr-4 text-right tabular-nums">
              {assignment.graded} / {assignment.students}
            </td>
            <td className="py-2 text-right tabular-nums">
              {assignment.averageScore === null
                ? "—"
                : `${formatScore(assignment.averageScore)} / ${assignment.points}`}
            </td>
          </tr>
        ))}
      </tbody>
    </WideTable>
  );
}
