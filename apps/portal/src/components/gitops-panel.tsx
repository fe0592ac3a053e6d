"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { formatDateTime } from "~/lib/format";
import { useTRPC } from "~/trpc/react";

const statusStyles = {
  PROPOSED: "bg-blue-100 text-blue-800",
  RENDERED: "bg-green-100 text-green-800",
  UNCHANGED: "bg-slate-100 text-slate-700",
  FAILED: "bg-red-100 text-red-800",
} as const;

const statusWords = {
  PROPOSED: "pull request updated",
  RENDERED: "files written",
  UNCHANGED: "unchanged",
  FAILED: "failed",
} as const;

/**
 * The latest GitOps export of each region (`gitops.exports`, ops only): its
 * status, file count and pull request, and a button that queues an export now.
 */
export function GitOpsPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const exports = useQuery({ ...trpc.gitops.exports.queryOptions(), refetchInterval: 10_000 });
  const exportNow = useMutation(
    trpc.gitops.export.mutationOptions({
      onSuccess: () =>
        void queryClient.invalidateQueries({ queryKey: trpc.gitops.exports.queryKey() }),
    }),
  );
  if (exports.isPending) return <p className="text-slate-500">Loading exports…</p>;
  if (exports.isError)
    return (
      <p role="alert" className="text-red-700">
        Could not load exports: {exports.error.message}
      </p>
    );
  const latest = exports.data.latestByRegion;
  return (
    <div className="space-y-3" data-testid="gitops-exports">
      {latest.length === 0 ? (
        <p className="text-slate-500">No export yet.</p>
      ) : (
        <ul className="grid gap-3 md:grid-cols-2">
          {latest.map((row) => (
            <li key={row.id} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
              <p className="flex items-center justify-between gap-2">
                <span className="font-medium">{row.regionName}</span>
                <span className={`rounded px-2 py-0.5 text-xs ${statusStyles[row.status]}`}>
                  {statusWords[row.status]}
                </span>
              </p>
              <p className="text-sm text-slate-600">
                {row.fileCount} file(s) · {formatDateTime(row.createdAt)}
                {row.branch ? ` · branch ${row.branch}` : ""}
              </p>
              {row.pullRequestUrl ? (
                <p className="text-sm">
                  <a
                    href={row.pullRequestUrl}
                    className="text-blue-700 underline"
                    rel="noreferrer"
                    target="_blank"
                  >
                    Pull request #{row.pullRequestNumber}
                  </a>
                </p>
              ) : null}
              {row.error ? (
                <p role="alert" className="mt-1 text-sm text-red-700">
                  {row.error}
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <div className="flex items-center gap-3">
        <button
          type="button"
          onClick={() => exportNow.mutate({ isForced: false })}
          disabled={exportNow.isPending}
          className="rounded-md border border-slate-300 px-3 py-1.5 text-sm"
        >
          Export now
        </button>
        {exportNow.isSuccess ? (
          <span className="text-sm text-slate-600" role="status">
            Export queued; the worker runs it shortly.
          </span>
        ) : null}
        {exportNow.isError ? (
          <span className="text-sm text-red-700" role="alert">
            {exportNow.error.message}
          </span>
        ) : null}
      </div>
    </div>
  );
}
