"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { formatDate, formatDateTime } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import { secondaryButtonClass } from "~/components/form/form-classes";
import { WideTable } from "~/components/wide-table";

interface RosterEntry {
  enrollmentId: string;
  name: string | null;
  email: string | null;
  username: string;
  role: "INSTRUCTOR" | "TA" | "STUDENT";
  enrolledAt: Date;
  lastLaunchedAt: Date | null;
}

const roleLabels = { INSTRUCTOR: "Instructor", TA: "Teaching assistant", STUDENT: "Student" };

/** What a manager may lower a role to here; making someone staff is an invitation by email. */
const lowerRole = { INSTRUCTOR: "TA", TA: "STUDENT", STUDENT: null } as const;

function loweredLabel(role: RosterEntry["role"]): string {
  const lowered = lowerRole[role];
  return lowered ? roleLabels[lowered].toLowerCase() : "";
}

type Confirming = { enrollmentId: string; action: "remove" | "lower" } | null;

/**
 * The course roster; managers remove people, or lower a role (after a confirmation), from here.
 * Either takes the person's access on the course's hubs away at once.
 */
export function RosterTable({
  courseSlug,
  entries,
  canManage,
  currentUserId,
}: {
  courseSlug: string;
  entries: Array<RosterEntry & { userId: string }>;
  canManage: boolean;
  currentUserId: string;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const [confirming, setConfirming] = useState<Confirming>(null);
  const [filter, setFilter] = useState("");
  const done = {
    onSuccess: () => {
      setConfirming(null);
      router.refresh();
    },
  };
  const unenroll = useMutation(trpc.enrollment.unenroll.mutationOptions(done));
  const changeRole = useMutation(trpc.enrollment.changeRole.mutationOptions(done));
  const failure = unenroll.error ?? changeRole.error;
  const nameOf = (entry: RosterEntry & { userId: string }) =>
    entry.userId === currentUserId ? "yourself" : (entry.name ?? entry.username);
  const isBusy = unenroll.isPending || changeRole.isPending;
  const needle = filter.trim().toLowerCase();
  const shown = needle
    ? entries.filter((entry) =>
        [entry.name, entry.email, entry.username].some((value) =>
          value?.toLowerCase().includes(needle),
        ),
      )
    : entries;

  return (
    <section aria-labelledby="roster-heading">
      <div className="flex items-end justify-between gap-4">
        <h2 id="roster-heading" className="text-xl font-semibold">
          Roster ({entries.length})
        </h2>
        <label className="text-sm">
          <span className="sr-only">Find someone</span>
          <input
            type="search"
            placeholder="Find by name or email"
            value={filter}
            onChange={(event) => setFilter(event.target.value)}
            className="rounded-md border border-slate-300 px-2 py-1.5 text-sm"
          />
        </label>
      </div>
      {failure ? (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {failure.message}
        </p>
      ) : null}
      <WideTable
        className="mt-3 w-full rounded-lg border border-slate-200 bg-white text-sm"
        data-testid="roster"
      >
        <thead className="bg-slate-50 text-left text-slate-600">
          <tr>
            <th className="p-3">Name</th>
            <th className="p-3">Email</th>
            <th className="p-3">Hub username</th>
            <th className="p-3">Role</th>
            <th className="p-3">Enrolled</th>
            <th className="p-3">Last launch</th>
            {canManage ? <th className="p-3" /> : null}
          </tr>
        </thead>
        <tbody>
          {shown.map((entry) => (
            <tr
              key={entry.enrollmentId}
              className="border-t border-slate-100"
              data-testid="roster-row"
            >
              <td className="p-3">{entry.name ?? "—"}</td>
              <td className="p-3">{entry.email ?? "—"}</td>
              <td className="p-3 font-mono">{entry.username}</td>
              <td className="p-3">{roleLabels[entry.role]}</td>
              <td className="p-3">{formatDate(entry.enrolledAt)}</td>
              <td className="p-3">
                {entry.lastLaunchedAt ? formatDateTime(entry.lastLaunchedAt) : "—"}
              </td>
              {canManage ? (
                <td className="p-3 text-right">
                  {confirming?.enrollmentId === entry.enrollmentId ? (
                    <span className="inline-flex gap-2">
                      <button
                        type="button"
                        className="rounded-md bg-red-600 px-3 py-1.5 text-sm text-white disabled:opacity-50"
                        disabled={isBusy}
                        onClick={() => {
                          const lowered = lowerRole[entry.role];
                          if (confirming.action === "lower" && lowered)
                            changeRole.mutate({
                              courseSlug,
                              enrollmentId: entry.enrollmentId,
                              role: lowered,
                            });
                          else unenroll.mutate({ courseSlug, enrollmentId: entry.enrollmentId });
                        }}
                      >
                        {confirming.action === "lower"
                          ? `Make ${nameOf(entry)} ${loweredLabel(entry.role)}`
                          : `Remove ${nameOf(entry)}`}
                      </button>
                      <button
                        type="button"
                        className={secondaryButtonClass}
                        onClick={() => setConfirming(null)}
                      >
                        Cancel
                      </button>
                    </span>
                  ) : (
                    <span className="inline-flex gap-2">
                      {lowerRole[entry.role] ? (
                        <button
                          type="button"
                          className={secondaryButtonClass}
                          onClick={() =>
                            setConfirming({ enrollmentId: entry.enrollmentId, action: "lower" })
                          }
                        >
                          Make {loweredLabel(entry.role)}…
                        </button>
                      ) : null}
                      <button
                        type="button"
                        className={secondaryButtonClass}
                        onClick={() =>
                          setConfirming({ enrollmentId: entry.enrollmentId, action: "remove" })
                        }
                      >
                        Remove…
                      </button>
                    </span>
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
