import type { DatabaseClient, Transaction } from "@hubfed/db";

/**
 * What the provider keeps per person and hub: the grant, and the codes and tokens issued under it
 * (oidc-provider's model names, as the adapter stores them).
 */
const perHubArtifactModels = ["Grant", "AuthorizationCode", "AccessToken", "RefreshToken"];

/**
 * Ends what the portal has issued to a person at these hubs: their grant, codes, access tokens
 * and refresh tokens. A hub that then refreshes the person's roles (JupyterHub's
 * `auth_refresh_age`) gets `invalid_token` from userinfo and `invalid_grant` for the refresh
 * token, so it sends them through a new sign-in, which asks for their course roles afresh. Called
 * in the transaction that removes the enrollment, so the two never disagree.
 */
export async function revokeHubSignIns(
  db: DatabaseClient | Transaction,
  { userId, hubIds }: { userId: string; hubIds: readonly string[] },
): Promise<number> {
  if (hubIds.length === 0) return 0;
  const clients = await db.hubOidcClient.findMany({
    where: { hubId: { in: [...hubIds] } },
    select: { clientId: true },
  });
  if (clients.length === 0) return 0;
  const { count } = await db.oidcArtifact.deleteMany({
    where: {
      model: { in: perHubArtifactModels },
      payload: { path: ["accountId"], equals: userId },
      OR: clients.map((client) => ({ payload: { path: ["clientId"], equals: client.clientId } })),
    },
  });
  return count;
}
