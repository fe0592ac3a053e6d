export type { OkTest, OkTestCase, OkTestSuite } from "./types";
export { parseOkTestFile } from "./parse";
export type { ParseOkTestOptions, ParseOkTestResult } from "./parse";
export { renderOkTestFile } from "./render";
export { bundleLimits, readAssignmentBundle, readAutograderZip } from "./bundle";
export type { AssignmentBundle, BundleFile, BundleProblem } from "./bundle";
