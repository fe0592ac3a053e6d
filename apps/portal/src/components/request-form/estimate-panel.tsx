import type { CostEstimate } from "@hubfed/core/estimate";
import { formatCents } from "~/lib/format";

/** The cost estimate beside the form (sticky on wide screens), or a hint while it cannot be computed. */
export function EstimatePanel({
  estimate,
}: {
  estimate: { estimate: CostEstimate; currency: string } | undefined;
}) {
  return (
    <aside
      className="h-fit space-y-3 rounded-lg border border-slate-200 bg-white p-5 shadow-sm lg:sticky lg:top-6"
      aria-labelledby="estimate-heading"
      data-testid="estimate"
    >
      <h2 id="estimate-heading" className="text-lg font-semibold">
        Cost estimate
      </h2>
      {estimate ? (
        <>
          <p>
            <span className="text-3xl font-bold" data-testid="estimate-total">
              {formatCents(estimate.estimate.totalCents, estimate.currency)}
            </span>
            <span className="text-slate-500"> for the term</span>
          </p>
          <p data-testid="estimate-per-student">
            <strong>
              {formatCents(estimate.estimate.perStudentMonthCents, estimate.currency)}
            </strong>{" "}
            per student per month
          </p>
          <details className="text-sm text-slate-600">
            <summary className="cursor-pointer">How this is computed</summary>
            <ul className="mt-2 list-disc space-y-1 pl-5">
              {estimate.estimate.assumptions.map((assumption) => (
                <li key={assumption}>{assumption}</li>
              ))}
            </ul>
          </details>
        </>
      ) : (
        <p className="text-sm text-slate-600">
          Fill in the course dates, students and resources to see what the hub will cost.
        </p>
      )}
    </aside>
  );
}
