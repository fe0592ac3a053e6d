/**
 * The autograder's contract (docs/adr/0010-autograder.md): what a grading
 * sandbox is given and what it returns. The local sandbox (this package) and
 * the Kubernetes one (@hubfed/kube) both implement GradingSandbox; core's
 * grading domain picks one by the hub's runtime and never sees how.
 */
import type { OkTest } from "./ok-format/types";

/** Gradescope's results.json as Otter writes it (REFERENCE §6). */
export type ResultVisibility = "hidden" | "after_published" | "visible";

export interface GradedTest {
  name: string;
  score: number;
  max_score: number;
  visibility: ResultVisibility;
  output: string;
}

export interface GradescopeResults {
  tests: GradedTest[];
  score: number;
  /** Seconds the notebook and its tests took inside the sandbox. */
  execution_time?: number;
}

export interface SupportFile {
  /** Relative, '/'-separated, no '..'. */
  path: string;
  contentBase64: string;
}

export interface GradingLimits {
  wallClockSeconds: number;
  cpuSeconds: number;
  memoryMib: number;
  maxProcesses: number;
  maxNotebookBytes: number;
}

export interface GradingInput {
  /** For directory names and logs only. */
  submissionId: string;
  /** The submitted .ipynb exactly as received (may be anything: it is the student's). */
  notebook: string;
  /** Every test of the assignment, hidden cases included. */
  tests: OkTest[];
  supportFiles: SupportFile[];
  limits: GradingLimits;
}

export type GradingOutcome =
  | { status: "graded"; results: GradescopeResults; durationMs: number }
  /**
   * The submission could not be graded. `reason` is safe to show a student
   * (no paths, no stack traces); `detail` is for staff and operators.
   */
  | { status: "failed"; reason: string; detail?: string; durationMs: number }
  | { status: "timed-out"; reason: string; durationMs: number };

/** Which isolation mechanisms are in force, for the hub page and the logs. */
export interface SandboxDescription {
  kind: "local" | "kubernetes";
  mechanisms: string[];
  /** What is missing on this machine and therefore not enforced. */
  missing: string[];
}

export interface GradingSandbox {
  grade(input: GradingInput): Promise<GradingOutcome>;
  describe(): SandboxDescription;
}

export const defaultGradingLimits: GradingLimits = {
  wallClockSeconds: 120,
  cpuSeconds: 90,
  memoryMib: 1024,
  maxProcesses: 64,
  maxNotebookBytes: 10 * 1024 * 1024,
};
