export {
  hubInterfaces,
  hubInterfaceLabels,
  hubInterfaceStartPaths,
  localUnavailableInterfaces,
  type HubInterface,
} from "./interfaces";
export {
  hubSpecSchema,
  identityProviders,
  type HubSpec,
  type HubSpecFieldHandling,
  type IdentityProvider,
} from "./spec";
export { healthCheckScopes, healthCheckServiceName, healthCheckUserName } from "./health-check";
export { hubSignInRefreshSeconds } from "./sign-in";
export { executeRequestMessage, type KernelMessage } from "./kernel-messages";
