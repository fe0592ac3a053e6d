"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type ReactNode } from "react";
import { FieldError } from "~/components/form/field-error";
import { buttonClass, inputClass, secondaryButtonClass } from "~/components/form/form-classes";
import { fieldErrorsOrMessage } from "~/lib/field-errors";
import { useTRPC } from "~/trpc/react";
import {
  hiddenResultsOptions,
  latePolicyOptions,
  type HiddenResultsName,
  type LatePolicyName,
} from "./grading-format";

export interface AssignmentSettingsValues {
  title: string;
  dueLocal: string;
  timeZone: string;
  latePolicy: LatePolicyName;
  latePenaltyPercentPerDay: number | null;
  points: number;
  attemptsAllowed: number | null;
  hiddenResults: HiddenResultsName;
}

interface UploadedFile {
  path: string;
  contentBase64: string;
  size: number;
}

type MaterialKind = "keep" | "repository" | "upload";

/** Every field as typed (strings), so nothing typed is lost when the server refuses it. */
interface Draft {
  title: string;
  dueLocal: string;
  timeZone: string;
  latePolicy: LatePolicyName;
  latePenaltyPercentPerDay: string;
  points: string;
  attemptsAllowed: string;
  hiddenResults: HiddenResultsName;
  materialKind: MaterialKind;
  repositoryUrl: string;
  branch: string;
  path: string;
}

// The fields that show their own errors; anything else the server says goes under the form.
const fieldKeys = [
  "title",
  "dueLocal",
  "timeZone",
  "latePolicy",
  "latePenaltyPercentPerDay",
  "points",
  "attemptsAllowed",
  "hiddenResults",
  "material.repositoryUrl",
  "material.branch",
  "material.path",
  "material",
];

function draftOf(
  initial: AssignmentSettingsValues | undefined,
  defaultTimeZone: string,
  repository: { url: string; branch: string; path: string } | null | undefined,
  isEdit: boolean,
): Draft {
  return {
    title: initial?.title ?? "",
    dueLocal: initial?.dueLocal ?? "",
    timeZone: initial?.timeZone ?? defaultTimeZone,
    latePolicy: initial?.latePolicy ?? "NONE",
    latePenaltyPercentPerDay:
      initial?.latePenaltyPercentPerDay === null || initial?.latePenaltyPercentPerDay === undefined
        ? "10"
        : String(initial.latePenaltyPercentPerDay),
    points: initial ? String(initial.points) : "10",
    attemptsAllowed:
      initial?.attemptsAllowed === null || initial?.attemptsAllowed === undefined
        ? ""
        : String(initial.attemptsAllowed),
    hiddenResults: initial?.hiddenResults ?? "AFTER_DUE",
    materialKind: isEdit ? "keep" : "repository",
    repositoryUrl: repository?.url ?? "",
    branch: repository?.branch ?? "main",
    path: repository?.path ?? "",
  };
}

/** A number field as the API takes it: empty is null, anything else a number (the server says what is wrong). */
function numberOrNull(value: string): number | null {
  return value.trim() === "" ? null : Number(value);
}

/** zod's "expected number, received null" in words a person would use. */
function readable(errors: Record<string, string[]>): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const [key, messages] of Object.entries(errors))
    result[key] = messages.map((message) =>
      /expected number/i.test(message)
        ? key === "points"
          ? "Give the points the assignment is worth."
          : "Give a whole number."
        : message,
    );
  return result;
}

/** Where an uploaded file goes: a folder pick keeps its layout; a loose .py file is a test. */
function pathOf(file: File): string {
  const relative = file.webkitRelativePath;
  if (relative) return relative.split("/").slice(1).join("/") || file.name;
  return file.name.toLowerCase().endsWith(".py") ? `tests/${file.name}` : file.name;
}

function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = typeof reader.result === "string" ? reader.result : "";
      resolve(url.slice(url.indexOf(",") + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error(`Could not read ${file.name}`));
    reader.readAsDataURL(file);
  });
}

