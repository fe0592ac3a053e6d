import Link from "next/link";
import type { AppRouterOutputs } from "@hubfed/api";
import { WideTable } from "~/components/wide-table";
import { formatScore, submissionStatusShort } from "./grading-format";

type Gradebook = AppRouterOutputs["grading"]["gradebook"];
type Cell = Gradebook["rows"][number]["cells"][number];

function averageOf(book: Gradebook, column: number): number | null {
  const scores = book.rows
    .map((row) => row.cells[column])
    .filter((cell): cell is NonNullable<Cell> => cell?.status === "GRADED" && cell.score !== null)
    .map((cell) => cell.score ?? 0);
  return scores.length === 0 ? null : scores.reduce((sum, score) => sum + score, 0) / scores.length;
}

/** Students × published assignments; each cell is the latest submission's grade and links to it. */
export function GradebookTable({ book }: { book: Gradebook }) {
  const base = `/courses/${encodeURIComponent(book.course.slug)}`;
  return (
    <WideTable className="text-left text-sm" data-testid="gradebook">
      <thead className="border-b border-slate-200 text-xs text-slate-500">
        <tr>
          <th scope="col" className="sticky left-0 min-w-36 bg-slate-50 py-2 pr-4 uppercase">
            Student
          </th>
          {book.assignments.map((assignment) => (
            <th key={assignment.id} scope="col" className="px-3 py-2 text-right align-bottom">
              <Link
                href={`${base}/assignments/${encodeURIComponent(assignment.slug)}`}
                className="font-semibold text-brand-700 hover:underline"
              >
                {assignment.title}
              </Link>
              <span className="block font-normal">of {assignment.points}</span>
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {book.rows.map((row) => (
          <tr key={row.student.id} data-testid="gradebook-row">
            <th scope="row" className="sticky left-0 bg-slate-50 py-2 pr-4 text-left font-normal">
              <span className="font-medium">{row.student.name ?? row.student.username}</span>
              <span className="block text-xs text-slate-500">{row.student.username}</span>
            </th>
            {row.cells.map((cell, index) => (
              <td key={book.assignments[index]?.id ?? index} className="px-3 py-2 text-right">
                <GradebookCell
                  cell={cell}
                  points={book.assignments[index]?.points ?? 0}
                  href={
                    cell ? `${base}/submissions/${encodeURIComponent(cell.submissionId)}` : null
                  }
                />
              </td>
            ))}
          </tr>
        ))}
      </tbody>
      <tfoot className="border-t-2 border-slate-200">
        <tr data-testid="gradebook-averages">
          <th scope="row" className="sticky left-0 bg-slate-50 py-2 pr-4 text-left font-medium">
            Average (graded)
          </th>
          {book.assignments.map((assignment, index) => {
            const average = averageOf(book, index);
            return (
              <td key={assignment.id} className="px-3 py-2 text-right font-medium tabular-nums">
                {average === null ? "—" : formatScore(average)}
              </td>
            );
          })}
        </tr>
      </tfoot>
    </WideTable>
  );
}

function GradebookCell({
  cell,
  points,
  href,
}: {
  cell: Cell;
  points: number;
  href: string | null;
}) {
  if (!cell || !href)
    return (
      <span data-testid="gradebook-cell" data-status="MISSING" className="text-slate-400">
        missing
      </span>
    );
  const tone =
    cell.status === "GRADED"
      ? "text-slate-900"
      : cell.status === "FAILED" || cell.status === "TIMED_OUT"
        ? "text-red-700"
        : "text-blue-700";
  return (
    <Link
      href={href}
      data-testid="gradebook-cell"
      data-status={cell.status}
      className={`inline-block rounded px-1 hover:bg-brand-50 ${tone}`}
      title={`Attempt ${cell.attempts}${cell.daysLate > 0 ? `, ${cell.daysLate} days late` : ""}`}
    >
      <span className="font-medium tabular-nums">
        {cell.status === "GRADED" && cell.score !== null
          ? `${formatScore(cell.score)} / ${points}`
          : submissionStatusShort[cell.status]}
      </span>
      <span className="block whitespace-nowrap text-xs text-slate-500">
        {cell.attempts === 1 ? "1 attempt" : `${cell.attempts} attempts`}
        {cell.daysLate > 0 ? (
          <span className="ml-1 rounded bg-amber-100 px-1 text-amber-900" data-testid="late-mark">
            late {cell.daysLate}d
          </span>
        ) : null}
      </span>
    </Link>
  );
}
