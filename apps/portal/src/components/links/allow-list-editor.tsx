"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { fieldErrorsOrMessage } from "~/lib/field-errors";
import { useTRPC } from "~/trpc/react";
import { FieldError } from "~/components/form/field-error";

/**
 * The course's allowed repositories: GitHub organisations or repositories,
 * one a line. Each line's problem is shown under the list with its line.
 */
export function AllowListEditor({
  courseSlug,
  allowList,
  canEdit,
}: {
  courseSlug: string;
  allowList: string[];
  canEdit: boolean;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const [text, setText] = useState(allowList.join("\n"));
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [savedNote, setSavedNote] = useState<string>();
  const lines = text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");
  const update = useMutation(
    trpc.link.updateAllowList.mutationOptions({
      onSuccess: (result) => {
        setErrors({});
        setText(result.allowList.join("\n"));
        setSavedNote(
          result.allowList.length > 0
            ? `Saved: links may come from ${result.allowList.join(", ")}.`
            : "Saved: no repositories are allowed, so no new links can be published.",
        );
        router.refresh();
      },
      onError: (error) => {
        setSavedNote(undefined);
        setErrors(fieldErrorsOrMessage(error));
      },
    }),
  );
  // Errors come back per entry ("2": […]); show them with the line they are about.
  const lineErrors = Object.entries(errors).flatMap(([key, messages]) =>
    /^\d+$/.test(key) ? messages.map((message) => `${lines[Number(key)] ?? ""}: ${message}`) : [],
  );
  const otherErrors = Object.entries(errors)
    .filter(([key]) => !/^\d+$/.test(key))
    .flatMap(([, messages]) => messages);

  return (
    <section
      aria-labelledby="allow-list-heading"
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-5"
      data-testid="allow-list"
    >
      <h2 id="allow-list-heading" className="text-xl font-semibold">
        Allowed repositories
      </h2>
      <p className="text-sm text-slate-600">
        Content links of this course may only pull from these GitHub organisations or repositories,
        so a link cannot be turned into a way to plant someone else&apos;s code in students&apos;
        servers.
      </p>
      {canEdit ? (
        <form
          className="space-y-3"
          onSubmit={(event) => {
            event.preventDefault();
            update.mutate({ courseSlug, entries: lines });
          }}
        >
          <label htmlFor="allow-list-entries" className="block text-sm font-medium">
            One a line, e.g. github.com/your-organisation or github.com/your-organisation/materials
          </label>
          <textarea
            id="allow-list-entries"
            value={text}
            onChange={(event) => {
              setText(event.target.value);
              setSavedNote(undefined);
            }}
            rows={Math.max(3, lines.length + 1)}
            aria-invalid={lineErrors.length + otherErrors.length > 0 ? true : undefined}
            aria-describedby="allow-list-errors"
            className="w-full rounded-md border border-slate-300 px-3 py-2 font-mono text-sm"
          />
          <FieldError id="allow-list-errors" errors={[...lineErrors, ...otherErrors]} />
          <div className="flex items-center gap-3">
            <button
              type="submit"
              disabled={update.isPending}
              className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white disabled:opacity-50"
            >
              {update.isPending ? "Saving…" : "Save allowed repositories"}
            </button>
            {savedNote ? (
              <p role="status" className="text-sm text-green-800">
                {savedNote}
              </p>
            ) : null}
          </div>
        </form>
      ) : (
        <p className="text-sm" data-testid="allow-list-entries">
          {allowList.length > 0
            ? allowList.join(", ")
            : "None yet: an instructor of the course adds them here."}
        </p>
      )}
    </section>
  );
}
