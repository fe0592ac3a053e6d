"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
import { estimateHubCost, type CostEstimate } from "@hubfed/core/estimate";
import {
  type clouds,
  defaultDraft,
  importantDateKinds,
  validateForSubmission,
  type HubRequestDraft,
} from "@hubfed/core/request-form";
import { splitSavableDraft } from "@hubfed/core/request-draft";
import {
  hubInterfaceLabels,
  hubInterfaces,
  identityProviders,
  type HubInterface,
} from "@hubfed/hub-spec";
import { formatCents, weekdayNames } from "~/lib/format";
import { readPath, removePath, writePath } from "~/lib/paths";
import { useTRPC } from "~/trpc/react";
import { RequestSummary } from "../request-summary";
import { Field, ListInput, NumberInput, SelectInput, TextInput } from "./fields";

type RequestOptions = Array<{
  slug: string;
  name: string;
  currency: string;
  clouds: Array<(typeof clouds)[number]>;
  images: Array<{ name: string; image: string; description: string }>;
  defaults: {
    interface: HubInterface;
    memoryGuaranteeMib: number;
    memoryLimitMib: number;
    cpuGuaranteeMilli: number;
    cpuLimitMilli: number;
    storageGib: number;
  };
  pricingByCloud: Record<string, Parameters<typeof estimateHubCost>[1]>;
}>;

const steps = [
  { id: "institution", title: "Institution", sections: ["institution"] },
  { id: "course", title: "Course", sections: ["course"] },
  { id: "schedule", title: "Schedule", sections: ["schedule"] },
  { id: "resources", title: "Students & resources", sections: ["audience", "resources"] },
  { id: "environment", title: "Environment & sign-in", sections: ["environment", "identity"] },
  { id: "placement", title: "Placement & review", sections: ["placement"] },
] as const;

const memoryChoices = [512, 1024, 2048, 4096, 8192];
const cpuChoices = [100, 250, 500, 1000, 2000, 4000];

/** What an autosave would send for this draft: a save happens only when it changes. */
function savedKeyOf(draft: HubRequestDraft): string {
  const savable = splitSavableDraft(draft);
  return JSON.stringify({ draft: savable.draft, withheld: savable.withheldPaths });
}

/** A select's value: undefined (showing "Choose…") when nothing is held, never a default it does not hold. */
function optionValue(held: number | undefined): string | undefined {
  return held === undefined ? undefined : String(held);
}

function serverFieldErrors(error: unknown): Record<string, string[]> {
  const data = (error as { data?: { fieldErrors?: Record<string, string[]> | null } } | null)?.data;
  const errors: Record<string, string[]> = {};
  for (const [key, messages] of Object.entries(data?.fieldErrors ?? {}))
    errors[key.replace(/^draft\./, "")] = messages;
  return errors;
}

function estimateOf(
  draft: HubRequestDraft,
  options: RequestOptions | undefined,
): { estimate: CostEstimate; currency: string } | undefined {
  const region =
    options?.find((candidate) => candidate.slug === draft.placement?.preferredRegion) ??
    options?.[0];
  if (!region) return undefined;
  const pricing =
    (draft.placement?.preferredCloud && region.pricingByCloud[draft.placement.preferredCloud]) ||
    Object.values(region.pricingByCloud)[0];
  const { course, audience, resources, schedule } = draft;
  if (!pricing || !course?.startDate || !course.endDate || course.endDate <= course.startDate)
    return undefined;
  if (
    !audience?.expectedEnrollment ||
    !audience.expectedConcurrentUsers ||
    !resources?.memoryGuaranteeMib ||
    !resources.cpuGuaranteeMilli ||
    !resources.storageGib
  )
    return undefined;
  try {
    const estimate = estimateHubCost(
      {
        startDate: course.startDate,
        endDate: course.endDate,
        meetings: (schedule?.meetings ?? []).filter((meeting) => meeting.durationMinutes > 0),
        expectedEnrollment: audience.expectedEnrollment,
        expectedConcurrentUsers: audience.expectedConcurrentUsers,
        memoryGuaranteeMib: resources.memoryGuaranteeMib,
        cpuGuaranteeMilli: resources.cpuGuaranteeMilli,
        storageGib: resources.storageGib,
      },
      pricing,
    );
    return { estimate, currency: pricing.currency };
  } catch {
    return undefined;
  }
}

