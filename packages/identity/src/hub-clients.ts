import { recordAuditEvent, type DatabaseClient, type HubStatus } from "@hubfed/db";
import type { AdapterPayload } from "oidc-provider";
import { generateSecret, sealedSecretContexts, type SecretBox } from "./secret-box";

/**
 * The registry of hubs' clients at the portal's OpenID Connect provider (SPEC §5, ADR 0007): one
 * HubOidcClient row per hub, registered by provisioning with the hub's exact redirect URI, read
 * by the provider on every lookup, and given a new secret by operators. The secret is stored
 * sealed and only ever opened to hand it to the hub (provisioning) or to the provider.
 */

/** What provisioning hands the hub: its client id and the opened secret. */
export interface HubOidcClientCredentials {
  clientId: string;
  clientSecret: string;
  /** The secret's last rotation: a change restarts the hub, which reads it at start only. */
  rotatedAt: Date;
  /** True when this call registered the client. */
  isNew: boolean;
}

/**
 * Registers the hub's client once; afterwards keeps its redirect URI current and returns the
 * secret as stored, so a rotated secret reaches the hub at its next reconcile.
 */
export async function ensureHubOidcClient(
  db: DatabaseClient,
  secretBox: SecretBox,
  { hubId, hubSlug, redirectUri }: { hubId: string; hubSlug: string; redirectUri: string },
): Promise<HubOidcClientCredentials> {
  const existing = await db.hubOidcClient.findUnique({ where: { hubId } });
  if (existing) {
    if (!existing.redirectUris.includes(redirectUri)) {
      await db.hubOidcClient.update({ where: { hubId }, data: { redirectUris: [redirectUri] } });
    }
    return {
      clientId: existing.clientId,
      clientSecret: secretBox.open(
        existing.clientSecretEncrypted,
        sealedSecretContexts.hubOidcClientSecret(hubId),
      ),
      rotatedAt: existing.rotatedAt,
      isNew: false,
    };
  }
  const clientSecret = generateSecret();
  const created = await db.hubOidcClient.create({
    data: {
      hubId,
      clientId: `hub-${hubSlug}`,
      clientSecretEncrypted: secretBox.seal(
        clientSecret,
        sealedSecretContexts.hubOidcClientSecret(hubId),
      ),
      redirectUris: [redirectUri],
    },
  });
  return { clientId: created.clientId, clientSecret, rotatedAt: created.rotatedAt, isNew: true };
}

/**
 * Whether a hub in this status may sign people in. The portal passes core's lifecycle rule in
 * (identity does not import core): a suspended, decommissioning or failed hub gets no
 * authorization and no tokens, even for a code issued before its status changed.
 */
export type HubSignInPredicate = (status: HubStatus) => boolean;

/** What the provider learns when it looks a client up. */
export type HubClientLookup =
  | { outcome: "found"; metadata: AdapterPayload }
  /** No such client, or its hub is archived (its client is gone with it). */
  | { outcome: "unknown" }
  /**
   * The hub exists but is not serving students now. `contacts` are the course's instructors, by
   * name: who the refusal page tells people to ask.
   */
  | { outcome: "not-signing-in"; hubStatus: HubStatus; contacts: string[] };

/** The metadata oidc-provider needs for one of our hubs, when that hub may sign people in. */
export async function findHubClientMetadata(
  db: DatabaseClient,
  secretBox: SecretBox,
  clientId: string,
  hubSignsPeopleIn: HubSignInPredicate,
): Promise<HubClientLookup> {
  const client = await db.hubOidcClient.findUnique({
    where: { clientId },
    select: {
      hubId: true,
      clientId: true,
      clientSecretEncrypted: true,
      redirectUris: true,
      hub: { select: { status: true, courseId: true } },
    },
  });
  // An archived hub has no users any more: its client is gone with it.
  if (!client || client.hub.status === "ARCHIVED") return { outcome: "unknown" };
  if (!hubSignsPeopleIn(client.hub.status)) {
    // Names only: the page is shown to whoever opens the hub's sign-in link.
    const instructors = await db.enrollment.findMany({
      where: { courseId: client.hub.courseId, role: "INSTRUCTOR" },
      select: { user: { select: { name: true } } },
      orderBy: { createdAt: "asc" },
      take: 3,
    });
    return {
      outcome: "not-signing-in",
      hubStatus: client.hub.status,
      contacts: instructors.flatMap((entry) => (entry.user.name ? [entry.user.name] : [])),
    };
  }
  return {
    outcome: "found",
    metadata: {
      client_id: client.clientId,
      client_secret: secretBox.open(
        client.clientSecretEncrypted,
        sealedSecretContexts.hubOidcClientSecret(client.hubId),
      ),
      redirect_uris: client.redirectUris,
      response_types: ["code"],
      // Refresh tokens let a hub re-ask for the person's roles (JupyterHub's auth_refresh_age)
      // without sending them through a sign-in; they die with the person's enrollment.
      grant_types: ["authorization_code", "refresh_token"],
      token_endpoint_auth_method: "client_secret_basic",
      id_token_signed_response_alg: "RS256",
    },
  };
}

/** What became of a request to give a hub's client a new secret. */
export type HubClientSecretRotation =
  | { outcome: "rotated"; hub: { id: string }; rotatedAt: Date }
  | { outcome: "hub-not-found" }
  /** The client is registered at the hub's first provisioning. */
  | { outcome: "no-client" }
  /** An archived hub signs nobody in. */
  | { outcome: "hub-archived" };

/**
 * Seals a new secret for the hub's client and records who did it, in one transaction. The hub
 * still holds the old secret: the caller reconciles the hub to hand the new one over.
 */
export async function rotateHubOidcClientSecret(
  db: DatabaseClient,
  secretBox: SecretBox,
  { hubSlug, actorId }: { hubSlug: string; actorId: string | null },
): Promise<HubClientSecretRotation> {
  return db.$transaction(async (tx) => {
    const hub = await tx.hub.findUnique({
      where: { slug: hubSlug },
      select: { id: true, status: true, oidcClient: { select: { id: true } } },
    });
    if (!hub) return { outcome: "hub-not-found" };
    if (!hub.oidcClient) return { outcome: "no-client" };
    if (hub.status === "ARCHIVED") return { outcome: "hub-archived" };
    const rotatedAt = new Date();
    await tx.hubOidcClient.update({
      where: { hubId: hub.id },
      data: {
        clientSecretEncrypted: secretBox.seal(
          generateSecret(),
          sealedSecretContexts.hubOidcClientSecret(hub.id),
        ),
        rotatedAt,
      },
    });
    await recordAuditEvent(tx, {
      actorId,
      action: "hub.oidc-secret.rotated",
      subjectType: "Hub",
      subjectId: hub.id,
    });
    return { outcome: "rotated", hub: { id: hub.id }, rotatedAt };
  });
}
