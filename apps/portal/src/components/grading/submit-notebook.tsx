"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { FieldError } from "~/components/form/field-error";
import { buttonClass } from "~/components/form/form-classes";
import { fieldErrorsOrMessage } from "~/lib/field-errors";
import { useTRPC } from "~/trpc/react";

/** Submitting a notebook downloaded from one's hub (the other way is submit() in the notebook). */
export function SubmitNotebook({
  courseSlug,
  assignmentSlug,
  notebookName,
}: {
  courseSlug: string;
  assignmentSlug: string;
  notebookName: string;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const [file, setFile] = useState<{ name: string; text: string } | undefined>();
  const [errors, setErrors] = useState<string[] | undefined>();
  const [receipt, setReceipt] = useState<string | undefined>();
  // A new key empties the file input once its notebook was sent.
  const [inputKey, setInputKey] = useState(0);
  const submit = useMutation(
    trpc.grading.submit.mutationOptions({
      onSuccess: (result) => {
        setErrors(undefined);
        setReceipt(result.message);
        setFile(undefined);
        setInputKey((key) => key + 1);
        router.refresh();
      },
      onError: (error) => {
        setReceipt(undefined);
        setErrors(Object.values(fieldErrorsOrMessage(error)).flat());
      },
    }),
  );
  return (
    <form
      aria-labelledby="submit-notebook-heading"
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-4"
      onSubmit={(event) => {
        event.preventDefault();
        if (!file) {
          setErrors(["Choose your notebook (.ipynb) first."]);
          return;
        }
        submit.mutate({ courseSlug, assignmentSlug, notebook: file.text });
      }}
    >
      <h2 id="submit-notebook-heading" className="text-lg font-semibold">
        Submit a notebook
      </h2>
      <p className="text-sm text-slate-600">
        In your hub, download {notebookName} (File → Download), then choose it here. You can also
        run <code>submit()</code> in the notebook itself.
      </p>
      <div>
        <label htmlFor="submit-notebook-file" className="block text-sm font-medium">
          Notebook (.ipynb)
        </label>
        <input
          key={inputKey}
          id="submit-notebook-file"
          data-testid="submit-notebook-file"
          type="file"
          accept=".ipynb,application/x-ipynb+json"
          className="mt-1 block text-sm file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5 file:text-sm hover:file:bg-slate-50"
          onChange={(event) => {
            const chosen = event.target.files?.[0];
            setReceipt(undefined);
            if (!chosen) return setFile(undefined);
            if (!chosen.name.toLowerCase().endsWith(".ipynb")) {
              setFile(undefined);
              setErrors([`${chosen.name} is not a notebook: choose the .ipynb file.`]);
              return;
            }
            void chosen.text().then(
              (text) => {
                setErrors(undefined);
                setFile({ name: chosen.name, text });
              },
              () => setErrors([`Could not read ${chosen.name}.`]),
            );
          }}
        />
      </div>
      <FieldError errors={errors} />
      {receipt ? (
        <p
          role="status"
          data-testid="submission-receipt"
          className="rounded-md bg-green-50 p-3 text-sm text-green-900"
        >
          {receipt}
        </p>
      ) : null}
      <button type="submit" className={buttonClass} disabled={submit.isPending || !file}>
        {submit.isPending ? "Submitting…" : "Submit notebook"}
      </button>
    </form>
  );
}
