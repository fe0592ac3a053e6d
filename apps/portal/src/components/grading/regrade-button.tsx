"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { FieldError } from "~/components/form/field-error";
import { secondaryButtonClass } from "~/components/form/form-classes";
import { useTRPC } from "~/trpc/react";

/** Grade one submission again with the assignment's current material. */
export function RegradeButton({
  courseSlug,
  assignmentSlug,
  submissionId,
}: {
  courseSlug: string;
  assignmentSlug: string;
  submissionId: string;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const [error, setError] = useState<string | undefined>();
  const regrade = useMutation(
    trpc.grading.regrade.mutationOptions({
      onSuccess: () => {
        setError(undefined);
        router.refresh();
      },
      onError: (failure) => setError(failure.message),
    }),
  );
  return (
    <div>
      <button
        type="button"
        className={secondaryButtonClass}
        disabled={regrade.isPending}
        onClick={() => regrade.mutate({ courseSlug, assignmentSlug, submissionId })}
      >
        {regrade.isPending ? "Queuing…" : "Regrade"}
      </button>
      <FieldError errors={error ? [error] : undefined} />
    </div>
  );
}
