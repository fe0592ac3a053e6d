import { hkdfSync } from "node:crypto";
import type { DatabaseClient } from "@hubfed/db";
import Provider, {
  interactionPolicy,
  type Configuration,
  type KoaContextWithOIDC,
} from "oidc-provider";
import { createAdapterFactory } from "./adapter";
import { claimsFor } from "./claims";
import { interactionPathPrefix, issuerFor, oidcRoutes } from "./endpoints";
import type { SigningJwk } from "./keys";
import type { HubSignInPredicate } from "./hub-clients";
import type { PortalSessionReader } from "./portal-session";
import { renderProviderErrorPage } from "./pages";
import type { SecretBox } from "./secret-box";

export const hubScopes = ["openid", "profile", "email", "groups"] as const;

export interface IdentityProviderSettings {
  db: DatabaseClient;
  secretBox: SecretBox;
  /** The portal's public URL; the issuer is `<portal>/oidc`. */
  portalUrl: string;
  /** HUBFED_SECRET_KEY, from which the provider's cookie keys are derived. */
  secretKey: string;
  readPortalSession: PortalSessionReader;
  /** Which hub statuses may sign people in (core's lifecycle rule, passed in by the portal). */
  hubSignsPeopleIn: HubSignInPredicate;
}

/** Cookie signing keys derived from the portal's secret key: no second secret to manage. */
function cookieKeys(secretKey: string): string[] {
  const derived = hkdfSync(
    "sha256",
    Buffer.from(secretKey, "base64"),
    "",
    "hubfed oidc cookies",
    32,
  );
  return [Buffer.from(derived).toString("base64url")];
}

/**
 * The login prompt's extra check: the provider's session must belong to whoever is signed in to
 * the portal right now. Signing out of the portal (or in as someone else) therefore ends every
 * hub's single sign-on at the next authorization request.
 */
function portalSessionCheck(readPortalSession: PortalSessionReader) {
  return new interactionPolicy.Check(
    "portal_session",
    "the portal session has ended or belongs to someone else",
    async (ctx: KoaContextWithOIDC) => {
      const portal = await readPortalSession(ctx.req.headers.cookie);
      return !portal || portal.userId !== ctx.oidc.session?.accountId
        ? interactionPolicy.Check.REQUEST_PROMPT
        : interactionPolicy.Check.NO_NEED_TO_PROMPT;
    },
  );
}

/** How long a hub may keep signing a person in (and refreshing their roles) from one sign-in. */
const grantSeconds = 12 * 3600;

function isRefreshTokenGrant(ctx: KoaContextWithOIDC): boolean {
  return ctx.oidc.route === "token" && ctx.oidc.params?.grant_type === "refresh_token";
}

export function createIdentityProvider(
  settings: IdentityProviderSettings,
  signingKeys: SigningJwk[],
): Provider {
  const { db, secretBox, readPortalSession } = settings;
  const policy = interactionPolicy.base();
  policy.get("login")?.checks.add(portalSessionCheck(readPortalSession));

  const configuration: Configuration = {
    adapter: createAdapterFactory(db, secretBox, settings.hubSignsPeopleIn),
    jwks: { keys: signingKeys },
    cookies: { keys: cookieKeys(settings.secretKey) },
    scopes: [...hubScopes],
    claims: {
      openid: ["sub"],
      profile: ["name", "preferred_username"],
      email: ["email", "email_verified"],
      groups: ["groups"],
    },
    // Hubs read the claims from the id token; they need not call userinfo.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    responseTypes: ["code"],
    features: {
      devInteractions: { enabled: false },
      userinfo: { enabled: true },
      revocation: { enabled: false },
      introspection: { enabled: false },
      rpInitiatedLogout: { enabled: false },
    },
    routes: { ...oidcRoutes },
    ttl: {
      AuthorizationCode: 60,
      AccessToken: 3600,
      IdToken: 3600,
      Interaction: 3600,
      Grant: grantSeconds,
      Session: grantSeconds,
      // As long as the grant it belongs to: after that the person signs in again.
      RefreshToken: grantSeconds,
    },
    // Every hub gets a refresh token with its first tokens (no `offline_access` dance): hubs
    // re-read a person's roles every few minutes (hubSignInRefreshSeconds) and must not need the
    // person present to do it. Revoking the enrollment deletes it (revokeHubSignIns).
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed("refresh_token"),
    // Not rotated: a hub refreshes from several requests at once, and a rotated token used twice
    // would revoke the whole grant. Hubs are confidential clients (client_secret_basic).
    rotateRefreshToken: false,
    interactions: {
      policy,
      url: (_ctx, interaction) => `${interactionPathPrefix}${interaction.uid}`,
    },
    async findAccount(ctx, sub) {
      // Loaded once per request that needs the account (the token or userinfo call), so the
      // groups are as of that request: an enrollment removed today is gone at the next refresh.
      const claims = await claimsFor(db, sub, ctx.oidc.client?.clientId);
      if (!claims) return undefined;
      // A refresh renews nobody this hub should no longer let in: without a group here the
      // refresh token is refused (invalid_grant) and the hub sends the person to sign in again,
      // where its refusal page explains. A first sign-in still gets its tokens, so the hub can
      // show that page.
      if (isRefreshTokenGrant(ctx) && claims.groups.length === 0) return undefined;
      return { accountId: sub, claims: () => claims };
    },
    // Every client is one of our own hubs: people are never asked to consent to them.
    async loadExistingGrant(ctx) {
      const { client, session } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const existingId = session.grantIdFor(client.clientId);
      const existing = existingId ? await ctx.oidc.provider.Grant.find(existingId) : undefined;
      if (existing) return existing;
      const grant = new ctx.oidc.provider.Grant({
        clientId: client.clientId,
        accountId: session.accountId,
      });
      grant.addOIDCScope(hubScopes.join(" "));
      await grant.save();
      session.grantIdFor(client.clientId, grant.jti);
      return grant;
    },
    renderError(ctx, out) {
      ctx.type = "html";
      ctx.body = renderProviderErrorPage({ portalUrl: settings.portalUrl, ...out });
    },
  };
  const provider = new Provider(issuerFor(settings.portalUrl), configuration);
  // TLS ends at the ingress in production; trust its X-Forwarded-* headers there. The handler
  // pins the host and protocol to the portal's URL before the provider sees a request
  // (pinRequestOrigin), so what the provider builds its URLs from never comes from the client.
  provider.proxy = new URL(settings.portalUrl).protocol === "https:";
  return provider;
}
