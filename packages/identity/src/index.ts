export { createAdapterFactory } from "./adapter";
export { deleteExpiredOidcArtifacts } from "./maintenance";
export { claimsFor, type HubfedClaims } from "./claims";
export {
  interactionPathPrefix,
  issuerFor,
  oidcMountPath,
  oidcRoutes,
  portalOidcEndpoints,
  type PortalOidcEndpoints,
} from "./endpoints";
export { createIdentityRequestHandler, type IdentityRequestHandler } from "./handler";
export {
  ensureHubOidcClient,
  findHubClientMetadata,
  type HubClientLookup,
  type HubSignInPredicate,
  rotateHubOidcClientSecret,
  type HubClientSecretRotation,
  type HubOidcClientCredentials,
} from "./hub-clients";
export {
  ensureSigningKey,
  listSigningKeys,
  loadSigningKeys,
  retiredKeyGraceMilliseconds,
  rotateSigningKey,
  signingKeysVersion,
  type SigningKeyRotation,
} from "./keys";
export {
  createPortalSessionReader,
  sessionCookiesOf,
  type PortalSession,
  type PortalSessionReader,
  type PortalSessionReaderSettings,
} from "./portal-session";
export { createIdentityProvider, hubScopes, type IdentityProviderSettings } from "./provider";
export { resealSecrets, type ResealReport } from "./reseal";
export { revokeHubSignIns } from "./revocation";
export {
  createSecretBox,
  generateSecret,
  sealedSecretContexts,
  secretKeyIdOf,
  type SealedSecretContext,
  type SecretBox,
} from "./secret-box";
