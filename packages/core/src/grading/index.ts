export {
  archiveAssignment,
  assignmentMaterialSourceSchema,
  assignmentSettingsSchema,
  createAssignment,
  publishAssignment,
  updateAssignment,
  type AssignmentMaterialSource,
  type AssignmentSettings,
} from "./assignments";
export {
  assignmentDetail,
  courseGradebook,
  gradebookCsv,
  listAssignments,
  regradeSubmissions,
  submissionDetail,
} from "./gradebook";
export { gradeSubmission, type GradingHub, type GradingSandboxFor } from "./grade";
export { createHubUserIdentifier, type HubUserIdentifier } from "./hub-identity";
export { studentFilesOf, type AssignmentMaterial, type StudentFiles } from "./material";
export {
  createRepositoryMaterialReader,
  type RepositoryMaterialReader,
} from "./repository-material";
export {
  materialForHub,
  maxSubmittedNotebookBytes,
  submitFromHub,
  submitFromPortal,
  type SubmissionReceipt,
} from "./submissions";
export { sweepGrading } from "./sweep";
