import type { DatabaseClient } from "@hubfed/db";
import { generateSecret, type SecretBox } from "../crypto/secret-box";

/**
 * The hub's client at the portal's OpenID Connect provider (SPEC §5):
 * registered once at provisioning with its exact redirect URI; the secret is
 * stored sealed and only ever opened to hand it to the hub.
 */
export async function ensureHubOidcClient(
  db: DatabaseClient,
  secretBox: SecretBox,
  { hubId, hubSlug, redirectUri }: { hubId: string; hubSlug: string; redirectUri: string },
) {
  const existing = await db.hubOidcClient.findUnique({ where: { hubId } });
  if (existing) {
    if (!existing.redirectUris.includes(redirectUri)) {
      await db.hubOidcClient.update({ where: { hubId }, data: { redirectUris: [redirectUri] } });
    }
    return {
      clientId: existing.clientId,
      clientSecret: secretBox.open(existing.clientSecretEncrypted),
      rotatedAt: existing.rotatedAt,
      isNew: false,
    };
  }
  const clientSecret = generateSecret();
  const created = await db.hubOidcClient.create({
    data: {
      hubId,
      clientId: `hub-${hubSlug}`,
      clientSecretEncrypted: secretBox.seal(clientSecret),
      redirectUris: [redirectUri],
    },
  });
  return { clientId: created.clientId, clientSecret, rotatedAt: created.rotatedAt, isNew: true };
}

/** The portal's OIDC endpoints, from its public URL. */
export function portalOidcEndpoints(portalUrl: string) {
  const issuer = new URL("/oidc", portalUrl).toString();
  return {
    issuerUrl: issuer,
    authorizeUrl: `${issuer}/auth`,
    tokenUrl: `${issuer}/token`,
    userinfoUrl: `${issuer}/me`,
    /** Where a hub's logout sends people: the portal's front page. */
    logoutRedirectUrl: new URL("/", portalUrl).toString(),
  };
}
