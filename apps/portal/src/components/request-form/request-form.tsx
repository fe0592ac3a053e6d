"use client";

import { useMemo, useState } from "react";
import { validateForSubmission } from "@hubfed/core/request-form";
import { estimateOf } from "./cost-estimate";
import { bindDraft } from "./draft-binding";
import { EstimatePanel } from "./estimate-panel";
import { preferredRegionOf } from "./request-options";
import { SaveStateNote } from "./save-state-note";
import { StepAlerts, StepButtons, StepList } from "./step-navigation";
import { CourseStep } from "./steps/course-step";
import { EnvironmentStep } from "./steps/environment-step";
import { InstitutionStep } from "./steps/institution-step";
import { PlacementStep } from "./steps/placement-step";
import { ResourcesStep } from "./steps/resources-step";
import { ScheduleStep } from "./steps/schedule-step";
import { useRequestDraft } from "./use-request-draft";
import { useStepNavigation } from "./use-step-navigation";

/**
 * The hub request form at /request: six steps over one draft that saves itself, the cost estimate
 * beside it, and Submit on the last step. Problems show on their fields: once touched, once Next
 * is refused on their step, and all of them once Submit is tried.
 */
export function RequestForm({
  requestId,
  requesterEmailDomain,
}: {
  requestId?: string;
  requesterEmailDomain?: string;
}) {
  const {
    options,
    existing,
    draft,
    setDraft,
    withheldPaths,
    saveState,
    serverErrors,
    saveAndSubmit,
    isSubmitting,
  } = useRequestDraft({ requestId, requesterEmailDomain });
  const [touched, setTouched] = useState<Set<string>>(new Set());

  const clientErrors = useMemo(
    () => (draft ? (validateForSubmission(draft).fieldErrors ?? {}) : {}),
    [draft],
  );
  const errorKeys = Object.keys({ ...clientErrors, ...serverErrors });
  const navigation = useStepNavigation(errorKeys);
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
  const { step } = navigation;
  const region = preferredRegionOf(draft, options.data);

  // A withheld field failed the last save: its problem shows even before it is touched again.
  const isWithheld = (path: string) =>
    withheldPaths.some((withheld) => path === withheld || path.startsWith(`${withheld}.`));
  const form = bindDraft({
    draft,
    setDraft,
    setTouched,
    clientErrors,
    serverErrors,
    isShown: (path) =>
      navigation.isShowingAllErrors ||
      touched.has(path) ||
      isWithheld(path) ||
      navigation.isNextBlocked,
  });

  async function handleSubmit() {
    if (!navigation.checkAllSteps()) return;
    await saveAndSubmit();
  }

  return (
    <div className="grid gap-8 lg:grid-cols-[1fr_320px]">
      <div className="space-y-6">
        <StepList navigation={navigation} />
        <SaveStateNote saveState={saveState} withheldPaths={withheldPaths} />
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
          {step.id === "institution" ? <InstitutionStep form={form} /> : null}
          {step.id === "course" ? <CourseStep form={form} /> : null}
          {step.id === "schedule" ? <ScheduleStep form={form} /> : null}
          {step.id === "resources" ? <ResourcesStep form={form} /> : null}
          {step.id === "environment" ? <EnvironmentStep form={form} region={region} /> : null}
          {step.id === "placement" ? (
            <PlacementStep form={form} regions={options.data} region={region} />
          ) : null}
        </fieldset>

        <StepButtons
          navigation={navigation}
          submitLabel={status === "CHANGES_REQUESTED" ? "Resubmit for review" : "Submit for review"}
          isSubmitDisabled={!isEditable || isSubmitting}
          onSubmit={() => void handleSubmit()}
        />
        <StepAlerts navigation={navigation} errorKeys={errorKeys} />
      </div>

      <EstimatePanel estimate={estimate} />
    </div>
  );
}
