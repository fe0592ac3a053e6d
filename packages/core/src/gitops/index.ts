// The GitOps export (`@hubfed/core/gitops`): node-only, because rendering
// uses the Kubernetes builders and proposing uses Octokit. The queries ops
// call from the portal are exported from the main entry instead.
export {
  digestFiles,
  regionHubsDirectory,
  renderCourseFile,
  renderRegionFiles,
  type ExportableHub,
  type GitOpsRenderSettings,
  type RenderedFiles,
} from "./render";
export {
  exportGitOps,
  gitOpsBranchFor,
  gitOpsDestinationFor,
  GitOpsExportFailedError,
  type ExportGitOpsOptions,
  type GitOpsDestination,
  type GitOpsDestinationChoice,
  type GitOpsSettings,
  type RegionExportResult,
} from "./export";
export {
  listGitOpsExports,
  queueGitOpsExportAfterReconcile,
  requestGitOpsExport,
  type GitOpsExportSummary,
} from "./queries";
export {
  formatFederationProblems,
  validateFederationDirectory,
  type FederationValidation,
} from "./validate";
