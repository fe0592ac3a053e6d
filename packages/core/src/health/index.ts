export {
  recordWorkerHeartbeat,
  readWorkerHeartbeat,
  type HeartbeatStore,
  type WorkerHeartbeat,
} from "./heartbeat";
export { checkHealth, type HealthReport, type ComponentHealth } from "./check-health";
