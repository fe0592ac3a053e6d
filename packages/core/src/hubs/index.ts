export { transitionHub } from "./status";
export { applyDueSpecChanges } from "./spec-changes";
export { decommissionEndedHubs } from "./end-of-term";
export { createHubWithHold, approvalHoldKey, type CreateHubInput } from "./create-hub";
export { getHubDetail, retryHubProvisioning } from "./queries";
