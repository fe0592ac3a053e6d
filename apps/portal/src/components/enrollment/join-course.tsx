"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "~/trpc/react";
import { FieldError } from "~/components/form/field-error";
import { buttonClass, inputClass } from "~/components/form/form-classes";
import { fieldErrorsOrMessage } from "~/lib/field-errors";

/** The join button of /join/<code>: a POST (tRPC mutation), never a side effect of opening the link. */
export function JoinCourseButton({
  code,
  courseLabel,
  next,
}: {
  code: string;
  courseLabel: string;
  /** A path on this portal (checked by the page) to continue to once enrolled. */
  next?: string;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const join = useMutation(
    trpc.enrollment.join.mutationOptions({
      onSuccess: () => {
        // A content link is a route handler, not a page: a full navigation.
        if (next) window.location.assign(next);
        else router.refresh();
      },
      onError: (error) => setErrors(fieldErrorsOrMessage(error)),
    }),
  );
  return (
    <div>
      <button
        type="button"
        className={buttonClass}
        disabled={join.isPending}
        onClick={() => join.mutate({ code })}
      >
        Join {courseLabel}
      </button>
      <FieldError errors={errors.code ?? errors.form} />
    </div>
  );
}

/** /join: type the code the instructor gave out. */
export function JoinCodeForm() {
  const router = useRouter();
  const [code, setCode] = useState("");
  const [error, setError] = useState<string[] | undefined>();
  return (
    <form
      className="space-y-3"
      onSubmit={(event) => {
        event.preventDefault();
        const compact = code.trim().toUpperCase().replace(/[\s-]/g, "");
        if (!/^[A-Z0-9]{10}$/.test(compact)) {
          setError(["A join code has ten letters and digits, like ABCDE-FGH23"]);
          return;
        }
        router.push(`/join/${compact.slice(0, 5)}-${compact.slice(5)}`);
      }}
    >
      <label className="block text-sm">
        Join code
        <input
          value={code}
          onChange={(event) => setCode(event.target.value)}
          autoComplete="off"
          className={`${inputClass} font-mono text-lg uppercase`}
          aria-invalid={error ? true : undefined}
        />
        <FieldError errors={error} />
      </label>
      <button type="submit" className={buttonClass}>
        Continue
      </button>
      <p className="text-sm text-slate-500">
        Or go back to <Link href="/">My hubs</Link>.
      </p>
    </form>
  );
}
