// The runtimes hubs run on. Kept behind their own entry point
// (`@hubfed/core/runtimes`) because they reach for node-only tooling (the
// Kubernetes client, child processes, the chart's schema on disk) that the
// portal's bundle must not pull in; the worker and the tests use them.
export {
  createKubernetesRuntime,
  connectionOf,
  kubernetesHubCheckTarget,
  type KubernetesRuntimeSettings,
} from "./kubernetes";
export { createLocalRuntime, localHubCheckTarget, type LocalRuntimeSettings } from "./local";
export {
  runHubCheck,
  type HubCheckOptions,
  type HubCheckReport,
  type HubCheckStep,
  type HubCheckTarget,
} from "../hub-check";
