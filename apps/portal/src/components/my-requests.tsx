"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { formatCents, formatDate, requestStatusLabel } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import { StatusBadge } from "./status-badge";

export function MyRequests() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const requests = useQuery(trpc.request.mine.queryOptions());
  const discard = useMutation(
    trpc.request.withdraw.mutationOptions({
      onSuccess: () =>
        void queryClient.invalidateQueries({ queryKey: trpc.request.mine.queryKey() }),
    }),
  );
  if (requests.isPending) return <p className="text-slate-500">Loading…</p>;
  if (requests.isError) return <p role="alert">{requests.error.message}</p>;
  if (requests.data.length === 0)
    return <p className="text-slate-600">You have not requested a hub yet.</p>;
  return (
    <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white">
      {requests.data.map((request) => (
        <li key={request.id} className="flex items-center justify-between gap-4 p-4">
          <div>
            <Link
              href={
                request.status === "DRAFT" ? `/request?id=${request.id}` : `/requests/${request.id}`
              }
              className="font-medium text-brand-700 hover:underline"
            >
              {[request.courseCode, request.courseTitle].filter(Boolean).join(": ") ||
                "Untitled draft"}
            </Link>
            <p className="text-sm text-slate-500">
              {request.kind === "CHANGE" ? "Change · " : ""}starts{" "}
              {formatDate(request.courseStartDate)}
              {request.estimateTotalCents !== null
                ? ` · estimate ${formatCents(request.estimateTotalCents)}`
                : ""}
            </p>
          </div>
          <div className="flex items-center gap-3">
            <StatusBadge status={request.status} label={requestStatusLabel(request.status)} />
            {request.status === "DRAFT" ? (
              <button
                type="button"
                onClick={() =>
                  window.confirm("Discard this draft? It cannot be brought back.") &&
                  discard.mutate({ requestId: request.id })
                }
                className="text-sm text-red-700 underline"
              >
                Discard
              </button>
            ) : null}
          </div>
        </li>
      ))}
    </ul>
  );
}
