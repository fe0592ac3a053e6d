"use client";

import { useState } from "react";
import { stepHasErrors, steps } from "./form-steps";

/**
 * Which step is open, and when its problems are shown. A field's error shows once it is touched;
 * beyond that, a step's problems are outlined once the person has left it, Next stays on a step
 * with problems and shows them all, and Submit shows every problem on every step.
 *
 * `errorKeys` are the dotted paths of the draft's current errors, client and server together.
 */
export function useStepNavigation(errorKeys: readonly string[]) {
  const [stepIndex, setStepIndex] = useState(0);
  // Steps the person has left: their problems are outlined from then on.
  const [visitedSteps, setVisitedSteps] = useState<Set<number>>(new Set());
  const [isShowingAllErrors, setIsShowingAllErrors] = useState(false);
  const [nextBlockedStep, setNextBlockedStep] = useState<number>();

  const hasErrors = (index: number) => stepHasErrors(index, errorKeys);

  const goToStep = (index: number) => {
    setVisitedSteps((current) => new Set(current).add(stepIndex));
    setNextBlockedStep(undefined);
    setStepIndex(index);
  };

  // Next checks the step: its problems show on their fields and it stays until they are fixed
  // (the step buttons still go anywhere, to come back later).
  const goToNextStep = () => {
    if (hasErrors(stepIndex)) {
      setNextBlockedStep(stepIndex);
      return;
    }
    goToStep(stepIndex + 1);
  };

  /** Submit's check: every problem shows from now on, and the first step with one opens. */
  const checkAllSteps = (): boolean => {
    setIsShowingAllErrors(true);
    const firstErrorStep = steps.findIndex((_, index) => hasErrors(index));
    if (firstErrorStep >= 0) {
      setStepIndex(firstErrorStep);
      return false;
    }
    return true;
  };

  return {
    stepIndex,
    step: steps[stepIndex] ?? steps[0],
    isShowingAllErrors,
    /** Next was refused on the open step: all its problems show, not only the touched fields'. */
    isNextBlocked: nextBlockedStep === stepIndex,
    hasErrors,
    /** A step button is outlined in red once its step has been left (or Submit tried) with problems. */
    isOutlined: (index: number) =>
      (isShowingAllErrors || visitedSteps.has(index)) && hasErrors(index),
    goToStep,
    goToNextStep,
    checkAllSteps,
  };
}

export type StepNavigation = ReturnType<typeof useStepNavigation>;
