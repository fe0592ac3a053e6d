/**
 * The form's steps in order. Each step owns the draft's sections listed here: an error keyed
 * "course.startDate" belongs to the step whose sections include "course".
 */
export const steps = [
  { id: "institution", title: "Institution", sections: ["institution"] },
  { id: "course", title: "Course", sections: ["course"] },
  { id: "schedule", title: "Schedule", sections: ["schedule"] },
  { id: "resources", title: "Students & resources", sections: ["audience", "resources"] },
  { id: "environment", title: "Environment & sign-in", sections: ["environment", "identity"] },
  { id: "placement", title: "Placement & review", sections: ["placement"] },
] as const;

export type FormStep = (typeof steps)[number];

function isInStep(index: number, errorKey: string): boolean {
  return (
    steps[index]?.sections.some(
      (section) => errorKey === section || errorKey.startsWith(`${section}.`),
    ) ?? false
  );
}

/** Whether any of the draft's current errors (by dotted path) is on the step at `index`. */
export function stepHasErrors(index: number, errorKeys: readonly string[]): boolean {
  return errorKeys.some((key) => isInStep(index, key));
}
