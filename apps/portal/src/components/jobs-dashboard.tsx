"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { AppRouterOutputs } from "@hubfed/api";
import { formatDateTime } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import { WideTable } from "./wide-table";

type QueueName = AppRouterOutputs["jobs"]["overview"][number]["queue"];

const countedStates = ["waiting", "active", "delayed", "failed"] as const;

/** The queues' depths (`jobs.overview`) and one queue's failed jobs (`jobs.failed`), with Retry. */
export function JobsDashboard({ initialQueue }: { initialQueue?: string }) {
  const trpc = useTRPC();
  const overview = useQuery({ ...trpc.jobs.overview.queryOptions(), refetchInterval: 10_000 });
  const [chosen, setChosen] = useState<string | undefined>(initialQueue);
  if (overview.isPending) return <p className="text-slate-500">Loading the queues…</p>;
  if (overview.isError)
    return (
      <p role="alert" className="text-red-700">
        Could not read the queues: {overview.error.message}
      </p>
    );
  const queues = overview.data;
  // The queue asked for (a link from the audit log), if it is one; else the first with failures.
  const selected =
    queues.find((queue) => queue.queue === chosen)?.queue ??
    queues.find((queue) => queue.counts.failed > 0)?.queue ??
    queues[0]?.queue;
  return (
    <div className="space-y-8">
      <section aria-labelledby="queues-heading" className="space-y-3">
        <h2 id="queues-heading" className="text-xl font-semibold">
          Queues
        </h2>
        <WideTable className="min-w-full text-sm" data-testid="queue-depths">
          <thead>
            <tr className="border-b border-slate-200 text-left text-slate-500">
              <th className="py-2 pr-4 font-medium">Queue</th>
              {countedStates.map((state) => (
                <th key={state} className="py-2 pr-4 text-right font-medium capitalize">
                  {state}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {queues.map(({ queue, counts }) => (
              <tr key={queue} className="border-b border-slate-100">
                <td className="py-2 pr-4 font-medium">{queue}</td>
                {countedStates.map((state) => (
                  <td key={state} className="py-2 pr-4 text-right tabular-nums">
                    {state === "failed" && counts.failed > 0 ? (
                      <button
                        type="button"
                        onClick={() => setChosen(queue)}
                        className="rounded bg-red-100 px-2 py-0.5 font-semibold text-red-800 hover:bg-red-200"
                        aria-label={`Show the ${counts.failed} failed ${queue} job(s)`}
                      >
                        {counts.failed}
                      </button>
                    ) : (
                      (counts[state] ?? 0) + (state === "waiting" ? (counts.prioritized ?? 0) : 0)
                    )}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </WideTable>
      </section>
      {selected ? (
        <FailedJobs key={selected} queue={selected} queues={queues} onQueue={setChosen} />
      ) : null}
    </div>
  );
}

function FailedJobs({
  queue,
  queues,
  onQueue,
}: {
  queue: QueueName;
  queues: AppRouterOutputs["jobs"]["overview"];
  onQueue: (queue: QueueName) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [page, setPage] = useState(1);
  const failed = useQuery(trpc.jobs.failed.queryOptions({ queue, page }));
  const [retried, setRetried] = useState<string[]>([]);
  const retry = useMutation(
    trpc.jobs.retry.mutationOptions({
      onSuccess: (job) => {
        setRetried((ids) => [...ids, job.id]);
        void queryClient.invalidateQueries({ queryKey: trpc.jobs.pathKey() });
      },
    }),
  );
  return (
    <section aria-labelledby="failed-heading" className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="failed-heading" className="text-xl font-semibold">
          Failed jobs
        </h2>
        <p className="text-sm">
          <label htmlFor="failed-jobs-queue">Queue</label>{" "}
          <select
            id="failed-jobs-queue"
            value={queue}
            onChange={(event) => onQueue(event.target.value as QueueName)}
            className="rounded border border-slate-300 px-2 py-1"
          >
            {queues.map((entry) => (
              <option key={entry.queue} value={entry.queue}>
                {entry.queue} ({entry.counts.failed} failed)
              </option>
            ))}
          </select>
        </p>
      </div>
      {retry.isError ? (
        <p role="alert" className="text-red-700">
          Could not retry: {retry.error.message}
        </p>
      ) : null}
      {retried.length > 0 ? (
        <p role="status" className="text-green-800">
          Put back on the {queue} queue: {retried.join(", ")}.
        </p>
      ) : null}
      {failed.isPending ? (
        <p className="text-slate-500">Loading failed jobs…</p>
      ) : failed.isError ? (
        <p role="alert" className="text-red-700">
          Could not read failed jobs: {failed.error.message}
        </p>
      ) : failed.data.jobs.length === 0 ? (
        <p className="text-slate-700">No failed jobs on the {queue} queue.</p>
      ) : (
        <>
          <ul className="space-y-3" data-testid="failed-jobs">
            {failed.data.jobs.map((job) => (
              <li
                key={job.id}
                className="rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-sm"
                data-testid="failed-job"
              >
                <div className="flex flex-wrap items-start justify-between gap-3">
                  <div>
                    <p className="font-medium">
                      {job.name} <span className="text-slate-500">· {job.id}</span>
                    </p>
                    <p className="text-slate-600">
                      Failed {job.failedAt ? formatDateTime(job.failedAt) : "—"} after{" "}
                      {job.attemptsMade} of {job.attempts} attempt(s) · queued{" "}
                      {formatDateTime(job.createdAt)}
                    </p>
                  </div>
                  <button
                    type="button"
                    disabled={retry.isPending}
                    onClick={() => retry.mutate({ queue, jobId: job.id })}
                    className="rounded-md bg-brand-600 px-3 py-1.5 font-medium text-white hover:bg-brand-700 disabled:opacity-50"
                  >
                    Retry
                  </button>
                </div>
                <pre className="mt-2 overflow-x-auto rounded bg-red-50 p-2 whitespace-pre-wrap text-red-900">
                  {job.failedReason}
                </pre>
                <details className="mt-2">
                  <summary className="cursor-pointer text-slate-600">Payload</summary>
                  <pre className="mt-1 overflow-x-auto rounded bg-slate-50 p-2">
                    {JSON.stringify(job.data, null, 2)}
                  </pre>
                </details>
              </li>
            ))}
          </ul>
          <nav className="flex items-center gap-3 text-sm" aria-label="Failed jobs pages">
            <button
              type="button"
              disabled={page <= 1}
              onClick={() => setPage(page - 1)}
              className="rounded border border-slate-300 px-3 py-1 disabled:opacity-40"
            >
              Previous
            </button>
            <span>
              Page {failed.data.page} of {failed.data.pageCount} · {failed.data.total} failed
            </span>
            <button
              type="button"
              disabled={page >= failed.data.pageCount}
              onClick={() => setPage(page + 1)}
              className="rounded border border-slate-300 px-3 py-1 disabled:opacity-40"
            >
              Next
            </button>
          </nav>
        </>
      )}
    </section>
  );
}
