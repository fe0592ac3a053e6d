"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { RosterImportResult, RosterPreview } from "@hubfed/core";
import { useTRPC } from "~/trpc/react";
import { FieldError } from "~/components/form/field-error";
import { buttonClass, inputClass, secondaryButtonClass } from "~/components/form/form-classes";
import { fieldErrorsOrMessage } from "~/lib/field-errors";
import { WideTable } from "~/components/wide-table";

const outcomeLabels: Record<RosterPreview["rows"][number]["outcome"], string> = {
  "create-and-enroll": "New account, will be enrolled",
  enroll: "Will be enrolled",
  "already-enrolled": "Already enrolled",
  error: "Not imported",
};

/** Roster CSV import: paste or upload, preview every row with its error, then import. */
export function RosterImport({ courseSlug }: { courseSlug: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [csv, setCsv] = useState("");
  const [preview, setPreview] = useState<RosterPreview | null>(null);
  const [result, setResult] = useState<RosterImportResult | null>(null);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const previewMutation = useMutation(
    trpc.enrollment.previewRoster.mutationOptions({
      onSuccess: (data) => {
        setErrors({});
        setResult(null);
        setPreview(data);
      },
      onError: (error) => {
        setPreview(null);
        setErrors(fieldErrorsOrMessage(error));
      },
    }),
  );
  const importMutation = useMutation(
    trpc.enrollment.importRoster.mutationOptions({
      onSuccess: (data) => {
        setResult(data);
        setPreview(null);
        router.refresh();
      },
      onError: (error) => setErrors(fieldErrorsOrMessage(error)),
    }),
  );
  const importable = preview ? preview.counts["create-and-enroll"] + preview.counts.enroll : 0;

  return (
    <section aria-labelledby="import-heading" data-testid="roster-import">
      <h2 id="import-heading" className="text-xl font-semibold">
        Import a roster
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        A CSV with a header row: <code>email</code> (required), <code>name</code> and{" "}
        <code>role</code> (empty or <code>student</code>). Other columns are ignored. Staff are
        invited below, not imported.
      </p>
      <form
        className="mt-3 space-y-3 rounded-lg border border-slate-200 bg-white p-4"
        onSubmit={(event) => {
          event.preventDefault();
          previewMutation.mutate({ courseSlug, csv });
        }}
      >
        <label className="block text-sm">
          Upload a CSV file
          <input
            type="file"
            accept=".csv,text/csv"
            className="mt-1 block text-sm"
            onChange={(event) => {
              const file = event.target.files?.[0];
              if (file)
                void file.text().then((text) => {
                  setCsv(text);
                  setPreview(null);
                });
            }}
          />
        </label>
        <label className="block text-sm">
          Roster CSV
          <textarea
            value={csv}
            onChange={(event) => {
              setCsv(event.target.value);
              setPreview(null);
            }}
            rows={6}
            placeholder={"email,name\nada@example.edu,Ada Lovelace"}
            className={`${inputClass} font-mono`}
            aria-invalid={errors.csv ? true : undefined}
          />
          <FieldError errors={errors.csv} />
        </label>
        <FieldError errors={errors.form ?? errors.digest} />
        <button
          type="submit"
          disabled={previewMutation.isPending || !csv}
          className={secondaryButtonClass}
        >
          {previewMutation.isPending ? "Checking every row…" : "Preview"}
        </button>
      </form>

      {preview ? (
        <div className="mt-4 space-y-3" data-testid="roster-preview">
          <p className="text-sm" data-testid="preview-summary">
            {importable} to enroll ({preview.counts["create-and-enroll"]} new accounts),{" "}
            {preview.counts["already-enrolled"]} already enrolled, {preview.counts.error} with
            errors.
            {preview.ignoredColumns.length > 0
              ? ` Ignored columns: ${preview.ignoredColumns.join(", ")}.`
              : ""}
          </p>
          <WideTable className="w-full rounded-lg border border-slate-200 bg-white text-sm">
            <thead className="bg-slate-50 text-left text-slate-600">
              <tr>
                <th className="p-2">Line</th>
                <th className="p-2">Email</th>
                <th className="p-2">Name</th>
                <th className="p-2">Outcome</th>
              </tr>
            </thead>
            <tbody>
              {preview.rows.map((row) => (
                <tr
                  key={row.line}
                  data-testid="preview-row"
                  data-outcome={row.outcome}
                  className={`border-t border-slate-100 ${row.outcome === "error" ? "bg-red-50" : ""}`}
                >
                  <td className="p-2">{row.line}</td>
                  <td className="p-2">{row.email || "—"}</td>
                  <td className="p-2">{row.name ?? "—"}</td>
                  <td className="p-2">
                    {outcomeLabels[row.outcome]}
                    {row.errors.length > 0 ? (
                      <span className="block text-red-700" data-testid="row-error">
                        {row.errors.join("; ")}
                      </span>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </WideTable>
          <button
            type="button"
            className={buttonClass}
            disabled={importMutation.isPending || importable === 0}
            onClick={() => importMutation.mutate({ courseSlug, csv, digest: preview.digest })}
          >
            {importMutation.isPending ? "Importing" : "Import"} {importable}{" "}
            {importable === 1 ? "person" : "people"}
            {importMutation.isPending ? "…" : ""}
          </button>
          {importMutation.isPending ? (
            <p role="status" className="text-sm text-slate-600">
              Creating accounts and enrollments in one step; a full roster takes a few seconds.
            </p>
          ) : null}
        </div>
      ) : null}

      {result ? (
        <div
          role="status"
          className="mt-4 rounded-lg border border-green-200 bg-green-50 p-4 text-sm"
          data-testid="import-result"
        >
          Enrolled {result.enrolled} ({result.createdAccounts} new accounts);{" "}
          {result.alreadyEnrolled} were already enrolled.
          {result.rejected.length > 0 ? (
            <ul className="mt-2 list-disc pl-5 text-red-800">
              {result.rejected.map((row) => (
                <li key={row.line}>
                  Line {row.line} ({row.email || "no email"}) was not imported:{" "}
                  {row.errors.join("; ")}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
