"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { formatDateTime } from "~/lib/format";
import { isHubRetired, settledHubStatuses } from "@hubfed/core/hub-lifecycle";
import { useTRPC } from "~/trpc/react";
import { ChangeRequestForm } from "./change-request-form";
import { HubActions } from "./hub-actions";
import { HubStatusPill } from "./enrollment/hub-status-pill";
import { StatusBadge } from "./status-badge";

const stepIcons = { QUEUED: "○", RUNNING: "◐", SUCCEEDED: "✓", FAILED: "✗" } as const;

function seconds(from: Date | null, to: Date | null): string {
  if (!from) return "";
  return `${(((to ?? new Date()).getTime() - from.getTime()) / 1000).toFixed(1)} s`;
}

/**
 * A hub's status, conditions and provisioning runs. While the hub is being
 * set up it refreshes every second, so the steps tick by as they happen.
 */
export function HubProvisioning({ slug }: { slug: string }) {
  const trpc = useTRPC();
  const hub = useQuery({
    ...trpc.hub.get.queryOptions({ slug }),
    refetchInterval: (query) =>
      query.state.data &&
      (settledHubStatuses as readonly string[]).includes(query.state.data.status) &&
      query.state.data.runs[0]?.status !== "RUNNING"
        ? 10_000
        : 1_000,
  });
  if (hub.isPending) return <p className="text-slate-500">Loading the hub…</p>;
  if (hub.isError) return <p role="alert">{hub.error.message}</p>;
  const data = hub.data;

  return (
    <div className="space-y-6">
      <header className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <p className="text-sm text-slate-500">
            {data.institution} · {data.cluster} ·{" "}
            {data.runtime === "LOCAL" ? "local JupyterHub" : "Kubernetes"}
          </p>
          <h1 className="text-3xl font-bold">{data.course}</h1>
          <p className="text-sm text-slate-600">
            Hub <strong>{data.slug}</strong> · revision {data.appliedRevision ?? "—"} of{" "}
            {data.specRevision}
            {data.historyHref ? (
              <>
                {" · "}
                <Link href={data.historyHref} className="text-brand-700 hover:underline">
                  History in the audit log
                </Link>
              </>
            ) : null}
          </p>
          {data.statusReason ? (
            <p className="mt-1 text-sm text-slate-600">{data.statusReason}</p>
          ) : null}
        </div>
        <div className="flex items-center gap-3">
          <StatusBadge status={data.status} testId="hub-status" />
          {data.url && data.status === "READY" ? (
            <a
              href={data.url}
              className="rounded-md bg-green-700 px-3 py-1.5 text-sm font-medium text-white"
              data-testid="open-hub"
            >
              Open the hub
            </a>
          ) : null}
        </div>
      </header>

      <HubActions slug={data.slug} actions={data.actions} />

      {data.suspension ? (
        <section
          className="rounded-lg border border-slate-300 bg-slate-50 p-4 text-sm"
          data-testid="hub-suspension"
          aria-labelledby="suspension-heading"
        >
          <h2 id="suspension-heading" className="font-semibold">
            Suspended since {formatDateTime(data.suspension.since)}
          </h2>
          {data.suspension.reason ? <p className="mt-1">{data.suspension.reason}</p> : null}
          <p className="mt-1 text-slate-600">
            Students&apos; servers are stopped and nobody can sign in; their files are kept and
            their storage is still billed.
          </p>
        </section>
      ) : null}

      {data.isOperatorView ? null : (
        <section
          className="rounded-lg border border-slate-200 bg-white p-5"
          data-testid="staff-status"
          aria-labelledby="staff-status-heading"
        >
          <h2 id="staff-status-heading" className="text-lg font-semibold">
            <HubStatusPill label={data.staffStatus.label} tone={data.staffStatus.tone} />
          </h2>
          <p className="mt-2 text-slate-700">{data.staffStatus.explanation}</p>
          <p className="mt-2 text-sm text-slate-500">
            Each student gets {data.current.memoryGuaranteeMib} MiB of memory (up to{" "}
            {data.current.memoryLimitMib} MiB) and {data.current.storageGib} GiB of storage; the hub
            runs until {data.current.courseEndDate}.
          </p>
        </section>
      )}

      {data.canRequestChange && !isHubRetired(data.status) ? (
        <ChangeRequestForm hubSlug={data.slug} current={data.current} />
      ) : null}

      {data.isOperatorView ? (
        <>
          <section
            aria-labelledby="conditions-heading"
            className="rounded-lg border border-slate-200 bg-white p-5"
          >
            <h2 id="conditions-heading" className="mb-2 text-lg font-semibold">
              Conditions
            </h2>
            <ul className="space-y-1 text-sm" data-testid="conditions">
              {data.conditions.map((condition) => (
                <li key={condition.type}>
                  <strong>{condition.type}</strong> = {condition.status.toLowerCase()} (
                  {condition.reason}){condition.message ? ` — ${condition.message}` : ""} · since{" "}
                  {formatDateTime(condition.lastTransitionAt)}
                </li>
              ))}
              {data.conditions.length === 0 ? (
                <li className="text-slate-500">None reported yet.</li>
              ) : null}
            </ul>
          </section>

          <section aria-labelledby="runs-heading" className="space-y-3">
            <h2 id="runs-heading" className="text-lg font-semibold">
              Provisioning runs
            </h2>
            {data.runs.length === 0 ? (
              <p className="text-slate-500">Waiting for the first run to start…</p>
            ) : null}
            {data.runs.map((run, index) => (
              <article
                key={run.id}
                className="rounded-lg border border-slate-200 bg-white p-4"
                data-testid={index === 0 ? "latest-run" : undefined}
              >
                <p className="text-sm">
                  <StatusBadge
                    status={
                      run.status === "SUCCEEDED"
                        ? "READY"
                        : run.status === "RUNNING"
                          ? "PROVISIONING"
                          : run.status
                    }
                    label={run.status.toLowerCase()}
                  />{" "}
                  {run.trigger} · revision {run.specRevision} ·{" "}
                  {run.startedAt ? formatDateTime(run.startedAt) : "queued"}{" "}
                  {seconds(run.startedAt, run.finishedAt)}
                </p>
                {run.error ? (
                  <p role="alert" className="mt-1 text-sm text-red-700">
                    {run.error}
                  </p>
                ) : null}
                <ol className="mt-2 space-y-1 text-sm">
                  {run.steps.map((step) => (
                    <li
                      key={step.name}
                      data-step-status={step.status}
                      className={
                        step.status === "FAILED"
                          ? "text-red-700"
                          : step.status === "QUEUED"
                            ? "text-slate-400"
                            : ""
                      }
                    >
                      <span aria-hidden="true">{stepIcons[step.status]}</span> {step.name}{" "}
                      {step.startedAt ? (
                        <span className="text-slate-500">
                          ({seconds(step.startedAt, step.finishedAt)})
                        </span>
                      ) : null}
                      {step.detail ? (
                        <span className="block pl-5 text-xs text-slate-500">{step.detail}</span>
                      ) : null}
                      {step.error ? <span className="block pl-5 text-xs">{step.error}</span> : null}
                    </li>
                  ))}
                </ol>
              </article>
            ))}
          </section>
        </>
      ) : null}
    </div>
  );
}
