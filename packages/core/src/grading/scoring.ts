import type { GradedTest } from "@hubfed/grader/contract";

// What the portal, not the sandbox, decides about a grade (SPEC §4): how late
// a submission is and what that costs, the score scaled to the assignment's
// points, and which test results a student may see yet.

export type LatePolicyName = "NONE" | "PENALTY_PER_DAY" | "HARD_CUTOFF";
export type HiddenResultsName = "IMMEDIATELY" | "AFTER_DUE" | "NEVER";

const dayMs = 24 * 60 * 60 * 1000;

export interface Lateness {
  /** Started days after the due date: 1 minute late is 1 day late. */
  daysLate: number;
  penaltyPercent: number;
  /** A hard cutoff refuses late work instead of grading it. */
  isRefused: boolean;
}

export function latenessOf(
  submittedAt: Date,
  assignment: { dueAt: Date; latePolicy: LatePolicyName; latePenaltyPercentPerDay: number | null },
): Lateness {
  const lateMs = submittedAt.getTime() - assignment.dueAt.getTime();
  const daysLate = lateMs > 0 ? Math.ceil(lateMs / dayMs) : 0;
  switch (assignment.latePolicy) {
    case "NONE":
      return { daysLate, penaltyPercent: 0, isRefused: false };
    case "HARD_CUTOFF":
      return { daysLate, penaltyPercent: 0, isRefused: daysLate > 0 };
    case "PENALTY_PER_DAY":
      return {
        daysLate,
        penaltyPercent: Math.min(100, daysLate * (assignment.latePenaltyPercentPerDay ?? 0)),
        isRefused: false,
      };
  }
}

/** Rounded to hundredths, so a CSV and a page show the same number. */
function round(value: number): number {
  return Math.round(value * 100) / 100;
}

export interface Score {
  testScore: number;
  testMaxScore: number;
  /** The assignment's points earned, after the late penalty. */
  score: number;
}

/** The tests' score scaled to the assignment's points, less the late penalty. */
export function scoreOf(tests: GradedTest[], points: number, penaltyPercent: number): Score {
  const testScore = tests.reduce((sum, test) => sum + test.score, 0);
  const testMaxScore = tests.reduce((sum, test) => sum + test.max_score, 0);
  const fraction = testMaxScore > 0 ? testScore / testMaxScore : 0;
  return {
    testScore: round(testScore),
    testMaxScore: round(testMaxScore),
    score: round(fraction * points * (1 - penaltyPercent / 100)),
  };
}

/** Whether a student may see hidden tests' results (and so the whole score) at `now`. */
export function areHiddenResultsShown(
  assignment: { hiddenResults: HiddenResultsName; dueAt: Date },
  now: Date,
): boolean {
  switch (assignment.hiddenResults) {
    case "IMMEDIATELY":
      return true;
    case "AFTER_DUE":
      return now.getTime() >= assignment.dueAt.getTime();
    case "NEVER":
      return false;
  }
}

/** The results a student sees: visible tests always, hidden ones only when the setting allows. */
export function resultsForStudent(
  tests: GradedTest[],
  assignment: { hiddenResults: HiddenResultsName; dueAt: Date },
  now: Date,
): { tests: GradedTest[]; isComplete: boolean } {
  const shown = areHiddenResultsShown(assignment, now);
  return {
    tests: tests.filter((test) => shown || test.visibility === "visible"),
    isComplete: shown || tests.every((test) => test.visibility === "visible"),
  };
}
