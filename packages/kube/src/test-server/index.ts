export {
  startKubernetesTestServer,
  buildKubeconfig,
  type KubernetesTestServer,
  type KubernetesTestServerOptions,
  type ObjectReference,
} from "./server";
export { countWrites, type RequestCounters, type RequestLogEntry } from "./counters";
export { RESOURCE_TYPES, type ResourceType } from "./resource-types";