/** "tests/q1.py: tests/q1.py line 4: …" reads "tests/q1.py line 4: …". */
function withoutRepeatedFile(problem: string): string {
  const colon = problem.indexOf(": ");
  const file = problem.slice(0, colon);
  return colon > 0 && problem.startsWith(file, colon + 2) ? problem.slice(colon + 2) : problem;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function describeFile(path: string): string {
  const lower = path.toLowerCase();
  if (lower.endsWith(".ipynb")) return "student notebook";
  if (lower.endsWith(".zip")) return "Otter autograder";
  if (lower.startsWith("tests/") && lower.endsWith(".py")) return "test";
  return "support file";
}

/**
 * The assignment's settings and material, for a new assignment or an existing
 * one. Every field is checked in core; errors come back beside their field.
 */
export function AssignmentForm({
  courseSlug,
  courseTimeZone,
  timeZones,
  edit,
}: {
  courseSlug: string;
  courseTimeZone: string;
  timeZones: string[];
  edit?: {
    assignmentSlug: string;
    settings: AssignmentSettingsValues;
    repository: { url: string; branch: string; path: string } | null;
    notebookName: string;
    hasSubmissions: boolean;
  };
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const isEdit = edit !== undefined;
  const idPrefix = isEdit ? "edit-assignment" : "new-assignment";
  const [draft, setDraft] = useState<Draft>(() =>
    draftOf(edit?.settings, courseTimeZone, edit?.repository, isEdit),
  );
  const [files, setFiles] = useState<UploadedFile[]>([]);
  const [reading, setReading] = useState(false);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [saved, setSaved] = useState<string | undefined>();

  const onError = (error: unknown) => {
    setSaved(undefined);
    setErrors(readable(fieldErrorsOrMessage(error)));
  };
  const create = useMutation(
    trpc.grading.create.mutationOptions({
      onSuccess: (created) => {
        setErrors({});
        router.push(
          `/courses/${encodeURIComponent(courseSlug)}/assignments/${encodeURIComponent(created.slug)}`,
        );
      },
      onError,
    }),
  );
  const update = useMutation(
    trpc.grading.update.mutationOptions({
      onSuccess: (updated) => {
        setErrors({});
        setSaved(
          draft.materialKind === "keep"
            ? "Settings saved."
            : `Saved; the material is now revision ${updated.materialRevision}.${
                edit?.hasSubmissions
                  ? " Use Regrade all to grade work already submitted with it."
                  : ""
              }`,
        );
        setDraft((current) => ({ ...current, materialKind: "keep" }));
        setFiles([]);
        router.refresh();
      },
      onError,
    }),
  );
  const isPending = create.isPending || update.isPending;

  const zones = timeZones.includes(draft.timeZone) ? timeZones : [draft.timeZone, ...timeZones];
  const id = (name: string) => `${idPrefix}-${name.replace(".", "-")}`;
  const describedBy = (name: string) => (errors[name] ? `${id(name)}-error` : undefined);
  const text = (name: keyof Draft) => ({
    id: id(name),
    name,
    value: draft[name],
    onChange: (event: { target: { value: string } }) =>
      setDraft((current) => ({ ...current, [name]: event.target.value })),
    "aria-invalid": errors[name] ? true : undefined,
    "aria-describedby": describedBy(name),
  });
  const set = (patch: Partial<Draft>) => setDraft((current) => ({ ...current, ...patch }));

  async function addFiles(list: FileList | null) {
    if (!list || list.length === 0) return;
    setReading(true);
    try {
      const read = await Promise.all(
        [...list].map(async (file) => ({
          path: pathOf(file),
          contentBase64: await readBase64(file),
          size: file.size,
        })),
      );
      setFiles((current) => {
        const byPath = new Map(current.map((file) => [file.path, file]));
        for (const file of read) byPath.set(file.path, file);
        return [...byPath.values()].sort((a, b) => a.path.localeCompare(b.path));
      });
    } catch (error) {
      setErrors({ material: [error instanceof Error ? error.message : String(error)] });
    } finally {
      setReading(false);
    }
  }

  function submit() {
    const settings = {
      title: draft.title,
      dueLocal: draft.dueLocal,
      timeZone: draft.timeZone,
      latePolicy: draft.latePolicy,
      latePenaltyPercentPerDay:
        draft.latePolicy === "PENALTY_PER_DAY"
          ? numberOrNull(draft.latePenaltyPercentPerDay)
          : null,
      points: numberOrNull(draft.points),
      attemptsAllowed: numberOrNull(draft.attemptsAllowed),
      hiddenResults: draft.hiddenResults,
    };
    const source =
      draft.materialKind === "repository"
        ? {
            kind: "repository" as const,
            repositoryUrl: draft.repositoryUrl,
            branch: draft.branch,
            path: draft.path,
          }
        : draft.materialKind === "upload"
          ? {
              kind: "upload" as const,
              files: files.map(({ path, contentBase64 }) => ({ path, contentBase64 })),
            }
          : undefined;
    if (draft.materialKind === "upload" && files.length === 0) {
      setErrors({ material: ["Add the student notebook and its tests."] });
      return;
    }
    if (edit) update.mutate({ courseSlug, assignmentSlug: edit.assignmentSlug, settings, source });
    else if (source) create.mutate({ courseSlug, settings, source });
  }

  const otherErrors = Object.entries(errors)
    .filter(([key]) => !fieldKeys.includes(key))
    .flatMap(([key, messages]) =>
      key === "form" || key === "input" ? messages : messages.map((m) => `${key}: ${m}`),
    );

  return (
    <form
      aria-labelledby={`${idPrefix}-heading`}
      data-testid={isEdit ? "edit-assignment-form" : "new-assignment-form"}
      className="space-y-6 rounded-lg border border-slate-200 bg-white p-5"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
      noValidate
    >
      <div>
        <h2 id={`${idPrefix}-heading`} className="text-xl font-semibold">
          {isEdit ? "Settings" : "New assignment"}
        </h2>
        {isEdit ? null : (
          <p className="text-sm text-slate-600">
            A notebook and its tests in the format Otter-Grader uses. The tests are read, not run,
            when you save; the assignment stays a draft until you publish it.
          </p>
        )}
      </div>

      <div className="grid gap-4 md:grid-cols-2">
        <div className="md:col-span-2">
          <Label htmlFor={id("title")}>Title</Label>
          <input {...text("title")} className={inputClass} placeholder="Homework 1: tables" />
          <FieldError id={`${id("title")}-error`} errors={errors.title} />
        </div>
        <div>
          <Label htmlFor={id("dueLocal")}>Due</Label>
          <input {...text("dueLocal")} type="datetime-local" className={inputClass} />
          <FieldError id={`${id("dueLocal")}-error`} errors={errors.dueLocal} />
        </div>
        <div>
          <Label htmlFor={id("timeZone")}>Time zone</Label>
          <select {...text("timeZone")} className={inputClass}>
            {zones.map((zone) => (
              <option key={zone} value={zone}>
                {zone}
                {!isEdit && zone === courseTimeZone ? " (the course's)" : ""}
              </option>
            ))}
          </select>
          <FieldError id={`${id("timeZone")}-error`} errors={errors.timeZone} />
        </div>
        <div>
          <Label htmlFor={id("points")}>Points</Label>
          <input {...text("points")} type="number" min={1} step={1} className={inputClass} />
          <FieldError id={`${id("points")}-error`} errors={errors.points} />
        </div>
        <div>
          <Label htmlFor={id("attemptsAllowed")}>Attempts allowed</Label>
          <input
            {...text("attemptsAllowed")}
            type="number"
            min={1}
            step={1}
            className={inputClass}
            placeholder="unlimited"
          />
          <p className="mt-1 text-xs text-slate-500">
            Empty: unlimited. The latest attempt counts.
          </p>
          <FieldError id={`${id("attemptsAllowed")}-error`} errors={errors.attemptsAllowed} />
        </div>
      </div>

      <fieldset>
        <legend className="text-sm font-medium">Late work</legend>
        <div className="mt-2 space-y-2">
          {latePolicyOptions.map((option) => (
            <label key={option.value} className="flex items-start gap-2 text-sm">
              <input
                type="radio"
                name={`${idPrefix}-latePolicy`}
                value={option.value}
                aria-label={option.label}
                aria-describedby={`${idPrefix}-latePolicy-${option.value}`}
                checked={draft.latePolicy === option.value}
                onChange={() => set({ latePolicy: option.value })}
                className="mt-1"
              />
              <span>
                <span className="font-medium">{option.label}</span>{" "}
                <span className="text-slate-600" id={`${idPrefix}-latePolicy-${option.value}`}>
                  — {option.explanation}
                </span>
              </span>
            </label>
          ))}
        </div>
        {draft.latePolicy === "PENALTY_PER_DAY" ? (
          <div className="mt-3 max-w-xs pl-6">
            <Label htmlFor={id("latePenaltyPercentPerDay")}>Penalty per day late (%)</Label>
            <input
              {...text("latePenaltyPercentPerDay")}
              type="number"
              min={1}
              max={100}
              step={1}
              className={inputClass}
            />
            <FieldError
              id={`${id("latePenaltyPercentPerDay")}-error`}
              errors={errors.latePenaltyPercentPerDay}
            />
          </div>
        ) : null}
        <FieldError errors={errors.latePolicy} />
      </fieldset>

      <fieldset>
        <legend className="text-sm font-medium">Hidden test results</legend>
        <p className="text-xs text-slate-500">
          When students see the results of the hidden tests, and with them their full score.
        </p>
        <div className="mt-2 space-y-2">
          {hiddenResultsOptions.map((option) => (
            <label key={option.value} className="flex items-start gap-2 text-sm">
              <input
                type="radio"
                name={`${idPrefix}-hiddenResults`}
                value={option.value}
                aria-label={option.label}
                aria-describedby={`${idPrefix}-hiddenResults-${option.value}`}
                checked={draft.hiddenResults === option.value}
                onChange={() => set({ hiddenResults: option.value })}
                className="mt-1"
              />
              <span>
                <span className="font-medium">{option.label}</span>{" "}
                <span className="text-slate-600" id={`${idPrefix}-hiddenResults-${option.value}`}>
                  — {option.explanation}
                </span>
              </span>
            </label>
          ))}
        </div>
        <FieldError errors={errors.hiddenResults} />
      </fieldset>

      <fieldset>
        <legend className="text-sm font-medium">Material</legend>
        {edit ? (
          <p className="text-xs text-slate-500">
            Now: {edit.notebookName}
            {edit.repository
              ? ` from ${edit.repository.url} (${edit.repository.branch}${edit.repository.path ? `, ${edit.repository.path}` : ""})`
              : " (uploaded)"}
            . New material applies to new submissions; work already graded keeps its score until you
            regrade it.
          </p>
        ) : null}
        <div className="mt-2 flex flex-wrap gap-x-6 gap-y-2 text-sm">
          {(
            [
              ...(edit ? [["keep", "Keep the current material"] as const] : []),
              [
                "repository",
                edit ? "Refresh from the repository" : "From the course's content repository",
              ],
              ["upload", edit ? "Upload new files" : "Upload files"],
            ] as const
          ).map(([kind, label]) => (
            <label key={kind} className="flex items-center gap-2">
              <input
                type="radio"
                name={`${idPrefix}-materialKind`}
                value={kind}
                checked={draft.materialKind === kind}
                onChange={() => set({ materialKind: kind })}
              />
              {label}
            </label>
          ))}
        </div>

        {draft.materialKind === "repository" ? (
          <div className="mt-3 grid gap-4 md:grid-cols-2">
            <div className="md:col-span-2">
              <Label htmlFor={id("material.repositoryUrl")}>Repository URL</Label>
              <input
                {...text("repositoryUrl")}
                id={id("material.repositoryUrl")}
                aria-invalid={errors["material.repositoryUrl"] ? true : undefined}
                aria-describedby={describedBy("material.repositoryUrl")}
                className={inputClass}
                placeholder="https://github.com/your-org/course-materials"
                inputMode="url"
                autoComplete="off"
              />
              <FieldError
                id={`${id("material.repositoryUrl")}-error`}
                errors={errors["material.repositoryUrl"]}
              />
            </div>
            <div>
              <Label htmlFor={id("material.branch")}>Branch</Label>
              <input
                {...text("branch")}
                id={id("material.branch")}
                aria-invalid={errors["material.branch"] ? true : undefined}
                aria-describedby={describedBy("material.branch")}
                className={inputClass}
                autoComplete="off"
              />
              <FieldError
                id={`${id("material.branch")}-error`}
                errors={errors["material.branch"]}
              />
            </div>
            <div>
              <Label htmlFor={id("material.path")}>Folder</Label>
              <input
                {...text("path")}
                id={id("material.path")}
                aria-invalid={errors["material.path"] ? true : undefined}
                aria-describedby={describedBy("material.path")}
                className={inputClass}
                placeholder="hw01 (holds the notebook and tests/)"
                autoComplete="off"
              />
              <FieldError id={`${id("material.path")}-error`} errors={errors["material.path"]} />
            </div>
          </div>
        ) : null}

        {draft.materialKind === "upload" ? (
          <div className="mt-3 space-y-3">
            <p className="text-xs text-slate-500">
              The student notebook (.ipynb) and either its tests (tests/q1.py, …) or one Otter
              autograder.zip; any other file (data, images) is copied next to the notebook. Loose
              .py files go under tests/; add a whole directory to keep its layout.
            </p>
            <div className="flex flex-wrap items-center gap-3">
              <label htmlFor={id("files")} className={`${secondaryButtonClass} cursor-pointer`}>
                Add files
              </label>
              <input
                id={id("files")}
                data-testid="assignment-files"
                aria-label="Assignment files"
                type="file"
                multiple
                accept=".ipynb,.py,.zip,.csv,.txt,.json,.png,.jpg,.jpeg,.gif,.svg,.tsv,.xlsx,.parquet,*/*"
                className="sr-only"
                onChange={(event) => {
                  void addFiles(event.target.files);
                  event.target.value = "";
                }}
              />
              <label htmlFor={id("directory")} className={`${secondaryButtonClass} cursor-pointer`}>
                Add a whole directory
              </label>
              <input
                id={id("directory")}
                aria-label="Upload a whole directory"
                type="file"
                className="sr-only"
                {...{ webkitdirectory: "", directory: "" }}
                onChange={(event) => {
                  void addFiles(event.target.files);
                  event.target.value = "";
                }}
              />
              {reading ? <span className="text-sm text-slate-500">Reading files…</span> : null}
            </div>
            {files.length > 0 ? (
              <div>
                <p className="text-sm font-medium">Files that will be sent</p>
                <ul
                  className="mt-1 divide-y divide-slate-100 rounded-md border border-slate-200 text-sm"
                  data-testid="upload-list"
                >
                  {files.map((file) => (
                    <li
                      key={file.path}
                      className="flex items-center justify-between gap-3 px-3 py-1.5"
                    >
                      <span className="min-w-0 break-all">
                        <code>{file.path}</code>{" "}
                        <span className="text-xs text-slate-500">
                          {describeFile(file.path)} · {formatBytes(file.size)}
                        </span>
                      </span>
                      <button
                        type="button"
                        className="shrink-0 text-xs text-red-700 hover:underline"
                        aria-label={`Remove ${file.path}`}
                        onClick={() =>
                          setFiles((current) => current.filter((other) => other.path !== file.path))
                        }
                      >
                        Remove
                      </button>
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
          </div>
        ) : null}
        {errors.material ? (
          <div
            role="alert"
            data-testid="material-errors"
            className="mt-3 rounded-md bg-red-50 p-3 text-sm text-red-800"
          >
            <p className="font-medium">The material needs fixing:</p>
            <ul className="mt-1 list-disc pl-5">
              {errors.material.map((problem) => (
                <li key={problem}>{withoutRepeatedFile(problem)}</li>
              ))}
            </ul>
          </div>
        ) : null}
      </fieldset>

      {otherErrors.length > 0 ? <FieldError errors={otherErrors} /> : null}
      {saved ? (
        <p role="status" className="rounded-md bg-green-50 p-3 text-sm text-green-900">
          {saved}
        </p>
      ) : null}
      <button type="submit" className={buttonClass} disabled={isPending || reading}>
        {isPending
          ? draft.materialKind === "repository"
            ? "Reading the repository…"
            : "Saving…"
          : isEdit
            ? "Save changes"
            : "Create assignment"}
      </button>
    </form>
  );
}

function Label({ htmlFor, children }: { htmlFor: string; children: ReactNode }) {
  return (
    <label htmlFor={htmlFor} className="block text-sm font-medium">
      {children}
    </label>
  );
}
