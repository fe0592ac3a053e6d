"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useTRPC } from "~/trpc/react";
import { FieldError } from "~/components/form/field-error";
import { buttonClass } from "~/components/form/form-classes";
import { fieldErrorsOrMessage } from "~/lib/field-errors";

/** Accepts a staff invitation, by its link's token or (from /invitations) by id. */
export function AcceptInvitationButton({
  locator,
  label,
}: {
  locator: { token: string } | { invitationId: string };
  label: string;
}) {
  const trpc = useTRPC();
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const accept = useMutation(
    trpc.enrollment.acceptInvitation.mutationOptions({
      onError: (error) => setErrors(fieldErrorsOrMessage(error)),
    }),
  );
  if (accept.isSuccess)
    return (
      <p
        role="status"
        className="rounded-md bg-green-50 p-3 text-green-900"
        data-testid="invitation-accepted"
      >
        Accepted.{" "}
        <Link
          href={`/courses/${encodeURIComponent(accept.data.courseSlug)}`}
          className="font-medium underline"
        >
          Open the course page
        </Link>
      </p>
    );
  return (
    <div>
      <button
        type="button"
        className={buttonClass}
        disabled={accept.isPending}
        onClick={() => accept.mutate(locator)}
      >
        {label}
      </button>
      <FieldError errors={errors.form} />
    </div>
  );
}
