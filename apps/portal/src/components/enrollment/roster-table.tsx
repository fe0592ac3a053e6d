"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { formatDate, formatDateTime } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import { buttonClass, inputClass, secondaryButtonClass } from "~/components/form/form-classes";
import { FilterSelect } from "~/components/table/filter-select";
import { Pager } from "~/components/table/pager";
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

function countOf(count: number, noun: string): string {
  return `${count.toLocaleString("en-US")} ${noun}${count === 1 ? "" : "s"}`;
}

type Confirming = { enrollmentId: string; action: "remove" | "lower" } | null;

export interface RosterPage {
  items: Array<RosterEntry & { userId: string }>;
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
  counts: Record<RosterEntry["role"], number>;
}

/**
 * The course roster, a page at a time (its search and role filter run over the whole course, in
 * the address so a view can be shared); managers remove people, or lower a role (after a
 * confirmation), from here. Either takes the person's access on the course's hubs away at once.
 */
export function RosterTable({
  courseSlug,
  roster,
  params,
  fieldErrors,
  canManage,
  currentUserId,
}: {
  courseSlug: string;
  roster: RosterPage;
  /** The page's valid query parameters (search, role, page). */
  params: Record<string, string>;
  fieldErrors: Record<string, string[]>;
  canManage: boolean;
  currentUserId: string;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const [confirming, setConfirming] = useState<Confirming>(null);
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
  const path = `/courses/${encodeURIComponent(courseSlug)}/roster`;
  const { counts } = roster;
  const everyone = counts.INSTRUCTOR + counts.TA + counts.STUDENT;

  return (
    <section aria-labelledby="roster-heading">
      <h2 id="roster-heading" className="text-xl font-semibold">
        Roster ({everyone.toLocaleString("en-US")})
      </h2>
      <p className="text-sm text-slate-600" data-testid="roster-counts">
        {countOf(counts.INSTRUCTOR, "instructor")} · {countOf(counts.TA, "teaching assistant")} ·{" "}
        {countOf(counts.STUDENT, "student")}
      </p>
      <form
        method="get"
        action={path}
        role="search"
        aria-label="Find people on the roster"
        className="mt-3 flex flex-wrap items-end gap-3"
      >
        <div>
          <label htmlFor="roster-search" className="block text-sm font-medium">
            Find someone
          </label>
          <input
            id="roster-search"
            name="search"
            type="search"
            placeholder="Name, email or hub username"
            defaultValue={params.search ?? ""}
            maxLength={200}
            className={`${inputClass} sm:w-80`}
          />
        </div>
        <FilterSelect
          id="roster-role"
          name="role"
          label="Role"
          value={params.role}
          anyLabel="Every role"
          options={Object.entries(roleLabels).map(([value, label]) => ({ value, label }))}
          errors={fieldErrors.role}
        />
        <button type="submit" className={buttonClass}>
          Find
        </button>
      </form>
      <div className="mt-3">
        <Pager path={path} params={params} noun="people" {...roster} />
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
          {roster.items.map((entry) => (
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
      {roster.pageCount > 1 ? (
        <div className="mt-3">
          <Pager path={path} params={params} noun="people" {...roster} />
        </div>
      ) : null}
    </section>
  );
}
