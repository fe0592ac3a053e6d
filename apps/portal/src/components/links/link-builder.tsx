"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { FieldError } from "~/components/form/field-error";
import { buttonClass, inputClass } from "~/components/form/form-classes";
import { fieldErrorsOrMessage } from "~/lib/field-errors";
import { useTRPC } from "~/trpc/react";
import { linkInterfaceLabels } from "./link-interfaces";

const interfaces = Object.entries(linkInterfaceLabels).map(([value, label]) => ({
  value: value as keyof typeof linkInterfaceLabels,
  label,
}));

const emptyDraft = {
  title: "",
  repositoryUrl: "",
  branch: "main",
  path: "",
  interface: "LAB",
  targetPath: "",
};

/** The content link builder: every field is checked in core, errors come back beside their field. */
export function LinkBuilder({
  courseSlug,
  allowList,
  unavailableInterfaces = [],
}: {
  courseSlug: string;
  allowList: string[];
  /** Interfaces this course's hub cannot open (a hub on the portal's VM), with the reason. */
  unavailableInterfaces?: Array<{ interface: string; reason: string }>;
}) {
  const offered = interfaces.filter(
    (option) => !unavailableInterfaces.some((entry) => entry.interface === option.value),
  );
  const trpc = useTRPC();
  const router = useRouter();
  const [draft, setDraft] = useState(emptyDraft);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [published, setPublished] = useState<{ code: string; note: string | null } | undefined>();
  const create = useMutation(
    trpc.link.create.mutationOptions({
      onSuccess: (link) => {
        setErrors({});
        setPublished({ code: link.code, note: link.verificationMessage });
        setDraft({ ...emptyDraft, repositoryUrl: draft.repositoryUrl, branch: draft.branch });
        router.refresh();
      },
      onError: (error) => {
        setPublished(undefined);
        setErrors(fieldErrorsOrMessage(error));
      },
    }),
  );
  const field = (name: keyof typeof emptyDraft) => ({
    id: `link-${name}`,
    name,
    value: draft[name],
    onChange: (event: { target: { value: string } }) =>
      setDraft((current) => ({ ...current, [name]: event.target.value })),
    "aria-invalid": errors[name] ? true : undefined,
    "aria-describedby": errors[name] ? `link-${name}-error` : undefined,
  });

  return (
    <form
      aria-labelledby="link-builder-heading"
      className="space-y-4 rounded-lg border border-slate-200 bg-white p-5"
      onSubmit={(event) => {
        event.preventDefault();
        create.mutate({
          courseSlug,
          ...draft,
          targetPath: draft.targetPath.trim() === "" ? undefined : draft.targetPath,
        });
      }}
    >
      <div>
        <h2 id="link-builder-heading" className="text-xl font-semibold">
          Publish a content link
        </h2>
        <p className="text-sm text-slate-600">
          Students who open the link get a fresh copy of the material in their own server, and keep
          their changes when you update it. Allowed repositories:{" "}
          {allowList.length > 0
            ? allowList.join(", ")
            : "none yet: add the course's GitHub organisation under Allowed repositories above"}
          .
        </p>
      </div>
      <div className="grid gap-4 md:grid-cols-2">
        <div className="md:col-span-2">
          <label htmlFor="link-title" className="block text-sm font-medium">
            Title
          </label>
          <input {...field("title")} className={inputClass} placeholder="Lab 1: tables" />
          <FieldError id="link-title-error" errors={errors.title} />
        </div>
        <div className="md:col-span-2">
          <label htmlFor="link-repositoryUrl" className="block text-sm font-medium">
            Repository (HTTPS)
          </label>
          <input
            {...field("repositoryUrl")}
            className={inputClass}
            placeholder="https://github.com/your-org/your-repository"
            inputMode="url"
            autoComplete="off"
          />
          <FieldError id="link-repositoryUrl-error" errors={errors.repositoryUrl} />
        </div>
        <div>
          <label htmlFor="link-branch" className="block text-sm font-medium">
            Branch
          </label>
          <input {...field("branch")} className={inputClass} autoComplete="off" />
          <FieldError id="link-branch-error" errors={errors.branch} />
        </div>
        <div>
          <label htmlFor="link-path" className="block text-sm font-medium">
            File or folder in the repository
          </label>
          <input
            {...field("path")}
            className={inputClass}
            placeholder="lab01/lab01.ipynb (empty: the whole repository)"
            autoComplete="off"
          />
          <FieldError id="link-path-error" errors={errors.path} />
        </div>
        <div>
          <label htmlFor="link-interface" className="block text-sm font-medium">
            Open in
          </label>
          <select {...field("interface")} className={inputClass}>
            {offered.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
          {unavailableInterfaces.map((entry) => (
            <p key={entry.interface} className="mt-1 text-xs text-slate-500">
              {linkInterfaceLabels[entry.interface as keyof typeof linkInterfaceLabels] ??
                entry.interface}{" "}
              is not offered: {entry.reason}
            </p>
          ))}
          <FieldError id="link-interface-error" errors={errors.interface} />
        </div>
        <div>
          <label htmlFor="link-targetPath" className="block text-sm font-medium">
            Folder in the student&apos;s home (optional)
          </label>
          <input
            {...field("targetPath")}
            className={inputClass}
            placeholder="the repository's name"
            autoComplete="off"
          />
          <FieldError id="link-targetPath-error" errors={errors.targetPath} />
        </div>
      </div>
      <FieldError errors={errors.form ?? errors.input} />
      {published ? (
        <p role="status" className="rounded-md bg-green-50 p-3 text-sm text-green-900">
          Published at /i/{published.code}.{published.note ? ` ${published.note}` : ""}
        </p>
      ) : null}
      <button type="submit" className={buttonClass} disabled={create.isPending}>
        {create.isPending ? "Checking with GitHub…" : "Publish link"}
      </button>
    </form>
  );
}
