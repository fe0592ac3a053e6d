/** One OK-format test file (REFERENCE §6), as Otter and okpy write them, normalised. */
export interface OkTestCase {
  /** Doctest source: ">>> expression\nexpected output". */
  code: string;
  hidden: boolean;
  locked: boolean;
  /** Otter's per-case points; when absent the question's points are shared evenly. */
  points?: number;
  /** Shown to the student when the case passes / fails (Otter's optional keys). */
  success_message?: string;
  failure_message?: string;
}

export interface OkTestSuite {
  type: "doctest";
  scored: boolean;
  setup: string;
  teardown: string;
  cases: OkTestCase[];
}

export interface OkTest {
  /** The question's name: "q1". */
  name: string;
  points: number;
  suites: OkTestSuite[];
}
