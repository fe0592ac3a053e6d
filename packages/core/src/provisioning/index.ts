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
export { queueFleetReconcile, queueHubDecommission, retireEndedHubs } from "./fleet";
