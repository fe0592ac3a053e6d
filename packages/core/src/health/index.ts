export {
  recordWorkerHeartbeat,
  readWorkerHeartbeat,
  type HeartbeatStore,
  type WorkerHeartbeat,
} from "./heartbeat";
export {
  checkHealth,
  checkPortalReadiness,
  createHealthMonitor,
  unhealthyDependenciesOf,
  type ComponentHealth,
  type DependencyState,
  type HealthMonitor,
  type HealthReport,
} from "./check-health";
export {
  failedJobsPageSize,
  inspectedQueues,
  listFailedJobs,
  queueOverview,
  retryFailedJob,
} from "./jobs";
