export { transitionHub } from "./status";
export { hubBudgetSwitch } from "./budget-switch";
export { applyDueSpecChanges } from "./spec-changes";
export { decommissionEndedHubs } from "./end-of-term";
export { createHubWithHold, approvalHoldKey, type CreateHubInput } from "./create-hub";
export { getHubDetail, retryHubProvisioning } from "./queries";
export { chooseHub, isHubLaunchable, type HubChoice, type RoutableHub } from "./routing";
export {
  describeHubStatus,
  describeHubStatusForStaff,
  hubStatusTones,
  type HubStatusDescription,
  type HubStatusTone,
} from "./status-description";
export { countHubsByStatus } from "./status-counts";
