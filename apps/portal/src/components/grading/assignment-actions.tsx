"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { FieldError } from "~/components/form/field-error";
import { buttonClass, secondaryButtonClass } from "~/components/form/form-classes";
import { useTRPC } from "~/trpc/react";

/** Publish (a draft), the link students open with its copy button, archive and regrade. */
export function AssignmentActions({
  courseSlug,
  assignmentSlug,
  state,
  linkCode,
  portalOrigin,
  submissions,
}: {
  courseSlug: string;
  assignmentSlug: string;
  state: "draft" | "published" | "archived";
  linkCode: string | null;
  portalOrigin: string;
  submissions: number;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const [error, setError] = useState<string | undefined>();
  const [note, setNote] = useState<string | undefined>();
  const [copied, setCopied] = useState(false);
  const ids = { courseSlug, assignmentSlug };
  const onError = (failure: { message: string }) => {
    setNote(undefined);
    setError(failure.message);
  };
  const publish = useMutation(
    trpc.grading.publish.mutationOptions({
      onSuccess: () => {
        setError(undefined);
        setNote("Published: students see it on their assignments page.");
        router.refresh();
      },
      onError,
    }),
  );
  const archive = useMutation(
    trpc.grading.archive.mutationOptions({
      onSuccess: () => {
        setError(undefined);
        setNote("Archived: it takes no more submissions; grades stay.");
        router.refresh();
      },
      onError,
    }),
  );
  const regrade = useMutation(
    trpc.grading.regrade.mutationOptions({
      onSuccess: ({ queued }) => {
        setError(undefined);
        setNote(
          queued === 1
            ? "1 submission queued for grading."
            : `${queued} submissions queued for grading.`,
        );
        router.refresh();
      },
      onError,
    }),
  );
  const isBusy = publish.isPending || archive.isPending || regrade.isPending;
  const linkUrl = linkCode ? `${portalOrigin}/i/${linkCode}` : undefined;

  return (
    <div className="space-y-3" data-testid="assignment-actions">
      {state !== "draft" && linkCode && linkUrl ? (
        <div className="rounded-md border border-slate-200 bg-slate-50 p-3 text-sm">
          <p className="font-medium">
            {state === "archived" ? "Retired link" : "Link for students"}
          </p>
          <p className="mt-1 text-slate-600">
            {state === "archived"
              ? "Archived: the link no longer opens the assignment."
              : "Opens each student's hub and fetches the assignment into their server. Post it in your LMS or course page."}
          </p>
          <div className="mt-2 flex flex-wrap items-center gap-2">
            <a
              href={`/i/${encodeURIComponent(linkCode)}`}
              data-testid="assignment-link"
              className="break-all font-mono text-brand-700 hover:underline"
            >
              {linkUrl}
            </a>
            {state === "published" ? (
              <button
                type="button"
                className={secondaryButtonClass}
                onClick={() => {
                  void navigator.clipboard.writeText(linkUrl).then(() => {
                    setCopied(true);
                    window.setTimeout(() => setCopied(false), 2000);
                  });
                }}
              >
                {copied ? "Copied" : "Copy link"}
              </button>
            ) : null}
          </div>
        </div>
      ) : null}
      <div className="flex flex-wrap gap-2">
        {state === "draft" ? (
          <button
            type="button"
            className={buttonClass}
            disabled={isBusy}
            onClick={() => publish.mutate(ids)}
          >
            {publish.isPending ? "Publishing…" : "Publish"}
          </button>
        ) : null}
        {submissions > 0 ? (
          <button
            type="button"
            className={secondaryButtonClass}
            disabled={isBusy}
            onClick={() => {
              if (
                window.confirm(
                  `Grade all ${submissions === 1 ? "1 submission" : `${submissions} submissions`} again with the current material? Scores change when the tests did.`,
                )
              )
                regrade.mutate(ids);
            }}
          >
            {regrade.isPending ? "Queuing…" : "Regrade all"}
          </button>
        ) : null}
        {state !== "archived" ? (
          <button
            type="button"
            className={`${secondaryButtonClass} text-red-700`}
            disabled={isBusy}
            onClick={() => {
              if (
                window.confirm(
                  "Archive this assignment? Students can no longer open or submit it; grades stay in the gradebook. This cannot be undone.",
                )
              )
                archive.mutate(ids);
            }}
          >
            {archive.isPending ? "Archiving…" : "Archive"}
          </button>
        ) : null}
      </div>
      {note ? (
        <p role="status" className="text-sm text-green-800">
          {note}
        </p>
      ) : null}
      <FieldError errors={error ? [error] : undefined} />
    </div>
  );
}
