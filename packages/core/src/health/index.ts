export {
  recordWorkerHeartbeat,
  readWorkerHeartbeat,
  type HeartbeatStore,
  type WorkerHeartbeat,
} from "./heartbeat";
export {
  checkHealth,
  checkPortalReadiness,
  type HealthReport,
  type ComponentHealth,
} from "./check-health";
