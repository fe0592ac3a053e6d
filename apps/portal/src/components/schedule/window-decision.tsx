"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { FieldError } from "~/components/form/field-error";
import { buttonClass, inputClass, secondaryButtonClass } from "~/components/form/form-classes";
import { fieldErrorsOrMessage } from "~/lib/field-errors";
import { useTRPC } from "~/trpc/react";

/** Ops approve or reject a window beyond the envelope; rejecting needs a reason. */
export function WindowDecision({ windowId, label }: { windowId: string; label: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [note, setNote] = useState("");
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const decide = useMutation(
    trpc.capacity.decideWindow.mutationOptions({
      onSuccess: () => {
        setErrors({});
        router.refresh();
      },
      onError: (error) => setErrors(fieldErrorsOrMessage(error)),
    }),
  );
  return (
    <div className="mt-2 flex flex-wrap items-start gap-2" data-testid="window-decision">
      <label className="block min-w-56 flex-1 text-sm">
        <span className="sr-only">Note on {label}</span>
        <input
          value={note}
          placeholder="Note to the instructor (required to reject)"
          onChange={(event) => setNote(event.target.value)}
          className={inputClass}
        />
        <FieldError errors={errors.note ?? errors.form} />
      </label>
      <button
        type="button"
        className={buttonClass}
        disabled={decide.isPending}
        onClick={() => decide.mutate({ windowId, decision: "APPROVED", note: note || undefined })}
      >
        Approve window
      </button>
      <button
        type="button"
        className={secondaryButtonClass}
        disabled={decide.isPending}
        onClick={() => decide.mutate({ windowId, decision: "REJECTED", note: note || undefined })}
      >
        Reject window
      </button>
    </div>
  );
}
