import { steps } from "./form-steps";
import type { StepNavigation } from "./use-step-navigation";

/** The numbered step buttons above the form: any step can be opened at any time. */
export function StepList({ navigation }: { navigation: StepNavigation }) {
  const { stepIndex, goToStep, hasErrors, isOutlined } = navigation;
  return (
    <ol className="flex flex-wrap gap-2" aria-label="Steps">
      {steps.map((candidate, index) => (
        <li key={candidate.id}>
          <button
            type="button"
            onClick={() => goToStep(index)}
            aria-current={index === stepIndex ? "step" : undefined}
            className={`rounded-full px-3 py-1 text-sm ${index === stepIndex ? "bg-brand-600 text-white" : "bg-white text-slate-700"} ${isOutlined(index) ? "ring-2 ring-red-500" : index === stepIndex ? "" : "ring-1 ring-slate-300"}`}
            data-has-errors={hasErrors(index) ? "true" : undefined}
          >
            {index + 1}. {candidate.title}
          </button>
        </li>
      ))}
    </ol>
  );
}

/** Back and Next under the form; on the last step, Submit (or Resubmit) instead of Next. */
export function StepButtons({
  navigation,
  submitLabel,
  isSubmitDisabled,
  onSubmit,
}: {
  navigation: StepNavigation;
  submitLabel: string;
  isSubmitDisabled: boolean;
  onSubmit: () => void;
}) {
  const { stepIndex, goToStep, goToNextStep } = navigation;
  return (
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
          onClick={goToNextStep}
          className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white"
        >
          Next
        </button>
      ) : (
        <button
          type="button"
          disabled={isSubmitDisabled}
          onClick={onSubmit}
          className="rounded-md bg-green-700 px-4 py-2 text-sm font-semibold text-white disabled:opacity-50"
        >
          {submitLabel}
        </button>
      )}
    </div>
  );
}

/**
 * Why the form did not move on: Next refused the open step, or Submit found problems (counted,
 * with the steps that hold them).
 */
export function StepAlerts({
  navigation,
  errorKeys,
}: {
  navigation: StepNavigation;
  /** The dotted paths of the draft's current errors, each once. */
  errorKeys: readonly string[];
}) {
  const { stepIndex, isNextBlocked, isShowingAllErrors, hasErrors } = navigation;
  return (
    <>
      {isNextBlocked && hasErrors(stepIndex) ? (
        <p role="alert" className="text-sm text-red-700" data-testid="step-errors">
          Fix the fields marked in red to go on, or pick another step above and come back later.
        </p>
      ) : null}
      {isShowingAllErrors && errorKeys.length > 0 ? (
        <p role="alert" className="text-sm text-red-700" data-testid="form-errors">
          {errorKeys.length} field(s) need attention:{" "}
          {steps
            .filter((_, index) => hasErrors(index))
            .map((candidate) => candidate.title)
            .join(", ")}
          . Those steps are outlined in red.
        </p>
      ) : null}
    </>
  );
}
