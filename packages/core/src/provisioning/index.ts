export { reconcileHub, type ReconcileOutcome } from "./reconcile";
export { checkHubHealth } from "./health-check";
export {
  loadHubWithPlacement,
  type HubApiAccess,
  type HubRuntime,
  type HubRuntimeContext,
  type ProvisioningStepPlan,
  type RuntimeResolver,
} from "./runtime";
export { StepFailedError } from "./provisioning-run";
export { decommissionHub } from "./decommission";
export { queueFleetReconcile, retireEndedHubs } from "./fleet";
export { removeHubUser, revokeHubAccess, type HubAccessRevocationOutcome } from "./hub-access";