export function RequestForm({
  requestId: initialRequestId,
  requesterEmailDomain,
}: {
  requestId?: string;
  requesterEmailDomain?: string;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const options = useQuery(trpc.request.options.queryOptions());
  const existing = useQuery({
    ...trpc.request.get.queryOptions({ requestId: initialRequestId ?? "" }),
    enabled: Boolean(initialRequestId),
  });
  const [requestId, setRequestId] = useState(initialRequestId);
  const [draft, setDraft] = useState<HubRequestDraft>();
  const [stepIndex, setStepIndex] = useState(0);
  const [touched, setTouched] = useState<Set<string>>(new Set());
  // Steps the person has left: their problems are outlined from then on.
  const [visitedSteps, setVisitedSteps] = useState<Set<number>>(new Set());
  const [isShowingAllErrors, setIsShowingAllErrors] = useState(false);
  const [nextBlockedStep, setNextBlockedStep] = useState<number>();
  // Fields the last save left out because their value is not valid yet (their saved value stands).
  const [withheldPaths, setWithheldPaths] = useState<string[]>([]);
  const [saveState, setSaveState] = useState<"idle" | "saving" | "saved" | "error">("idle");
  const [serverErrors, setServerErrors] = useState<Record<string, string[]>>({});
  const lastSaved = useRef<string>("");

  // Start from the saved draft, or from the region's defaults for a new request.
  useEffect(() => {
    if (draft) return;
    if (initialRequestId && existing.data) {
      const loaded = existing.data.form as HubRequestDraft;
      setDraft(loaded);
      lastSaved.current = savedKeyOf(loaded);
    } else if (!initialRequestId && options.data?.[0]) {
      const initial = defaultDraft({
        emailDomain: requesterEmailDomain,
        defaults: options.data[0].defaults,
      });
      setDraft(initial);
      // Nothing is saved until the person changes something: opening the form makes no draft.
      lastSaved.current = savedKeyOf(initial);
    }
  }, [draft, initialRequestId, existing.data, options.data, requesterEmailDomain]);

  const saveDraft = useMutation(trpc.request.saveDraft.mutationOptions());
  const submit = useMutation(trpc.request.submit.mutationOptions());

  // Autosave: a moment after the last keystroke, save what is valid.
  useEffect(() => {
    if (!draft) return;
    const savable = splitSavableDraft(draft);
    const serialized = savedKeyOf(draft);
    if (serialized === lastSaved.current) return;
    const timer = setTimeout(() => {
      setSaveState("saving");
      saveDraft.mutate(
        { requestId, draft: savable.draft, withheldPaths: savable.withheldPaths },
        {
          onSuccess: (saved) => {
            lastSaved.current = serialized;
            setServerErrors({});
            setWithheldPaths(savable.withheldPaths);
            setSaveState("saved");
            if (!requestId) {
              setRequestId(saved.id);
              window.history.replaceState(null, "", `/request?id=${saved.id}`);
            }
          },
          onError: (error) => {
            setServerErrors(serverFieldErrors(error));
            setSaveState("error");
          },
        },
      );
    }, 600);
    return () => clearTimeout(timer);
    // Re-run only when the draft or its id changes: saveDraft is a new object every render.
  }, [draft, requestId]);

  const clientErrors = useMemo(
    () => (draft ? (validateForSubmission(draft).fieldErrors ?? {}) : {}),
    [draft],
  );
  const estimate = useMemo(
    () => (draft ? estimateOf(draft, options.data) : undefined),
    [draft, options.data],
  );

  if (options.isError) return <p role="alert">Could not load the form: {options.error.message}</p>;
  if (existing.isError)
    return <p role="alert">Could not load this request: {existing.error.message}</p>;
  if (!draft || !options.data) return <p className="text-slate-500">Loading the form…</p>;

  const status = existing.data?.status ?? "DRAFT";
  const isEditable = status === "DRAFT" || status === "CHANGES_REQUESTED";
  const step = steps[stepIndex] ?? steps[0];

  const isWithheld = (path: string) =>
    withheldPaths.some((withheld) => path === withheld || path.startsWith(`${withheld}.`));
  const errorsFor = (path: string): string[] | undefined => {
    const isShown =
      isShowingAllErrors || touched.has(path) || isWithheld(path) || nextBlockedStep === stepIndex;
    const messages = [
      ...(serverErrors[path] ?? []),
      ...(isShown ? (clientErrors[path] ?? []) : []),
    ];
    return messages.length ? [...new Set(messages)] : undefined;
  };
  const set = (path: string, value: unknown) => {
    setDraft((current) => writePath(current ?? {}, path, value));
    setTouched((current) => new Set(current).add(path));
  };
  const value = <T,>(path: string) => readPath(draft, path) as T | undefined;
  /** A list field's own errors and its entries' ("…contentSources.2"), together. */
  const errorsUnder = (path: string): string[] | undefined => {
    const keys = [...Object.keys(clientErrors), ...Object.keys(serverErrors)].filter(
      (key) => key === path || key.startsWith(`${path}.`),
    );
    const messages = [...new Set(keys.flatMap((key) => errorsFor(key) ?? []))];
    return messages.length > 0 ? messages : undefined;
  };
  const isInStep = (index: number, key: string) =>
    steps[index]?.sections.some((section) => key === section || key.startsWith(`${section}.`)) ??
    false;
  const stepHasErrors = (index: number) =>
    [...Object.keys(clientErrors), ...Object.keys(serverErrors)].some((key) =>
      isInStep(index, key),
    );
  const goToStep = (index: number) => {
    setVisitedSteps((current) => new Set(current).add(stepIndex));
    setNextBlockedStep(undefined);
    setStepIndex(index);
  };
  const region =
    options.data.find((candidate) => candidate.slug === draft.placement?.preferredRegion) ??
    options.data[0];

  const text = (
    path: string,
    label: string,
    extra: { hint?: string; type?: string; placeholder?: string } = {},
  ) => (
    <Field path={path} label={label} hint={extra.hint} errors={errorsFor(path)}>
      <TextInput
        path={path}
        value={value<string>(path)}
        onChange={(next) => set(path, next)}
        hasError={Boolean(errorsFor(path))}
        type={extra.type}
        placeholder={extra.placeholder}
      />
    </Field>
  );
  const number = (path: string, label: string, hint?: string) => (
    <Field path={path} label={label} hint={hint} errors={errorsFor(path)}>
      <NumberInput
        path={path}
        value={value<number>(path)}
        onChange={(next) => set(path, next)}
        hasError={Boolean(errorsFor(path))}
      />
    </Field>
  );

  async function handleSubmit() {
    setIsShowingAllErrors(true);
    const firstErrorStep = steps.findIndex((_, index) => stepHasErrors(index));
    if (firstErrorStep >= 0) {
      setStepIndex(firstErrorStep);
      return;
    }
    if (!draft) return;
    const saved = await saveDraft.mutateAsync({ requestId, draft }).catch((error: unknown) => {
      setServerErrors(serverFieldErrors(error));
      return undefined;
    });
    if (!saved) return;
    lastSaved.current = savedKeyOf(draft);
    await submit.mutateAsync({ requestId: saved.id }).then(
      () => {
        // The status page must not show the cached status from before the submission.
        void queryClient.invalidateQueries({
          queryKey: trpc.request.get.queryKey({ requestId: saved.id }),
        });
        router.push(`/requests/${saved.id}`);
      },
      (error: unknown) => setServerErrors(serverFieldErrors(error)),
    );
  }

  return (
    <div className="grid gap-8 lg:grid-cols-[1fr_320px]">
      <div className="space-y-6">
        <ol className="flex flex-wrap gap-2" aria-label="Steps">
          {steps.map((candidate, index) => (
            <li key={candidate.id}>
              <button
                type="button"
                onClick={() => goToStep(index)}
                aria-current={index === stepIndex ? "step" : undefined}
                className={`rounded-full px-3 py-1 text-sm ${index === stepIndex ? "bg-brand-600 text-white" : "bg-white text-slate-700"} ${(isShowingAllErrors || visitedSteps.has(index)) && stepHasErrors(index) ? "ring-2 ring-red-500" : index === stepIndex ? "" : "ring-1 ring-slate-300"}`}
                data-has-errors={stepHasErrors(index) ? "true" : undefined}
              >
                {index + 1}. {candidate.title}
              </button>
            </li>
          ))}
        </ol>
        <p className="text-xs text-slate-500" data-testid="save-state" aria-live="polite">
          {saveState === "saving"
            ? "Saving draft…"
            : saveState === "saved"
              ? withheldPaths.length > 0
                ? `Draft saved, except ${withheldPaths.length === 1 ? "1 field that needs" : `${withheldPaths.length} fields that need`} fixing (marked in red; the saved value stands until then)`
                : "Draft saved"
              : saveState === "error"
                ? "Some fields could not be saved — see the messages"
                : "Drafts save automatically"}
        </p>
        {!isEditable ? (
          <p role="status" className="rounded-md bg-slate-100 p-3 text-sm">
            This request is {status.toLowerCase().replaceAll("_", " ")} and can no longer be edited.
          </p>
        ) : null}

        <fieldset
          disabled={!isEditable}
          className="space-y-5 rounded-lg border border-slate-200 bg-white p-6 shadow-sm"
        >
          <legend className="px-1 text-lg font-semibold">{step.title}</legend>

          {step.id === "institution" ? (
            <>
              {text("institution.name", "Institution name", { placeholder: "West Valley College" })}
              <Field
                path="institution.emailDomains"
                label="Email domains"
                hint="Comma-separated, e.g. college.edu, students.college.edu"
                errors={
                  errorsFor("institution.emailDomains") ?? errorsFor("institution.emailDomains.0")
                }
              >
                <ListInput
                  path="institution.emailDomains"
                  value={draft.institution?.emailDomains}
                  onChange={(next) => set("institution.emailDomains", next)}
                  hasError={Boolean(errorsFor("institution.emailDomains"))}
                />
              </Field>
              <div className="space-y-3">
                <h3 className="text-sm font-semibold">Contacts</h3>
                {errorsFor("institution.contacts") ? (
                  <p role="alert" className="text-sm text-red-700">
                    Contacts {errorsFor("institution.contacts")?.join("; ")}
                  </p>
                ) : null}
                {(draft.institution?.contacts ?? []).map((_, index) => (
                  <div
                    key={index}
                    className="grid gap-3 rounded-md border border-slate-200 p-3 md:grid-cols-3"
                  >
                    {text(`institution.contacts.${index}.name`, "Contact name")}
                    {text(`institution.contacts.${index}.email`, "Contact email", {
                      type: "email",
                    })}
                    {text(`institution.contacts.${index}.role`, "Contact role", {
                      placeholder: "IT, faculty…",
                    })}
                    <button
                      type="button"
                      onClick={() => setDraft(removePath(draft, `institution.contacts.${index}`))}
                      className="text-left text-sm text-red-700 underline"
                    >
                      Remove contact
                    </button>
                  </div>
                ))}
                <button
                  type="button"
                  onClick={() =>
                    set(`institution.contacts.${draft.institution?.contacts?.length ?? 0}`, {
                      name: "",
                      email: "",
                      role: "",
                    })
                  }
                  className="rounded-md border border-slate-300 px-3 py-1.5 text-sm"
                >
                  Add a contact
                </button>
              </div>
            </>
          ) : null}

          {step.id === "course" ? (
            <div className="grid gap-4 md:grid-cols-2">
              {text("course.code", "Course code", { placeholder: "DATA 101" })}
              {text("course.title", "Course title", { placeholder: "Foundations of Data Science" })}
              {text("course.term", "Term", { placeholder: "Spring 2027" })}
              {text("course.timezone", "Time zone", { placeholder: "America/Los_Angeles" })}
              {text("course.startDate", "Start date", { type: "date" })}
              {text("course.endDate", "End date", { type: "date" })}
              {text("course.lmsCourseId", "LMS course id (optional)", {
                hint: "For a later LMS integration, e.g. a Canvas course id.",
              })}
            </div>
          ) : null}

          {step.id === "schedule" ? (
            <>
              <div className="space-y-3">
                <h3 className="text-sm font-semibold">Weekly meetings</h3>
                <p className="text-xs text-slate-500">
                  Lectures and labs when everyone starts a server at once; capacity is reserved
                  ahead of them.
                </p>
                {(draft.schedule?.meetings ?? []).map((_, index) => (
                  <div
                    key={index}
                    className="grid gap-3 rounded-md border border-slate-200 p-3 md:grid-cols-4"
                  >
                    {text(`schedule.meetings.${index}.label`, "Label")}
                    <Field
                      path={`schedule.meetings.${index}.dayOfWeek`}
                      label="Day"
                      errors={errorsFor(`schedule.meetings.${index}.dayOfWeek`)}
                    >
                      <SelectInput
                        path={`schedule.meetings.${index}.dayOfWeek`}
                        value={optionValue(value<number>(`schedule.meetings.${index}.dayOfWeek`))}
                        onChange={(next) =>
                          set(`schedule.meetings.${index}.dayOfWeek`, Number(next))
                        }
                        options={weekdayNames.map((name, day) => ({
                          value: String(day + 1),
                          label: name,
                        }))}
                        hasError={false}
                      />
                    </Field>
                    {text(`schedule.meetings.${index}.startTime`, "Starts at", { type: "time" })}
                    {number(`schedule.meetings.${index}.durationMinutes`, "Minutes")}
                    <button
                      type="button"
                      onClick={() => setDraft(removePath(draft, `schedule.meetings.${index}`))}
                      className="text-left text-sm text-red-700 underline"
                    >
                      Remove meeting
                    </button>
                  </div>
                ))}
                <button
                  type="button"
                  onClick={() =>
                    set(`schedule.meetings.${draft.schedule?.meetings?.length ?? 0}`, {
                      label: "Lecture",
                      dayOfWeek: 1,
                      startTime: "10:00",
                      durationMinutes: 50,
                    })
                  }
                  className="rounded-md border border-slate-300 px-3 py-1.5 text-sm"
                >
                  Add a weekly meeting
                </button>
              </div>
              <div className="space-y-3">
                <h3 className="text-sm font-semibold">Important dates</h3>
                <p className="text-xs text-slate-500">
                  Exams and assignment releases, in the course&apos;s time zone.
                </p>
                {(draft.schedule?.importantDates ?? []).map((_, index) => (
                  <div
                    key={index}
                    className="grid gap-3 rounded-md border border-slate-200 p-3 md:grid-cols-4"
                  >
                    <Field
                      path={`schedule.importantDates.${index}.kind`}
                      label="Kind"
                      errors={errorsFor(`schedule.importantDates.${index}.kind`)}
                    >
                      <SelectInput
                        path={`schedule.importantDates.${index}.kind`}
                        value={value<(typeof importantDateKinds)[number]>(
                          `schedule.importantDates.${index}.kind`,
                        )}
                        onChange={(next) => set(`schedule.importantDates.${index}.kind`, next)}
                        options={importantDateKinds.map((kind) => ({
                          value: kind,
                          label: kind.replaceAll("_", " ").toLowerCase(),
                        }))}
                        hasError={false}
                      />
                    </Field>
                    {text(`schedule.importantDates.${index}.title`, "Title")}
                    {text(`schedule.importantDates.${index}.startsAt`, "Starts", {
                      type: "datetime-local",
                    })}
                    {text(`schedule.importantDates.${index}.endsAt`, "Ends (optional)", {
                      type: "datetime-local",
                    })}
                    <button
                      type="button"
                      onClick={() =>
                        setDraft(removePath(draft, `schedule.importantDates.${index}`))
                      }
                      className="text-left text-sm text-red-700 underline"
                    >
                      Remove date
                    </button>
                  </div>
                ))}
                {errorsFor("schedule.importantDates") ? (
                  <p role="alert" className="text-sm text-red-700">
                    Important dates {errorsFor("schedule.importantDates")?.join("; ")}
                  </p>
                ) : null}
                <button
                  type="button"
                  onClick={() =>
                    set(`schedule.importantDates.${draft.schedule?.importantDates?.length ?? 0}`, {
                      kind: "EXAM",
                      title: "Midterm",
                      startsAt: `${draft.course?.startDate ?? "2027-01-01"}T10:00`,
                    })
                  }
                  className="rounded-md border border-slate-300 px-3 py-1.5 text-sm"
                >
                  Add an important date
                </button>
              </div>
            </>
          ) : null}

          {step.id === "resources" ? (
            <div className="grid gap-4 md:grid-cols-2">
              {number(
                "audience.expectedEnrollment",
                "Expected enrollment",
                "Students who will use the hub this term.",
              )}
              {number(
                "audience.expectedConcurrentUsers",
                "Students at the same time",
                "The most at once, usually everyone in a lab or lecture.",
              )}
              <Field
                path="resources.memoryGuaranteeMib"
                label="Memory per student (guaranteed)"
                hint="What each server is given and what the hub pays for: the main driver of cost."
                errors={errorsFor("resources.memoryGuaranteeMib")}
              >
                <SelectInput
                  path="resources.memoryGuaranteeMib"
                  value={optionValue(draft.resources?.memoryGuaranteeMib)}
                  onChange={(next) => set("resources.memoryGuaranteeMib", Number(next))}
                  options={memoryChoices.map((mib) => ({
                    value: String(mib),
                    label: mib >= 1024 ? `${mib / 1024} GiB` : `${mib} MiB`,
                  }))}
                  hasError={Boolean(errorsFor("resources.memoryGuaranteeMib"))}
                />
              </Field>
              <Field
                path="resources.memoryLimitMib"
                label="Memory per student (limit)"
                hint="A server may burst up to this when the node has room; it is not billed."
                errors={errorsFor("resources.memoryLimitMib")}
              >
                <SelectInput
                  path="resources.memoryLimitMib"
                  value={optionValue(draft.resources?.memoryLimitMib)}
                  onChange={(next) => set("resources.memoryLimitMib", Number(next))}
                  options={memoryChoices.map((mib) => ({
                    value: String(mib),
                    label: mib >= 1024 ? `${mib / 1024} GiB` : `${mib} MiB`,
                  }))}
                  hasError={Boolean(errorsFor("resources.memoryLimitMib"))}
                />
              </Field>
              <Field
                path="resources.cpuGuaranteeMilli"
                label="CPU per student (guaranteed)"
                hint="Most notebooks need a quarter of a core; more fits fewer students per node."
                errors={errorsFor("resources.cpuGuaranteeMilli")}
              >
                <SelectInput
                  path="resources.cpuGuaranteeMilli"
                  value={optionValue(draft.resources?.cpuGuaranteeMilli)}
                  onChange={(next) => set("resources.cpuGuaranteeMilli", Number(next))}
                  options={cpuChoices.map((milli) => ({
                    value: String(milli),
                    label: `${milli / 1000} CPU`,
                  }))}
                  hasError={Boolean(errorsFor("resources.cpuGuaranteeMilli"))}
                />
              </Field>
              <Field
                path="resources.cpuLimitMilli"
                label="CPU per student (limit)"
                errors={errorsFor("resources.cpuLimitMilli")}
              >
                <SelectInput
                  path="resources.cpuLimitMilli"
                  value={optionValue(draft.resources?.cpuLimitMilli)}
                  onChange={(next) => set("resources.cpuLimitMilli", Number(next))}
                  options={cpuChoices.map((milli) => ({
                    value: String(milli),
                    label: `${milli / 1000} CPU`,
                  }))}
                  hasError={Boolean(errorsFor("resources.cpuLimitMilli"))}
                />
              </Field>
              {number(
                "resources.storageGib",
                "Storage per student (GiB)",
                "Each student's home directory, kept for the whole term.",
              )}
            </div>
          ) : null}

          {step.id === "environment" ? (
            <div className="grid gap-4 md:grid-cols-2">
              <div className="md:col-span-2">
                <Field
                  path="environment.contentSources"
                  label="Where your course material lives (GitHub)"
                  hint="Comma-separated organisations or repositories, e.g. github.com/your-college-data8. Content links may only pull from these; you can change them later on the course's Links page."
                  errors={errorsUnder("environment.contentSources")}
                >
                  <ListInput
                    path="environment.contentSources"
                    value={draft.environment?.contentSources}
                    onChange={(next) => set("environment.contentSources", next)}
                    hasError={Boolean(errorsFor("environment.contentSources"))}
                  />
                </Field>
              </div>
              <Field
                path="environment.interface"
                label="Interface"
                errors={errorsFor("environment.interface")}
              >
                <SelectInput
                  path="environment.interface"
                  value={draft.environment?.interface}
                  onChange={(next) => set("environment.interface", next)}
                  options={hubInterfaces.map((item) => ({
                    value: item,
                    label: hubInterfaceLabels[item],
                  }))}
                  hasError={false}
                />
              </Field>
              <Field
                path="environment.image"
                label="Image"
                hint={
                  draft.environment?.image?.kind === "curated"
                    ? region?.images.find(
                        (image) =>
                          image.name === (draft.environment?.image as { name?: string }).name,
                      )?.description
                    : "A public image with a tag; it must be based on a Jupyter stack."
                }
                errors={errorsFor("environment.image") ?? errorsFor("environment.image.reference")}
              >
                <SelectInput
                  path="environment.image"
                  value={
                    draft.environment?.image?.kind === "custom"
                      ? "custom"
                      : ((draft.environment?.image as { name?: string } | undefined)?.name ??
                        undefined)
                  }
                  onChange={(next) =>
                    set(
                      "environment.image",
                      next === "custom"
                        ? { kind: "custom", reference: "" }
                        : { kind: "curated", name: next },
                    )
                  }
                  options={[
                    ...(region?.images ?? []).map((image) => ({
                      value: image.name,
                      label: `${image.name} — ${image.image}`,
                    })),
                    { value: "custom", label: "A custom image…" },
                  ]}
                  hasError={false}
                />
              </Field>
              {draft.environment?.image?.kind === "custom"
                ? text("environment.image.reference", "Custom image reference", {
                    placeholder: "quay.io/your-org/your-image:2027-01",
                  })
                : null}
              <Field
                path="identity.provider"
                label="Sign-in for students"
                errors={errorsFor("identity.provider")}
              >
                <SelectInput
                  path="identity.provider"
                  value={draft.identity?.provider}
                  onChange={(next) => set("identity.provider", next)}
                  options={identityProviders.map((provider) => ({
                    value: provider,
                    label: {
                      oidc: "Our institution's sign-in (OpenID Connect)",
                      google: "Google accounts",
                      github: "GitHub accounts",
                    }[provider],
                  }))}
                  hasError={false}
                />
              </Field>
              {draft.identity?.provider === "oidc"
                ? text("identity.issuerUrl", "OpenID Connect issuer URL", {
                    placeholder: "https://login.college.edu",
                  })
                : null}
              <Field
                path="identity.allowedEmailDomains"
                label="Allowed email domains"
                hint="Only accounts with these email domains may sign in."
                errors={
                  errorsFor("identity.allowedEmailDomains") ??
                  errorsFor("identity.allowedEmailDomains.0")
                }
              >
                <ListInput
                  path="identity.allowedEmailDomains"
                  value={draft.identity?.allowedEmailDomains}
                  onChange={(next) => set("identity.allowedEmailDomains", next)}
                  hasError={Boolean(errorsFor("identity.allowedEmailDomains"))}
                />
              </Field>
            </div>
          ) : null}

          {step.id === "placement" ? (
            <div className="grid gap-4 md:grid-cols-2">
              <Field
                path="placement.preferredRegion"
                label="Preferred region"
                errors={errorsFor("placement.preferredRegion")}
              >
                <SelectInput
                  path="placement.preferredRegion"
                  value={draft.placement?.preferredRegion}
                  onChange={(next) => set("placement.preferredRegion", next)}
                  options={options.data.map((candidate) => ({
                    value: candidate.slug,
                    label: candidate.name,
                  }))}
                  hasError={Boolean(errorsFor("placement.preferredRegion"))}
                />
              </Field>
              <Field
                path="placement.preferredCloud"
                label="Preferred cloud (optional)"
                errors={errorsFor("placement.preferredCloud")}
              >
                <SelectInput
                  path="placement.preferredCloud"
                  value={draft.placement?.preferredCloud}
                  onChange={(next) => set("placement.preferredCloud", next)}
                  options={(region?.clouds ?? []).map((cloud) => ({
                    value: cloud,
                    label: cloud.toUpperCase(),
                  }))}
                  hasError={false}
                />
              </Field>
              <div className="md:col-span-2">
                <Field
                  path="placement.fundingNote"
                  label="Funding note (optional)"
                  hint="A grant or budget that covers this course, if any."
                  errors={errorsFor("placement.fundingNote")}
                >
                  <textarea
                    id="field-placement-fundingNote"
                    value={draft.placement?.fundingNote ?? ""}
                    onChange={(event) =>
                      set("placement.fundingNote", event.target.value || undefined)
                    }
                    rows={3}
                    className="w-full rounded-md border border-slate-300 px-3 py-2 text-sm"
                  />
                </Field>
              </div>
              <div className="md:col-span-2">
                <h3 className="text-base font-semibold">What you will submit</h3>
                <p className="text-sm text-slate-600">
                  Ops review exactly this; the steps above change it.
                </p>
                <RequestSummary form={draft} regionName={region?.name} />
              </div>
            </div>
          ) : null}
        </fieldset>

        <div className="flex items-center justify-between">
          <button
            type="button"
            disabled={stepIndex === 0}
            onClick={() => goToStep(stepIndex - 1)}
            className="rounded-md border border-slate-300 px-4 py-2 text-sm disabled:opacity-40"
          >
            Back
          </button>
          {stepIndex < steps.length - 1 ? (
            <button
              type="button"
              onClick={() => {
                // Next checks the step: its problems show on their fields and it stays until they
                // are fixed (the step buttons above still go anywhere, to come back later).
                if (stepHasErrors(stepIndex)) {
                  setNextBlockedStep(stepIndex);
                  return;
                }
                goToStep(stepIndex + 1);
              }}
              className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white"
            >
              Next
            </button>
          ) : (
            <button
              type="button"
              disabled={!isEditable || submit.isPending}
              onClick={() => void handleSubmit()}
              className="rounded-md bg-green-700 px-4 py-2 text-sm font-semibold text-white disabled:opacity-50"
            >
              {status === "CHANGES_REQUESTED" ? "Resubmit for review" : "Submit for review"}
            </button>
          )}
        </div>
        {nextBlockedStep === stepIndex && stepHasErrors(stepIndex) ? (
          <p role="alert" className="text-sm text-red-700" data-testid="step-errors">
            Fix the fields marked in red to go on, or pick another step above and come back later.
          </p>
        ) : null}
        {isShowingAllErrors && Object.keys({ ...clientErrors, ...serverErrors }).length > 0 ? (
          <p role="alert" className="text-sm text-red-700" data-testid="form-errors">
            {Object.keys({ ...clientErrors, ...serverErrors }).length} field(s) need attention:{" "}
            {steps
              .filter((_, index) => stepHasErrors(index))
              .map((candidate) => candidate.title)
              .join(", ")}
            . Those steps are outlined in red.
          </p>
        ) : null}
      </div>

      <aside
        className="h-fit space-y-3 rounded-lg border border-slate-200 bg-white p-5 shadow-sm lg:sticky lg:top-6"
        aria-labelledby="estimate-heading"
        data-testid="estimate"
      >
        <h2 id="estimate-heading" className="text-lg font-semibold">
          Cost estimate
        </h2>
        {estimate ? (
          <>
            <p>
              <span className="text-3xl font-bold" data-testid="estimate-total">
                {formatCents(estimate.estimate.totalCents, estimate.currency)}
              </span>
              <span className="text-slate-500"> for the term</span>
            </p>
            <p data-testid="estimate-per-student">
              <strong>
                {formatCents(estimate.estimate.perStudentMonthCents, estimate.currency)}
              </strong>{" "}
              per student per month
            </p>
            <details className="text-sm text-slate-600">
              <summary className="cursor-pointer">How this is computed</summary>
              <ul className="mt-2 list-disc space-y-1 pl-5">
                {estimate.estimate.assumptions.map((assumption) => (
                  <li key={assumption}>{assumption}</li>
                ))}
              </ul>
            </details>
          </>
        ) : (
          <p className="text-sm text-slate-600">
            Fill in the course dates, students and resources to see what the hub will cost.
          </p>
        )}
      </aside>
    </div>
  );
}
