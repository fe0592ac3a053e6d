"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { InvitationSummary } from "@hubfed/core";
import { formatDate } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import { FieldError } from "~/components/form/field-error";
import { buttonClass, inputClass, secondaryButtonClass } from "~/components/form/form-classes";
import { fieldErrorsOrMessage } from "~/lib/field-errors";
import { WideTable } from "~/components/wide-table";

const stateLabels: Record<InvitationSummary["state"], string> = {
  pending: "Waiting",
  accepted: "Accepted",
  revoked: "Withdrawn",
  expired: "Expired",
};

/** Invite TAs and co-instructors by email; the link is shown once. */
export function InvitationsPanel({
  courseSlug,
  invitations,
}: {
  courseSlug: string;
  invitations: InvitationSummary[];
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<"TA" | "INSTRUCTOR">("TA");
  const [validForDays, setValidForDays] = useState(14);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [shownLink, setShownLink] = useState<string | null>(null);
  const invite = useMutation(
    trpc.enrollment.invite.mutationOptions({
      onSuccess: (data) => {
        setErrors({});
        setEmail("");
        setShownLink(new URL(data.path, window.location.origin).toString());
        router.refresh();
      },
      onError: (error) => setErrors(fieldErrorsOrMessage(error)),
    }),
  );
  const revoke = useMutation(
    trpc.enrollment.revokeInvitation.mutationOptions({ onSuccess: () => router.refresh() }),
  );

  return (
    <section aria-labelledby="invitations-heading" data-testid="invitations">
      <h2 id="invitations-heading" className="text-xl font-semibold">
        Staff invitations
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        The invited person is notified by email and accepts after signing in with that address.
      </p>
      <form
        className="mt-3 grid items-end gap-3 rounded-lg border border-slate-200 bg-white p-4 md:grid-cols-4"
        onSubmit={(event) => {
          event.preventDefault();
          setShownLink(null);
          invite.mutate({ courseSlug, email, role, validForDays });
        }}
      >
        <label className="block text-sm md:col-span-2">
          Email
          <input
            type="email"
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            className={inputClass}
            aria-invalid={errors.email ? true : undefined}
          />
          <FieldError errors={errors.email} />
        </label>
        <label className="block text-sm">
          Role
          <select
            value={role}
            onChange={(event) => setRole(event.target.value as "TA" | "INSTRUCTOR")}
            className={inputClass}
          >
            <option value="TA">Teaching assistant</option>
            <option value="INSTRUCTOR">Instructor</option>
          </select>
          <FieldError errors={errors.role} />
        </label>
        <label className="block text-sm">
          Valid for (days)
          <input
            type="number"
            min={1}
            max={60}
            value={validForDays}
            onChange={(event) => setValidForDays(Number(event.target.value))}
            className={inputClass}
          />
          <FieldError errors={errors.validForDays} />
        </label>
        <div className="md:col-span-4">
          <button type="submit" disabled={invite.isPending} className={buttonClass}>
            Send invitation
          </button>
          <FieldError errors={errors.form} />
        </div>
      </form>
      {shownLink ? (
        <div
          role="status"
          className="mt-3 rounded-lg border border-amber-200 bg-amber-50 p-4 text-sm"
          data-testid="invitation-link"
        >
          <p className="font-medium">Invitation sent. Its link, shown only this once:</p>
          <p className="mt-1 break-all font-mono">{shownLink}</p>
        </div>
      ) : null}
      {invitations.length > 0 ? (
        <WideTable className="mt-3 w-full rounded-lg border border-slate-200 bg-white text-sm">
          <thead className="bg-slate-50 text-left text-slate-600">
            <tr>
              <th className="p-3">Email</th>
              <th className="p-3">Role</th>
              <th className="p-3">State</th>
              <th className="p-3">Expires</th>
              <th className="p-3" />
            </tr>
          </thead>
          <tbody>
            {invitations.map((invitation) => (
              <tr key={invitation.id} className="border-t border-slate-100">
                <td className="p-3">{invitation.email}</td>
                <td className="p-3">
                  {invitation.role === "TA" ? "Teaching assistant" : "Instructor"}
                </td>
                <td className="p-3">{stateLabels[invitation.state]}</td>
                <td className="p-3">{formatDate(invitation.expiresAt)}</td>
                <td className="p-3 text-right">
                  {invitation.state === "pending" ? (
                    <button
                      type="button"
                      className={secondaryButtonClass}
                      disabled={revoke.isPending}
                      onClick={() => revoke.mutate({ courseSlug, invitationId: invitation.id })}
                    >
                      Withdraw
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </WideTable>
      ) : null}
    </section>
  );
}
