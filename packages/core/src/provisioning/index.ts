export {
  reconcileHub,
  checkHubHealth,
  loadHubWithPlacement,
  StepFailedError,
  type HubRuntime,
  type HubRuntimeContext,
  type ProvisioningStepPlan,
  type ReconcileOutcome,
  type RuntimeResolver,
} from "./reconcile";
export { decommissionHub } from "./decommission";
export {
  createKubernetesRuntime,
  connectionOf,
  type KubernetesRuntimeSettings,
} from "./runtimes/kubernetes";
export { createLocalRuntime, type LocalRuntimeSettings } from "./runtimes/local";
export { ensureHubOidcClient, portalOidcEndpoints } from "./oidc-client";
