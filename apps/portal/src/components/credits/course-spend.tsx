"use client";

import type { AppRouterOutputs } from "@hubfed/api";
import { formatCents } from "~/lib/format";
import { AllocationSpendFigures } from "./allocation-figures";
import { BurnChart } from "./burn-chart";

type CourseAllocation = AppRouterOutputs["credits"]["courseSpend"]["allocations"][number];

/**
 * A course's spend on its page (instructors, the institution's admins, ops): each hub's
 * allocation, what is spent against it, what it will cost at this rate until the course ends,
 * and what happens at 100 %.
 */
export function CourseSpend({ allocations }: { allocations: CourseAllocation[] }) {
  return (
    <section aria-labelledby="spend-heading" className="space-y-4" data-testid="course-spend">
      <h2 id="spend-heading" className="text-xl font-semibold">
        Spend
      </h2>
      {allocations.length === 0 ? (
        <p className="text-slate-600">No hub of this course has an allocation yet.</p>
      ) : null}
      {allocations.map((allocation) => (
        <article
          key={allocation.id}
          className="min-w-0 rounded-lg border border-slate-200 bg-white p-5"
          aria-label={`Spend of ${allocation.hubSlug ?? allocation.name}`}
        >
          <dl className="grid grid-cols-2 gap-3 text-sm md:grid-cols-5">
            <AllocationSpendFigures allocation={allocation} emphasizeRunOut />
            <div>
              <dt className="text-slate-500">Per day lately</dt>
              <dd>{formatCents(allocation.dailyBurnCents, allocation.currency)}</dd>
            </div>
            <div>
              <dt className="text-slate-500">At 100 %</dt>
              <dd>
                {allocation.limitPolicy === "SUSPEND"
                  ? `the hub is suspended after ${allocation.suspendGraceHours} h unless topped up`
                  : "the operators are told; the hub keeps running"}
              </dd>
            </div>
          </dl>
          <div className="mt-4">
            <BurnChart
              series={allocation.series}
              budgetCents={allocation.budgetCents}
              currency={allocation.currency}
              label={`Spend of ${allocation.hubSlug ?? allocation.name} against its budget, and the forecast`}
            />
          </div>
          <p className="mt-2 text-xs text-slate-500">
            Cumulative spend; the dashed line is the forecast at the recent daily rate, the red line
            the budget. Your institution&apos;s admins or the federation operators can top it up.
          </p>
        </article>
      ))}
    </section>
  );
}
