// The runtimes hubs run on. Kept behind their own entry point
// (`@hubfed/core/runtimes`) because they reach for node-only tooling (the
// Kubernetes client, child processes, the chart's schema on disk) that the
// portal's bundle must not pull in; the worker and the tests use them.
export {
  createKubernetesRuntime,
  connectionOf,
  type KubernetesRuntimeSettings,
} from "./kubernetes";
export { createLocalRuntime, type LocalRuntimeSettings } from "./local";
