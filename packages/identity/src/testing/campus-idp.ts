import { generateKeyPairSync } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type Configuration } from "oidc-provider";
import { escapeHtml } from "../pages";

/**
 * A stand-in for a college's own identity provider, for the demo and the end-to-end tests: a real
 * OpenID Connect provider (oidc-provider) with a one-field sign-in form. Whoever you type becomes
 * `<name>@<email domain>` with a verified email — a campus directory in miniature.
 */
export interface CampusIdentityProvider {
  issuer: string;
  stop(): Promise<void>;
}

export interface CampusIdentityProviderOptions {
  port?: number;
  host?: string;
  /** The campus's name, shown on its sign-in page. */
  name: string;
  emailDomain: string;
  client: { clientId: string; clientSecret: string; redirectUri: string };
}

function signInPage(name: string, uid: string, emailDomain: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(name)} sign-in</title></head>
<body style="font-family:system-ui;max-width:28rem;margin:4rem auto">
<h1>${escapeHtml(name)}</h1>
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<label>Campus username <input name="username" autofocus required pattern="[a-z0-9._-]+"></label>
<span>@${escapeHtml(emailDomain)}</span>
<button type="submit">Sign in</button>
</form></body></html>`;
}

async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

export async function startCampusIdentityProvider(
  options: CampusIdentityProviderOptions,
): Promise<CampusIdentityProvider> {
  const host = options.host ?? "127.0.0.1";
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve));
  const issuer = `http://${host}:${(server.address() as AddressInfo).port}`;

  // A key of its own for each run: the stand-in keeps nothing between runs.
  const signingKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({
    format: "jwk",
  });
  const configuration: Configuration = {
    jwks: { keys: [{ ...signingKey, kid: "campus-demo", alg: "RS256", use: "sig" }] },
    clients: [
      {
        client_id: options.client.clientId,
        client_secret: options.client.clientSecret,
        redirect_uris: [options.client.redirectUri],
        response_types: ["code"],
        grant_types: ["authorization_code"],
      },
    ],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    pkce: { required: () => true },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount(_ctx, sub) {
      return {
        accountId: sub,
        claims: () => ({
          sub,
          email: `${sub}@${options.emailDomain}`,
          email_verified: true,
          name: sub
            .split(/[._-]/)
            .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
            .join(" "),
        }),
      };
    },
    // The demo campus asks no consent of its own students.
    async loadExistingGrant(ctx) {
      const { client, session } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const grant = new ctx.oidc.provider.Grant({
        clientId: client.clientId,
        accountId: session.accountId,
      });
      grant.addOIDCScope("openid email profile");
      await grant.save();
      return grant;
    },
    cookies: { keys: ["campus-idp-demo-cookie-key"] },
  };
  const provider = new Provider(issuer, configuration);
  const callback = provider.callback();

  server.on("request", (request, response) => {
    const url = new URL(request.url ?? "/", issuer);
    const match = /^\/interaction\/([\w-]+)(\/login)?$/.exec(url.pathname);
    if (!match) {
      void callback(request, response);
      return;
    }
    void (async () => {
      try {
        const details = await provider.interactionDetails(request, response);
        if (match[2] && request.method === "POST") {
          const username = (await readForm(request)).get("username")?.trim().toLowerCase() ?? "";
          if (!/^[a-z0-9._-]+$/.test(username)) {
            response.statusCode = 400;
            response.end("Enter a campus username");
            return;
          }
          await provider.interactionFinished(
            request,
            response,
            { login: { accountId: username } },
            { mergeWithLastSubmission: false },
          );
          return;
        }
        response.setHeader("content-type", "text/html; charset=utf-8");
        response.end(signInPage(options.name, details.uid, options.emailDomain));
      } catch {
        response.statusCode = 400;
        response.end("This sign-in has expired; start again from the portal.");
      }
    })();
  });

  return {
    issuer,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
