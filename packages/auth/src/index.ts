export {
  permissionTable,
  roles,
  actions,
  can,
  rolesOf,
  type Action,
  type Actor,
  type Role,
  type Scope,
} from "./permissions";
export { actorColumns, actorFromRow, loadActor, type ActorRow } from "./actor";
export {
  createAuthOptions,
  safeRedirectTarget,
  developmentProviderId,
  type AuthConfig,
} from "./auth-options";
export {
  buildExternalProviders,
  type ExternalProfile,
  type ExternalProviderConfig,
} from "./sign-in-providers";
export { sameOriginPath } from "./return-target";
export {
  developmentSignInSetting,
  parseDevelopmentSignInAccounts,
  type DevelopmentSignInSetting,
} from "./development-sign-in";
