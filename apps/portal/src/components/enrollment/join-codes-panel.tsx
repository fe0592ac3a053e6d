"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { JoinCodeSummary } from "@hubfed/core";
import { formatDate } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import { FieldError } from "~/components/form/field-error";
import { buttonClass, inputClass, secondaryButtonClass } from "~/components/form/form-classes";
import { fieldErrorsOrMessage } from "~/lib/field-errors";
import { WideTable } from "~/components/wide-table";

/** Errors of one list's items ("boundEmails.2"), shown together under the list's field. */
function fieldErrorsUnder(errors: Record<string, string[]>, prefix: string): string[] | undefined {
  const found = Object.entries(errors)
    .filter(([key]) => key.startsWith(prefix))
    .flatMap(([key, messages]) =>
      messages.map((message) => `${message} (${Number(key.slice(prefix.length)) + 1})`),
    );
  return found.length > 0 ? found : undefined;
}

const stateLabels: Record<JoinCodeSummary["state"], string> = {
  active: "Active",
  expired: "Expired",
  revoked: "Revoked",
  "used-up": "Used up",
};

/** Join codes of a course: create (with optional expiry and cap), copy, revoke. */
export function JoinCodesPanel({
  courseSlug,
  codes,
}: {
  courseSlug: string;
  codes: JoinCodeSummary[];
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const [role, setRole] = useState<"STUDENT" | "TA">("STUDENT");
  const [expiresOn, setExpiresOn] = useState("");
  const [maxUses, setMaxUses] = useState("");
  const [boundEmails, setBoundEmails] = useState("");
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const create = useMutation(
    trpc.enrollment.createJoinCode.mutationOptions({
      onSuccess: () => {
        setErrors({});
        setExpiresOn("");
        setMaxUses("");
        setBoundEmails("");
        router.refresh();
      },
      onError: (error) => setErrors(fieldErrorsOrMessage(error)),
    }),
  );
  const revoke = useMutation(
    trpc.enrollment.revokeJoinCode.mutationOptions({ onSuccess: () => router.refresh() }),
  );

  return (
    <section aria-labelledby="join-codes-heading" data-testid="join-codes">
      <h2 id="join-codes-heading" className="text-xl font-semibold">
        Join codes
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        Students sign in and open the join link, or type the code at /join.
      </p>
      <form
        className="mt-3 grid items-end gap-3 rounded-lg border border-slate-200 bg-white p-4 md:grid-cols-4"
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate({
            courseSlug,
            role,
            // The end of the chosen day in UTC: a code "until Friday" works all Friday.
            expiresAt: expiresOn ? new Date(`${expiresOn}T23:59:59Z`) : undefined,
            maxUses: maxUses ? Number(maxUses) : undefined,
            boundEmails: boundEmails
              .split(/[\s,;]+/)
              .map((email) => email.trim())
              .filter((email) => email !== ""),
          });
        }}
      >
        <label className="block text-sm">
          Joins as
          <select
            value={role}
            onChange={(event) => setRole(event.target.value as "STUDENT" | "TA")}
            className={inputClass}
          >
            <option value="STUDENT">Student</option>
            <option value="TA">Teaching assistant</option>
          </select>
          <FieldError errors={errors.role} />
        </label>
        <label className="block text-sm">
          Expires on (optional)
          <input
            type="date"
            value={expiresOn}
            onChange={(event) => setExpiresOn(event.target.value)}
            className={inputClass}
          />
          <FieldError errors={errors.expiresAt} />
        </label>
        <label className="block text-sm">
          Most uses (optional)
          <input
            type="number"
            min={1}
            value={maxUses}
            onChange={(event) => setMaxUses(event.target.value)}
            className={inputClass}
          />
          <FieldError errors={errors.maxUses} />
        </label>
        <label className="block text-sm md:col-span-4">
          Only for these people (email addresses; required for teaching assistants)
          <textarea
            value={boundEmails}
            onChange={(event) => setBoundEmails(event.target.value)}
            rows={role === "TA" ? 3 : 1}
            placeholder="ta.one@college.edu, ta.two@college.edu"
            className={inputClass}
          />
          <span className="mt-1 block text-xs text-slate-500">
            A code travels: bound to addresses, it works only for people who sign in with one of
            them. A teaching assistant code must be bound, so a forwarded code never makes anyone
            staff.
          </span>
          <FieldError errors={errors.boundEmails ?? fieldErrorsUnder(errors, "boundEmails.")} />
        </label>
        <div>
          <button type="submit" disabled={create.isPending} className={buttonClass}>
            Create join code
          </button>
          <FieldError errors={errors.form ?? errors.courseSlug} />
        </div>
      </form>
      {codes.length === 0 ? (
        <p className="mt-3 text-sm text-slate-600">No join codes yet.</p>
      ) : (
        <WideTable className="mt-3 w-full rounded-lg border border-slate-200 bg-white text-sm">
          <thead className="bg-slate-50 text-left text-slate-600">
            <tr>
              <th className="p-3">Code</th>
              <th className="p-3">Role</th>
              <th className="p-3">State</th>
              <th className="p-3">Uses</th>
              <th className="p-3">Expires</th>
              <th className="p-3" />
            </tr>
          </thead>
          <tbody>
            {codes.map((code) => (
              <tr key={code.id} className="border-t border-slate-100" data-testid="join-code-row">
                <td className="p-3">
                  <span className="font-mono text-base font-semibold" data-testid="join-code">
                    {code.code}
                  </span>
                  <br />
                  <a href={code.path} className="text-xs text-brand-700 hover:underline">
                    {code.path}
                  </a>
                </td>
                <td className="p-3">
                  {code.role === "TA" ? "Teaching assistant" : "Student"}
                  {code.boundEmails.length > 0 ? (
                    <span className="block text-xs text-slate-500" data-testid="join-code-bound">
                      only {code.boundEmails.join(", ")}
                    </span>
                  ) : null}
                </td>
                <td className="p-3">{stateLabels[code.state]}</td>
                <td className="p-3">
                  {code.useCount}
                  {code.maxUses !== null ? ` of ${code.maxUses}` : ""}
                </td>
                <td className="p-3">{code.expiresAt ? formatDate(code.expiresAt) : "never"}</td>
                <td className="p-3 text-right">
                  {code.state === "active" ? (
                    <button
                      type="button"
                      className={secondaryButtonClass}
                      disabled={revoke.isPending}
                      onClick={() => revoke.mutate({ courseSlug, joinCodeId: code.id })}
                    >
                      Revoke
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </WideTable>
      )}
      {revoke.isError ? (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {revoke.error.message}
        </p>
      ) : null}
    </section>
  );
}
