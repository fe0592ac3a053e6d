/**
 * Where the portal's OpenID Connect provider answers (ADR 0007), written down once: the provider
 * is configured from these paths, and provisioning hands the same URLs to every hub.
 */

/** The provider is mounted beside Next under this path of the portal. */
export const oidcMountPath = "/oidc";

/** The provider's routes, relative to its mount path. */
export const oidcRoutes = {
  authorization: "/auth",
  token: "/token",
  userinfo: "/me",
  jwks: "/jwks",
} as const;

/** Where the provider sends the browser to learn who is signed in to the portal. */
export const interactionPathPrefix = `${oidcMountPath}/interaction/`;

/** The provider's issuer: `<portal>/oidc`. */
export function issuerFor(portalUrl: string): string {
  return new URL(oidcMountPath, portalUrl).toString();
}

/** The URLs a hub signs people in with, from the portal's public URL. */
export interface PortalOidcEndpoints {
  issuerUrl: string;
  authorizeUrl: string;
  tokenUrl: string;
  userinfoUrl: string;
  /** Where a hub's logout sends people: the portal's front page. */
  logoutRedirectUrl: string;
}

export function portalOidcEndpoints(portalUrl: string): PortalOidcEndpoints {
  const issuer = issuerFor(portalUrl);
  return {
    issuerUrl: issuer,
    authorizeUrl: `${issuer}${oidcRoutes.authorization}`,
    tokenUrl: `${issuer}${oidcRoutes.token}`,
    userinfoUrl: `${issuer}${oidcRoutes.userinfo}`,
    logoutRedirectUrl: new URL("/", portalUrl).toString(),
  };
}
