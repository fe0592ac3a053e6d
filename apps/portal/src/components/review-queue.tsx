"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { formatCents, formatDate, requestStatusLabel } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import { StatusBadge } from "./status-badge";
import { Pager } from "~/components/table/pager";
import { WideTable } from "~/components/wide-table";

const statusFilters = [
  "SUBMITTED",
  "CHANGES_REQUESTED",
  "APPROVED",
  "REJECTED",
  "WITHDRAWN",
] as const;

/** The ops request queue: filter by status, region and text; sort by course start. */
export function ReviewQueue() {
  const trpc = useTRPC();
  const [statuses, setStatuses] = useState<Array<(typeof statusFilters)[number]>>(["SUBMITTED"]);
  const [regionSlug, setRegionSlug] = useState("");
  const [search, setSearch] = useState("");
  const [sort, setSort] = useState<"start-date-asc" | "start-date-desc" | "submitted-asc">(
    "start-date-asc",
  );
  const [page, setPage] = useState(1);
  // A changed filter starts again from the first page.
  const filtered =
    <Value,>(set: (value: Value) => void) =>
    (value: Value) => {
      set(value);
      setPage(1);
    };
  const regions = useQuery(trpc.region.list.queryOptions());
  const queue = useQuery(
    trpc.request.queue.queryOptions({
      statuses,
      regionSlug: regionSlug || undefined,
      search: search || undefined,
      sort,
      page,
      pageSize: 50,
    }),
  );

  return (
    <section className="space-y-4" aria-labelledby="queue-heading">
      <h2 id="queue-heading" className="text-xl font-semibold">
        Request queue
      </h2>
      <div className="flex flex-wrap items-end gap-4 rounded-lg border border-slate-200 bg-white p-4">
        <fieldset>
          <legend className="text-sm font-medium">Status</legend>
          <div className="mt-1 flex flex-wrap gap-3">
            {statusFilters.map((status) => (
              <label key={status} className="flex items-center gap-1 text-sm">
                <input
                  type="checkbox"
                  checked={statuses.includes(status)}
                  onChange={(event) =>
                    filtered(setStatuses)(
                      event.target.checked
                        ? [...statuses, status]
                        : statuses.filter((candidate) => candidate !== status),
                    )
                  }
                />
                {requestStatusLabel(status)}
              </label>
            ))}
          </div>
        </fieldset>
        <div>
          <label htmlFor="queue-region" className="block text-sm font-medium">
            Region
          </label>
          <select
            id="queue-region"
            value={regionSlug}
            onChange={(event) => filtered(setRegionSlug)(event.target.value)}
            className="rounded-md border border-slate-300 px-2 py-1.5 text-sm"
          >
            <option value="">All</option>
            {regions.data?.map((region) => (
              <option key={region.slug} value={region.slug}>
                {region.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="queue-search" className="block text-sm font-medium">
            Search
          </label>
          <input
            id="queue-search"
            value={search}
            onChange={(event) => filtered(setSearch)(event.target.value)}
            placeholder="Course or institution"
            maxLength={100}
            className="rounded-md border border-slate-300 px-2 py-1.5 text-sm"
          />
        </div>
        <div>
          <label htmlFor="queue-sort" className="block text-sm font-medium">
            Sort
          </label>
          <select
            id="queue-sort"
            value={sort}
            onChange={(event) => filtered(setSort)(event.target.value as typeof sort)}
            className="rounded-md border border-slate-300 px-2 py-1.5 text-sm"
          >
            <option value="start-date-asc">Course start, soonest first</option>
            <option value="start-date-desc">Course start, latest first</option>
            <option value="submitted-asc">Waiting longest</option>
          </select>
        </div>
      </div>
      {queue.isError ? <p role="alert">{queue.error.message}</p> : null}
      {queue.data ? <Pager noun="requests" onPage={setPage} {...queue.data} /> : null}
      <WideTable
        className="w-full overflow-hidden rounded-lg border border-slate-200 bg-white text-left text-sm"
        data-testid="request-queue"
      >
        <thead className="bg-slate-100 text-slate-700">
          <tr>
            <th className="p-3">Course</th>
            <th className="p-3">Institution</th>
            <th className="p-3">Starts</th>
            <th className="p-3">Region</th>
            <th className="p-3">Estimate</th>
            <th className="p-3">Status</th>
          </tr>
        </thead>
        <tbody>
          {queue.data?.items.map((request) => (
            <tr key={request.id} className="border-t border-slate-200">
              <td className="p-3">
                <Link
                  href={`/ops/requests/${request.id}`}
                  className="font-medium text-brand-700 hover:underline"
                >
                  {[request.courseCode, request.courseTitle].filter(Boolean).join(": ")}
                </Link>
                <p className="text-xs text-slate-500">
                  {request.kind === "CHANGE" ? "change request · " : ""}
                  {request.requester}
                </p>
              </td>
              <td className="p-3">{request.institution ?? "—"}</td>
              <td className="p-3">{formatDate(request.courseStartDate)}</td>
              <td className="p-3">{request.region ?? "—"}</td>
              <td className="p-3">
                {request.estimateTotalCents !== null
                  ? formatCents(request.estimateTotalCents)
                  : "—"}
              </td>
              <td className="p-3">
                <StatusBadge status={request.status} label={requestStatusLabel(request.status)} />
              </td>
            </tr>
          ))}
          {queue.data?.items.length === 0 ? (
            <tr>
              <td colSpan={6} className="p-4 text-slate-500">
                Nothing matches these filters.
              </td>
            </tr>
          ) : null}
        </tbody>
      </WideTable>
    </section>
  );
}
