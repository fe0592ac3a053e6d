export { transitionHub } from "./status";
export { createHubBudgetSwitch } from "./budget-switch";
export {
  availableHubActions,
  hubActionReasonLength,
  hubActions,
  takeHubAction,
  type HubAction,
  type HubActionResult,
} from "./actions";
export { queueHubDecommission, queueHubReconcile } from "./hub-jobs";
export { applyDueSpecChanges } from "./spec-changes";
export { decommissionEndedHubs } from "./end-of-term";
export { createHubWithHold, approvalHoldKey, type CreateHubInput } from "./create-hub";
export { getHubDetail } from "./queries";
export { chooseHub, isHubLaunchable, type HubChoice, type RoutableHub } from "./routing";
export {
  describeHubStatus,
  describeHubStatusForStaff,
  hubStatusTones,
  type HubStatusDescription,
  type HubStatusTone,
} from "./status-description";
export { countHubsByStatus } from "./status-counts";
