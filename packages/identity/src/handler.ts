import type { IncomingMessage, ServerResponse } from "node:http";
import type Provider from "oidc-provider";
import { interactionPathPrefix, oidcMountPath } from "./endpoints";
import { ensureSigningKey, loadSigningKeys, signingKeysVersion } from "./keys";
import { renderProviderErrorPage } from "./pages";
import { createIdentityProvider, type IdentityProviderSettings } from "./provider";

/** How often a running portal looks for a rotated signing key. */
const defaultKeyCheckIntervalMilliseconds = 10_000;

export interface IdentityRequestHandler {
  /** Answers the request when it is the provider's; false lets Next handle it. */
  handle(request: IncomingMessage, response: ServerResponse): Promise<boolean>;
  /** The current provider (rebuilt when the signing keys change). */
  provider(): Promise<Provider>;
}

function isOidcPath(url: string): boolean {
  return (
    url === oidcMountPath ||
    url.startsWith(`${oidcMountPath}/`) ||
    url.startsWith(`${oidcMountPath}?`)
  );
}

/**
 * The provider builds the URLs of its discovery document (and every other absolute URL) from the
 * request's host and protocol, which with proxy trust on come from X-Forwarded-Host and
 * X-Forwarded-Proto. Those are the client's to forge, so before the provider sees a request they
 * are replaced with the portal's configured URL: the only origin the provider ever speaks for.
 */
export function pinRequestOrigin(request: IncomingMessage, portalUrl: string): void {
  const portal = new URL(portalUrl);
  const headers = request.headers;
  for (const name of Object.keys(headers)) {
    if (
      name === "forwarded" ||
      name === ":authority" ||
      (name.startsWith("x-forwarded-") && name !== "x-forwarded-for")
    )
      delete headers[name];
  }
  headers.host = portal.host;
  headers["x-forwarded-host"] = portal.host;
  headers["x-forwarded-proto"] = portal.protocol.slice(0, -1);
}

/**
 * Mounts the portal's OpenID Connect provider at /oidc beside Next (ADR 0007). Interactions —
 * the provider asking "who is this?" — are answered from the portal's own session: signed in, the
 * interaction finishes at once (no form, no consent); signed out, the person signs in to the
 * portal and comes straight back.
 */
export function createIdentityRequestHandler(
  settings: IdentityProviderSettings,
  { keyCheckIntervalMilliseconds = defaultKeyCheckIntervalMilliseconds } = {},
): IdentityRequestHandler {
  let current: { provider: Provider; version: string; checkedAt: number } | undefined;
  let building: Promise<Provider> | undefined;

  async function provider(): Promise<Provider> {
    const now = Date.now();
    if (current && now - current.checkedAt < keyCheckIntervalMilliseconds) return current.provider;
    building ??= (async () => {
      try {
        if (!current) await ensureSigningKey(settings.db, settings.secretBox);
        const version = await signingKeysVersion(settings.db);
        if (current?.version === version) {
          current.checkedAt = Date.now();
          return current.provider;
        }
        const keys = await loadSigningKeys(settings.db, settings.secretBox);
        const built = createIdentityProvider(settings, keys);
        current = { provider: built, version, checkedAt: Date.now() };
        return built;
      } finally {
        building = undefined;
      }
    })();
    return building;
  }

  async function finishInteraction(request: IncomingMessage, response: ServerResponse) {
    const oidc = await provider();
    const details = await oidc.interactionDetails(request, response);
    const portalSession = await settings.readPortalSession(request.headers.cookie);
    if (!portalSession) {
      const back = `${interactionPathPrefix}${details.uid}`;
      const signIn = new URL("/signin", settings.portalUrl);
      signIn.searchParams.set("callbackUrl", back);
      response.statusCode = 303;
      response.setHeader("Location", `${signIn.pathname}${signIn.search}`);
      response.end();
      return;
    }
    // Consent is never asked (loadExistingGrant grants our own hubs); login is the portal's.
    await oidc.interactionFinished(
      request,
      response,
      { login: { accountId: portalSession.userId } },
      { mergeWithLastSubmission: false },
    );
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<boolean> {
    const url = request.url ?? "/";
    if (!isOidcPath(url)) return false;
    pinRequestOrigin(request, settings.portalUrl);
    if (url.startsWith(interactionPathPrefix) && request.method === "GET") {
      try {
        await finishInteraction(request, response);
      } catch (error) {
        // An interaction outlives neither its cookie nor its hour: say so, and how to go on.
        if (response.headersSent) throw error;
        response.statusCode = 400;
        response.setHeader("content-type", "text/html; charset=utf-8");
        response.end(
          renderProviderErrorPage({
            portalUrl: settings.portalUrl,
            error: "interaction_expired",
            error_description:
              "This sign-in took too long or was already used. Open the hub again from the portal.",
          }),
        );
      }
      return true;
    }
    const oidc = await provider();
    // Mounted like an Express sub-app: the provider sees paths relative to /oidc and learns its
    // mount point from originalUrl.
    (request as IncomingMessage & { originalUrl?: string }).originalUrl = url;
    request.url = url.slice(oidcMountPath.length) || "/";
    await oidc.callback()(request, response);
    return true;
  }

  return { handle, provider };
}
