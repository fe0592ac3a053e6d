import { generateKeyPairSync, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type Configuration } from "oidc-provider";

/**
 * A real OpenID Connect provider (oidc-provider) standing in for the portal in tests of the hub's
 * sign-in: issuer `<origin>/oidc`, the portal's routes (/auth, /token, /me, /jwks), PKCE required,
 * client_secret_basic only, RS256. The interaction is test-only: a form whose POST names the account to
 * sign in, the way a person would pick themselves at the portal's login.
 */

export interface TestAccount {
  sub: string;
  preferredUsername: string;
  email: string;
  name: string;
  /** `<courseSlug>:<role>` entries; tests change them to enroll and unenrol people. */
  groups: string[];
}

export interface TestOidcClient {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

export interface TestOidcProvider {
  /** What the portal's PORTAL_URL would be; the issuer is `${portalUrl}/oidc`. */
  portalUrl: string;
  issuerUrl: string;
  accounts: Map<string, TestAccount>;
  close(): Promise<void>;
}

export const testProviderPortalPage = "Hubfed test portal";
const hubScopes = "openid profile email groups";

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

export async function startTestOidcProvider({
  clients,
  accounts,
}: {
  clients: TestOidcClient[];
  accounts: TestAccount[];
}): Promise<TestOidcProvider> {
  const accountsBySub = new Map(accounts.map((account) => [account.sub, account]));
  // Listening first: the issuer names the port.
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const portalUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuerUrl = new URL("/oidc", portalUrl).toString();
  const provider = new Provider(issuerUrl, buildConfiguration(clients, accountsBySub));
  server.on("request", (request: IncomingMessage, response: ServerResponse) => {
    void route(request, response).catch((error: unknown) => {
      response.statusCode = 500;
      response.end(error instanceof Error ? error.message : String(error));
    });
  });

  async function route(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? "/", "http://provider.invalid");
    if (url.pathname.startsWith("/oidc/") || url.pathname === "/oidc") {
      // Mounted like Express does it, so the provider builds its URLs under /oidc.
      (request as IncomingMessage & { originalUrl?: string }).originalUrl = request.url;
      request.url = request.url?.slice("/oidc".length) || "/";
      await provider.callback()(request, response);
      return;
    }
    const interaction = /^\/interaction\/([^/]+)(\/login)?$/.exec(url.pathname);
    if (interaction && request.method === "GET" && !interaction[2]) {
      const details = await provider.interactionDetails(request, response);
      const options = [...accountsBySub.values()]
        .map(
          (account) =>
            `<option value="${escapeHtml(account.sub)}">${escapeHtml(account.name)}</option>`,
        )
        .join("");
      response.setHeader("content-type", "text/html");
      response.end(
        `<form method="post" action="/interaction/${details.uid}/login"><select name="account">${options}</select><button>Sign in</button></form>`,
      );
      return;
    }
    if (interaction && request.method === "POST" && interaction[2]) {
      const form = new URLSearchParams(await readBody(request));
      const accountId = form.get("account") ?? "";
      if (!accountsBySub.has(accountId)) {
        response.statusCode = 400;
        response.end("unknown account");
        return;
      }
      await provider.interactionFinished(
        request,
        response,
        { login: { accountId } },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    if (url.pathname === "/") {
      response.setHeader("content-type", "text/html");
      response.end(`<h1>${testProviderPortalPage}</h1>`);
      return;
    }
    response.statusCode = 404;
    response.end("not found");
  }

  return {
    portalUrl,
    issuerUrl,
    accounts: accountsBySub,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function buildConfiguration(
  clients: TestOidcClient[],
  accountsBySub: Map<string, TestAccount>,
): Configuration {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const signingKey = {
    ...privateKey.export({ format: "jwk" }),
    kid: "test-1",
    use: "sig",
    alg: "RS256",
  };

  return {
    clients: clients.map((client) => ({
      client_id: client.clientId,
      client_secret: client.clientSecret,
      redirect_uris: [client.redirectUri],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
    })),
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString("base64url")] },
    scopes: hubScopes.split(" "),
    claims: {
      openid: ["sub"],
      profile: ["name", "preferred_username"],
      email: ["email"],
      groups: ["groups"],
    },
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    responseTypes: ["code"],
    features: { devInteractions: { enabled: false }, userinfo: { enabled: true } },
    routes: { authorization: "/auth", token: "/token", userinfo: "/me", jwks: "/jwks" },
    interactions: { url: (_context, interaction) => `/interaction/${interaction.uid}` },
    findAccount(_context, sub) {
      const account = accountsBySub.get(sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        // Read at each request, so a test's change of groups shows at the next sign-in.
        claims: () => {
          const current = accountsBySub.get(sub) ?? account;
          return {
            sub,
            preferred_username: current.preferredUsername,
            email: current.email,
            name: current.name,
            groups: current.groups,
          };
        },
      };
    },
    // The portal's hubs are its own clients: no consent screen.
    async loadExistingGrant(context) {
      const { client, session } = context.oidc;
      if (!client || !session?.accountId) return undefined;
      const existingId = session.grantIdFor(client.clientId);
      const existing = existingId ? await context.oidc.provider.Grant.find(existingId) : undefined;
      if (existing) return existing;
      const grant = new context.oidc.provider.Grant({
        clientId: client.clientId,
        accountId: session.accountId,
      });
      grant.addOIDCScope(hubScopes);
      await grant.save();
      session.grantIdFor(client.clientId, grant.jti);
      return grant;
    },
  };
}
