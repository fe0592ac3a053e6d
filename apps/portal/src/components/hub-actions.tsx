"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState } from "react";
import type { HubAction } from "@hubfed/core";
import { fieldErrorsOrMessage } from "~/lib/field-errors";
import { useTRPC } from "~/trpc/react";
import { FieldError } from "./form/field-error";

/** What each action is called and what it does, said before anyone confirms it. */
const actionTexts: Record<
  HubAction,
  { label: string; question: string; consequence: string; isDangerous: boolean }
> = {
  suspend: {
    label: "Suspend hub",
    question: "Suspend this hub?",
    consequence:
      "Every student's server is stopped and nobody can sign in until the hub is resumed. Their files are kept, and their storage is still billed. The course's staff are told, with your reason.",
    isDangerous: true,
  },
  resume: {
    label: "Resume hub",
    question: "Resume this hub?",
    consequence:
      "The hub starts again as it was, with every student's files; they can sign in once it answers. The course's staff are told, with your reason.",
    isDangerous: false,
  },
  retire: {
    label: "Retire hub",
    question: "Retire this hub for good?",
    consequence:
      "The hub is stopped for good: students' home folders are archived and its unused credit goes back to the pool. This cannot be undone. The course's staff are told, with your reason.",
    isDangerous: true,
  },
  restart: {
    label: "Restart hub",
    question: "Restart this hub's JupyterHub?",
    consequence:
      "JupyterHub restarts; students may have to start their server again. Their files are kept. The course's staff are told, with your reason.",
    isDangerous: false,
  },
  retry: {
    label: "Retry hub",
    question: "Run this hub's provisioning again?",
    consequence:
      "The hub is converged to its spec again: a failed hub is set up again, a running one is checked and corrected. A failed hub's staff are told, with your reason.",
    isDangerous: false,
  },
};

/**
 * The buttons for what this person may do to the hub now (the API says which), each opening a
 * confirmation with a required reason. The course's staff read the reason in their notification.
 */
export function HubActions({ slug, actions }: { slug: string; actions: readonly HubAction[] }) {
  const [open, setOpen] = useState<HubAction | null>(null);
  if (actions.length === 0) return null;
  return (
    <>
      <div className="flex flex-wrap gap-2" data-testid="hub-actions">
        {actions.map((action) => (
          <button
            key={action}
            type="button"
            onClick={() => setOpen(action)}
            className={`rounded-md border px-3 py-1.5 text-sm ${
              actionTexts[action].isDangerous
                ? "border-red-300 text-red-800 hover:bg-red-50"
                : "border-slate-300 hover:bg-slate-50"
            }`}
          >
            {actionTexts[action].label}
          </button>
        ))}
      </div>
      {open ? <HubActionDialog slug={slug} action={open} onClose={() => setOpen(null)} /> : null}
    </>
  );
}

function HubActionDialog({
  slug,
  action,
  onClose,
}: {
  slug: string;
  action: HubAction;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const reasonId = useId();
  const [reason, setReason] = useState("");
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const texts = actionTexts[action];
  const mutationOptions = {
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: trpc.hub.get.queryKey({ slug }) });
      onClose();
    },
    onError: (failure: unknown) => setErrors(fieldErrorsOrMessage(failure)),
  };
  // One mutation per procedure (each has its own permission tier); the dialog uses its action's.
  const mutations = {
    suspend: useMutation(trpc.hub.suspend.mutationOptions(mutationOptions)),
    resume: useMutation(trpc.hub.resume.mutationOptions(mutationOptions)),
    retire: useMutation(trpc.hub.retire.mutationOptions(mutationOptions)),
    restart: useMutation(trpc.hub.restart.mutationOptions(mutationOptions)),
    retry: useMutation(trpc.hub.retry.mutationOptions(mutationOptions)),
  };
  const mutation = mutations[action];

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);

  return (
    <dialog
      ref={dialog}
      aria-labelledby={titleId}
      onClose={onClose}
      className="m-auto w-full max-w-md rounded-lg border border-slate-200 p-0 shadow-xl backdrop:bg-slate-900/40"
    >
      <form
        method="dialog"
        className="space-y-4 p-6"
        onSubmit={(event) => {
          event.preventDefault();
          setErrors({});
          mutation.mutate({ slug, reason });
        }}
      >
        <h2 id={titleId} className="text-lg font-semibold">
          {texts.question}
        </h2>
        <p className="text-sm text-slate-700">{texts.consequence}</p>
        <div>
          <label htmlFor={reasonId} className="block text-sm font-medium">
            Reason
          </label>
          <textarea
            id={reasonId}
            value={reason}
            onChange={(event) => setReason(event.target.value)}
            required
            minLength={5}
            maxLength={500}
            rows={3}
            aria-describedby={errors.reason ? `${reasonId}-error` : undefined}
            aria-invalid={errors.reason ? true : undefined}
            className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1 text-sm"
            placeholder="Told to the course's staff"
          />
          <FieldError errors={errors.reason} id={`${reasonId}-error`} />
        </div>
        <FieldError errors={errors.form} />
        <div className="flex justify-end gap-2">
          <button
            type="button"
            onClick={() => dialog.current?.close()}
            className="rounded-md border border-slate-300 px-3 py-1.5 text-sm"
          >
            Cancel
          </button>
          <button
            type="submit"
            disabled={mutation.isPending}
            className={`rounded-md px-3 py-1.5 text-sm font-medium text-white disabled:opacity-50 ${
              texts.isDangerous ? "bg-red-700" : "bg-brand-600"
            }`}
          >
            {texts.label}
          </button>
        </div>
      </form>
    </dialog>
  );
}
