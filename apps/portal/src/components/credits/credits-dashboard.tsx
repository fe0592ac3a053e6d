"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { formatCents, formatDate } from "~/lib/format";
import { useOperationKey } from "~/lib/operation-key";
import { useTRPC } from "~/trpc/react";
import { StatusBadge } from "../status-badge";
import { AllocationSpendFigures } from "./allocation-figures";
import { BurnChart } from "./burn-chart";
import { ManageCredits } from "./manage-credits";
import { WideTable } from "~/components/wide-table";

function TopUpForm({ allocationId, currency }: { allocationId: string; currency: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [dollars, setDollars] = useState("");
  const [error, setError] = useState<string>();
  const operationKey = useOperationKey({ allocationId, dollars });
  const topUp = useMutation(
    trpc.credits.topUpHubAllocation.mutationOptions({
      onSuccess: () => {
        operationKey.renew();
        setDollars("");
        setError(undefined);
        void queryClient.invalidateQueries({ queryKey: trpc.credits.overview.queryKey() });
      },
      onError: (failure) => setError(failure.message),
    }),
  );
  const cents = /^\d+(\.\d{1,2})?$/.test(dollars)
    ? BigInt(Math.round(Number(dollars) * 100))
    : null;
  return (
    <form
      className="flex items-end gap-2"
      onSubmit={(event) => {
        event.preventDefault();
        if (cents && cents > 0n)
          topUp.mutate({ allocationId, amountCents: cents, idempotencyKey: operationKey.key });
      }}
    >
      <div>
        <label
          htmlFor={`top-up-${allocationId}`}
          className="block text-xs font-medium text-slate-600"
        >
          Top up ({currency})
        </label>
        <input
          id={`top-up-${allocationId}`}
          value={dollars}
          onChange={(event) => setDollars(event.target.value)}
          inputMode="decimal"
          placeholder="100.00"
          className="w-28 rounded-md border border-slate-300 px-2 py-1 text-sm"
        />
      </div>
      <button
        type="submit"
        disabled={!cents || topUp.isPending}
        className="rounded-md bg-brand-600 px-3 py-1.5 text-sm text-white disabled:opacity-50"
      >
        Top up
      </button>
      {error ? (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </form>
  );
}

/** /ops/credits: pools with burn and forecast, hub allocations with burn against budget. */
export function CreditsDashboard({ canManage }: { canManage: boolean }) {
  const trpc = useTRPC();
  const overview = useQuery(trpc.credits.overview.queryOptions());
  if (overview.isPending) return <p className="text-slate-500">Loading credits…</p>;
  if (overview.isError) return <p role="alert">{overview.error.message}</p>;
  const { pools, allocations, institutions, institutionAllocations, postingProblems } =
    overview.data;

  return (
    <div className="space-y-10">
      {postingProblems.length > 0 ? (
        <section
          aria-labelledby="posting-problems-heading"
          className="space-y-3 rounded-lg border border-red-200 bg-red-50 p-5"
          data-testid="posting-problems"
        >
          <h2 id="posting-problems-heading" className="text-xl font-semibold text-red-900">
            Usage not billed yet
          </h2>
          <p className="text-sm text-red-900">
            These hub-days could not be posted to the ledger. Every other hub&apos;s days were; each
            of these is tried again at every hourly run and posted once, as soon as it can be.
            &ldquo;No credit&rdquo; days follow the allocation&apos;s policy and are billed after a
            top-up.
          </p>
          <WideTable className="w-full rounded-md bg-white text-left text-sm">
            <thead className="bg-slate-100">
              <tr>
                <th className="p-2">Hub</th>
                <th className="p-2">Day</th>
                <th className="p-2">Why</th>
                <th className="p-2 text-right">Cost</th>
                <th className="p-2">Tries</th>
              </tr>
            </thead>
            <tbody>
              {postingProblems.map((problem) => (
                <tr key={`${problem.hubSlug}-${problem.day.toISOString()}`} className="border-t">
                  <td className="p-2 font-medium">{problem.hubSlug}</td>
                  <td className="p-2">{formatDate(problem.day)}</td>
                  <td className="p-2">
                    {problem.kind === "UNFUNDED" ? "No credit left to pay it" : "Posting failed"}
                    {problem.error ? (
                      <span className="block text-xs text-slate-600">{problem.error}</span>
                    ) : null}
                  </td>
                  <td className="p-2 text-right">
                    {formatCents(problem.costCents, problem.currency)}
                  </td>
                  <td className="p-2">{problem.attempts}</td>
                </tr>
              ))}
            </tbody>
          </WideTable>
        </section>
      ) : null}
      {pools.length > 0 ? (
        <section aria-labelledby="pools-heading" className="space-y-4">
          <h2 id="pools-heading" className="text-xl font-semibold">
            Credit pools
          </h2>
          <WideTable
            className="w-full rounded-lg border border-slate-200 bg-white text-left text-sm"
            data-testid="pools"
          >
            <thead className="bg-slate-100">
              <tr>
                <th className="p-3">Pool</th>
                <th className="p-3">Cloud</th>
                <th className="p-3 text-right">Granted</th>
                <th className="p-3 text-right">Held</th>
                <th className="p-3 text-right">Spent</th>
                <th className="p-3 text-right">Available</th>
                <th className="p-3">Burn / day</th>
                <th className="p-3">Runs out</th>
                <th className="p-3">Expires</th>
              </tr>
            </thead>
            <tbody>
              {pools.map((pool) => (
                <tr key={pool.id} className="border-t border-slate-200">
                  <td className="p-3 font-medium">{pool.name}</td>
                  <td className="p-3">
                    {pool.provider} · {pool.region}
                  </td>
                  <td className="p-3 text-right">
                    {formatCents(pool.grantedCents, pool.currency)}
                  </td>
                  <td className="p-3 text-right">{formatCents(pool.heldCents, pool.currency)}</td>
                  <td className="p-3 text-right">{formatCents(pool.spentCents, pool.currency)}</td>
                  <td className="p-3 text-right">
                    {formatCents(pool.availableCents, pool.currency)}
                  </td>
                  <td className="p-3">{formatCents(pool.dailyBurnCents, pool.currency)}</td>
                  <td
                    className={`p-3 ${pool.runsOutBeforeExpiry ? "font-semibold text-red-700" : ""}`}
                  >
                    {pool.exhaustionDate ? formatDate(pool.exhaustionDate) : "not at this rate"}
                  </td>
                  <td className="p-3">{formatDate(pool.expiresAt)}</td>
                </tr>
              ))}
            </tbody>
          </WideTable>
          <div className="grid gap-6 md:grid-cols-2">
            {pools
              .filter((pool) => pool.series.length > 0)
              .map((pool) => (
                // min-w-0: a grid item may shrink below its chart's last measured width (phones).
                <div
                  key={pool.id}
                  className="min-w-0 rounded-lg border border-slate-200 bg-white p-4"
                >
                  <h3 className="mb-2 font-medium">{pool.name}: spend and forecast</h3>
                  <BurnChart
                    series={pool.series}
                    budgetCents={pool.grantedCents}
                    currency={pool.currency}
                    label={`Spend of ${pool.name}`}
                  />
                </div>
              ))}
          </div>
        </section>
      ) : null}

      {canManage ? (
        <ManageCredits
          pools={pools}
          institutions={institutions}
          institutionAllocations={institutionAllocations}
        />
      ) : null}

      <section aria-labelledby="allocations-heading" className="space-y-4">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 id="allocations-heading" className="text-xl font-semibold">
            Hub allocations
          </h2>
          <a
            href={`/api/credits/export?month=${new Date().toISOString().slice(0, 7)}`}
            className="text-sm text-brand-700 underline"
          >
            Download this month&apos;s spend (CSV)
          </a>
        </div>
        {allocations.length === 0 ? (
          <p className="text-slate-600">No hub has an allocation yet.</p>
        ) : null}
        <div className="grid gap-6" data-testid="allocations">
          {allocations.map((allocation) => (
            <article
              key={allocation.id}
              className="min-w-0 rounded-lg border border-slate-200 bg-white p-5 shadow-sm"
            >
              <header className="flex flex-wrap items-start justify-between gap-3">
                <div>
                  <h3 className="text-lg font-semibold">{allocation.course ?? allocation.name}</h3>
                  <p className="text-sm text-slate-500">
                    {allocation.institution} · {allocation.pool} · at 100 %:{" "}
                    {allocation.limitPolicy === "SUSPEND"
                      ? "suspend after the grace period"
                      : "notify"}
                  </p>
                </div>
                {allocation.hubStatus ? <StatusBadge status={allocation.hubStatus} /> : null}
              </header>
              <dl className="mt-3 grid grid-cols-2 gap-3 text-sm md:grid-cols-5">
                <AllocationSpendFigures allocation={allocation} />
                <div>
                  <dt className="text-slate-500">Still held</dt>
                  <dd>{formatCents(allocation.heldCents, allocation.currency)}</dd>
                </div>
                <div>
                  <dt className="text-slate-500">Per student per month</dt>
                  <dd>
                    {allocation.costPerStudentMonthCents !== null
                      ? formatCents(allocation.costPerStudentMonthCents, allocation.currency)
                      : "—"}
                  </dd>
                </div>
              </dl>
              <div className="mt-4">
                <BurnChart
                  series={allocation.series}
                  budgetCents={allocation.budgetCents}
                  currency={allocation.currency}
                  label={`Spend of ${allocation.name} against its budget`}
                />
              </div>
              {canManage ? (
                <div className="mt-3">
                  <TopUpForm allocationId={allocation.id} currency={allocation.currency} />
                </div>
              ) : null}
            </article>
          ))}
        </div>
      </section>
    </div>
  );
}
