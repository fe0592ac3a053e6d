export { AppError, isAppError, type AppErrorCode } from "./errors";
export * from "./health";
export * from "./credits";
export * from "./metering";
export * from "./demo";
export * from "./people";
export * from "./regions";
export { listRegions } from "./regions/list-regions";
export * from "./audit";
export * from "./requests";
export * from "./hubs";
export * from "./notifications";
export * from "./provisioning";
export {
  listGitOpsExports,
  queueGitOpsExportAfterReconcile,
  requestGitOpsExport,
  type GitOpsExportSummary,
} from "./gitops/queries";
export * from "./enrollment";
export * from "./links";
