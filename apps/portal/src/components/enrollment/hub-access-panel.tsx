"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import type { AppRouterOutputs } from "@hubfed/api";
import { formatDateTime } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import { secondaryButtonClass } from "~/components/form/form-classes";
import { StatusBadge } from "~/components/status-badge";
import { WideTable } from "~/components/wide-table";
import { ReloadEvery } from "./reload-every";

type HubAccessChange = AppRouterOutputs["enrollment"]["hubAccessChanges"][number];

const statusLabels: Record<HubAccessChange["status"], string> = {
  PENDING: "in progress",
  DONE: "removed",
  FAILED: "failed",
};
const statusTones: Record<HubAccessChange["status"], string> = {
  PENDING: "PENDING",
  DONE: "APPROVED",
  FAILED: "FAILED",
};
const reasonLabels: Record<HubAccessChange["reason"], string> = {
  UNENROLLED: "left the course",
  ROLE_CHANGED: "no longer staff",
};

/**
 * People whose hub access is being taken away (they left the course, or its staff): each hub of
 * the course removes them, and this says whether it has. Shown while any is not confirmed, and
 * for a week after; operators also see why a try failed.
 */
export function HubAccessPanel({
  courseSlug,
  changes,
  canManage,
}: {
  courseSlug: string;
  changes: HubAccessChange[];
  canManage: boolean;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const retry = useMutation(
    trpc.enrollment.retryHubAccessChange.mutationOptions({ onSuccess: () => router.refresh() }),
  );
  if (changes.length === 0) return null;
  const isWaiting = changes.some((change) => change.status === "PENDING");
  return (
    <section aria-labelledby="hub-access-heading" data-testid="hub-access">
      {isWaiting ? <ReloadEvery seconds={5} /> : null}
      <h2 id="hub-access-heading" className="text-xl font-semibold">
        Hub access
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        When someone leaves the course or its staff, each of its hubs stops their server, ends their
        hub sessions and tokens, and takes away their admin rights. Their files stay.
      </p>
      {retry.isError ? (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {retry.error.message}
        </p>
      ) : null}
      <WideTable className="mt-3 w-full rounded-lg border border-slate-200 bg-white text-sm">
        <thead className="bg-slate-50 text-left text-slate-600">
          <tr>
            <th className="p-3">Person</th>
            <th className="p-3">Why</th>
            <th className="p-3">Hub</th>
            <th className="p-3">Status</th>
            <th className="p-3">Since</th>
            {canManage ? <th className="p-3" /> : null}
          </tr>
        </thead>
        <tbody>
          {changes.map((change) => (
            <tr
              key={change.id}
              className="border-t border-slate-100 align-top"
              data-testid="hub-access-row"
            >
              <td className="p-3">
                {change.person.name ?? change.person.username}
                <br />
                <span className="text-xs text-slate-500">
                  {change.person.email ?? change.person.username}
                </span>
              </td>
              <td className="p-3">{reasonLabels[change.reason]}</td>
              <td className="p-3 font-mono">{change.hubSlug}</td>
              <td className="p-3">
                <StatusBadge
                  status={statusTones[change.status]}
                  label={statusLabels[change.status]}
                />
                <p className="mt-1 max-w-md text-xs text-slate-600">{change.summary}</p>
                {change.detail ? (
                  <p className="mt-1 max-w-md font-mono text-xs break-all text-slate-500">
                    {change.detail}
                  </p>
                ) : null}
              </td>
              <td className="p-3">{formatDateTime(change.completedAt ?? change.requestedAt)}</td>
              {canManage ? (
                <td className="p-3 text-right">
                  {change.status === "DONE" ? null : (
                    <button
                      type="button"
                      className={secondaryButtonClass}
                      disabled={retry.isPending}
                      onClick={() => retry.mutate({ courseSlug, revocationId: change.id })}
                    >
                      Try again
                    </button>
                  )}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </WideTable>
    </section>
  );
}
