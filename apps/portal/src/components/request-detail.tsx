"use client";

import { RequestSummary } from "./request-summary";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState, type ReactNode } from "react";
import { formatCents, formatDate, formatDateTime, requestStatusLabel } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import { StatusBadge } from "./status-badge";

function Card({
  title,
  children,
  testId,
}: {
  title: string;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <section
      className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm"
      data-testid={testId}
    >
      <h2 className="mb-3 text-lg font-semibold">{title}</h2>
      {children}
    </section>
  );
}

/** A hub request as its requester and ops see it: estimate, hub and hold, history and the conversation. */
export function RequestDetail({
  requestId,
  decisionPanel,
}: {
  requestId: string;
  decisionPanel?: ReactNode;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const detail = useQuery(trpc.request.get.queryOptions({ requestId }));
  const [reply, setReply] = useState("");
  const [actionError, setActionError] = useState<string>();
  const refresh = () =>
    queryClient.invalidateQueries({ queryKey: trpc.request.get.queryKey({ requestId }) });
  const comment = useMutation(
    trpc.request.comment.mutationOptions({
      onSuccess: () => {
        setReply("");
        void refresh();
      },
      onError: (error) => setActionError(error.message),
    }),
  );
  const submit = useMutation(
    trpc.request.submit.mutationOptions({
      onSuccess: () => void refresh(),
      onError: (error) => setActionError(error.message),
    }),
  );
  const withdraw = useMutation(
    trpc.request.withdraw.mutationOptions({
      onSuccess: () => void refresh(),
      onError: (error) => setActionError(error.message),
    }),
  );

  if (detail.isPending) return <p className="text-slate-500">Loading the request…</p>;
  if (detail.isError) return <p role="alert">{detail.error.message}</p>;
  const request = detail.data;
  const currency = request.hold?.pool?.currency ?? request.decision?.creditPool?.currency ?? "USD";
  const isEditable =
    request.isMine && (request.status === "DRAFT" || request.status === "CHANGES_REQUESTED");

  return (
    <div className="space-y-6">
      <header className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <p className="text-sm text-slate-500">
            {request.kind === "CHANGE" ? "Change request" : "Hub request"} ·{" "}
            {request.institution?.name ??
              (request.form.institution as { name?: string } | undefined)?.name ??
              "new institution"}
          </p>
          <h1 className="text-3xl font-bold">
            {[request.courseCode, request.courseTitle].filter(Boolean).join(": ") ||
              "Untitled request"}
          </h1>
          <p className="text-sm text-slate-600">
            Requested by {request.requester.name ?? request.requester.email} · starts{" "}
            {formatDate(request.courseStartDate)}
          </p>
        </div>
        <StatusBadge
          status={request.status}
          label={requestStatusLabel(request.status)}
          testId="request-status"
        />
      </header>

      {actionError ? (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-red-800">
          {actionError}
        </p>
      ) : null}

      {request.isMine &&
      request.status !== "APPROVED" &&
      request.status !== "REJECTED" &&
      request.status !== "WITHDRAWN" ? (
        <div className="flex flex-wrap gap-3">
          {isEditable ? (
            <Link
              href={`/request?id=${request.id}`}
              className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white"
            >
              {request.status === "CHANGES_REQUESTED" ? "Edit and resubmit" : "Continue editing"}
            </Link>
          ) : null}
          {request.status === "CHANGES_REQUESTED" ? (
            <button
              type="button"
              onClick={() => submit.mutate({ requestId })}
              className="rounded-md border border-slate-300 px-4 py-2 text-sm"
            >
              Resubmit as is
            </button>
          ) : null}
          <button
            type="button"
            onClick={() =>
              window.confirm("Withdraw this request?") && withdraw.mutate({ requestId })
            }
            className="rounded-md border border-red-300 px-4 py-2 text-sm text-red-800"
          >
            Withdraw
          </button>
        </div>
      ) : null}

      {request.kind === "NEW_HUB" ? (
        <Card title="What is requested" testId="request-review">
          <RequestSummary form={request.form} />
        </Card>
      ) : null}

      <div className="grid gap-6 lg:grid-cols-2">
        <Card
          title={request.kind === "CHANGE" ? "What the change adds" : "Estimate"}
          testId="request-estimate"
        >
          {request.estimate ? (
            <>
              {request.kind === "CHANGE" ? (
                <p>
                  <span className="text-2xl font-bold">
                    +{formatCents(request.estimate.totalCents, currency)}
                  </span>{" "}
                  on top of the hub&apos;s current cost
                </p>
              ) : (
                <p>
                  <span className="text-2xl font-bold">
                    {formatCents(request.estimate.totalCents, currency)}
                  </span>{" "}
                  for the term ·{" "}
                  <strong>{formatCents(request.estimate.perStudentMonthCents, currency)}</strong>{" "}
                  per student per month
                </p>
              )}
              <ul className="mt-3 list-disc space-y-1 pl-5 text-sm text-slate-600">
                {request.estimate.assumptions.map((assumption) => (
                  <li key={assumption}>{assumption}</li>
                ))}
              </ul>
            </>
          ) : (
            <p className="text-sm text-slate-600">
              {request.kind === "CHANGE"
                ? "Changes are reviewed against the hub's current allocation."
                : "The estimate appears once the form is complete."}
            </p>
          )}
        </Card>

        {request.hub || request.decision ? (
          <Card title="Hub and credits" testId="request-hub">
            {request.hub ? (
              <p className="flex items-center gap-2">
                Hub{" "}
                <Link
                  href={`/ops/hubs/${request.hub.slug}`}
                  className="font-semibold text-brand-700 underline"
                >
                  {request.hub.slug}
                </Link>{" "}
                <StatusBadge status={request.hub.status} testId="hub-status" />
              </p>
            ) : null}
            {request.hub?.statusReason ? (
              <p className="mt-1 text-sm text-slate-600">{request.hub.statusReason}</p>
            ) : null}
            {request.decision?.cluster ? (
              <p className="mt-2 text-sm">Cluster: {request.decision.cluster.displayName}</p>
            ) : null}
            {request.hold ? (
              <p className="mt-2 text-sm" data-testid="hold">
                Hold of <strong>{formatCents(request.hold.amountCents, currency)}</strong> on{" "}
                {request.hold.pool?.name ?? "the pool"}{" "}
                <StatusBadge
                  status={request.hold.state === "HELD" ? "HELD" : request.hold.state}
                  label={
                    request.hold.state === "HELD"
                      ? "held"
                      : request.hold.state.toLowerCase().replace("_pending", "ed")
                  }
                />{" "}
                until {formatDate(request.hold.expiresAt)}
              </p>
            ) : null}
            {request.decision?.note ? (
              <p className="mt-2 text-sm text-slate-600">Note from ops: {request.decision.note}</p>
            ) : null}
          </Card>
        ) : null}
      </div>

      {decisionPanel}

      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Conversation" testId="request-comments">
          <ul className="space-y-3">
            {request.comments.map((entry) => (
              <li
                key={entry.id}
                className={`rounded-md p-3 text-sm ${entry.isFromOperator ? "bg-indigo-50" : "bg-slate-50"}`}
              >
                <p className="text-xs text-slate-500">
                  {entry.author}
                  {entry.isFromOperator ? " (federation ops)" : ""} · {formatDateTime(entry.at)}
                </p>
                <p className="mt-1 whitespace-pre-wrap">{entry.body}</p>
              </li>
            ))}
            {request.comments.length === 0 ? (
              <li className="text-sm text-slate-500">No messages yet.</li>
            ) : null}
          </ul>
          <form
            className="mt-4 space-y-2"
            onSubmit={(event) => {
              event.preventDefault();
              comment.mutate({ requestId, body: reply });
            }}
          >
            <label htmlFor="reply" className="block text-sm font-medium">
              Write a message
            </label>
            <textarea
              id="reply"
              value={reply}
              onChange={(event) => setReply(event.target.value)}
              rows={3}
              maxLength={5000}
              className="w-full rounded-md border border-slate-300 px-3 py-2 text-sm"
            />
            <button
              type="submit"
              disabled={reply.trim() === "" || comment.isPending}
              className="rounded-md bg-slate-800 px-3 py-1.5 text-sm text-white disabled:opacity-50"
            >
              Send
            </button>
          </form>
        </Card>

        <Card title="History" testId="request-history">
          <ol className="space-y-2 text-sm">
            {request.history.map((entry, index) => (
              <li key={index}>
                <span className="font-medium">{requestStatusLabel(entry.to)}</span> · {entry.by} ·{" "}
                {formatDateTime(entry.at)}
                {entry.note ? <p className="text-slate-600">“{entry.note}”</p> : null}
              </li>
            ))}
          </ol>
        </Card>
      </div>
    </div>
  );
}
