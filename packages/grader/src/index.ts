export type {
  GradedTest,
  GradescopeResults,
  GradingInput,
  GradingLimits,
  GradingOutcome,
  GradingSandbox,
  ResultVisibility,
  SandboxDescription,
  SupportFile,
} from "./contract";
export { defaultGradingLimits } from "./contract";
export type { OkTest, OkTestCase, OkTestSuite } from "./ok-format/types";
export { createLocalGradingSandbox } from "./local-sandbox";
export type { LocalGradingSandboxOptions } from "./local-sandbox";
export {
  gradingDriverPath,
  gradingDriverSource,
  studentModulePath,
  studentModuleSource,
} from "./python-files";
