export { createAdapterFactory, findHubClientMetadata } from "./adapter";
export { deleteExpiredOidcArtifacts } from "./maintenance";
export { claimsFor, type HubfedClaims } from "./claims";
export { createIdentityRequestHandler, type IdentityRequestHandler } from "./handler";
export {
  ensureSigningKey,
  listSigningKeys,
  loadSigningKeys,
  retiredKeyGraceMilliseconds,
  rotateSigningKey,
  signingKeysVersion,
} from "./keys";
export {
  createPortalSessionReader,
  type PortalSession,
  type PortalSessionReader,
} from "./portal-session";
export {
  createIdentityProvider,
  hubScopes,
  issuerFor,
  type IdentityProviderSettings,
} from "./provider";
