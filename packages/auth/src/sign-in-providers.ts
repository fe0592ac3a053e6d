import type { Provider } from "next-auth/providers/index";
import type { OAuthConfig } from "next-auth/providers/oauth";

/**
 * next-auth providers from Hubfed's sign-in configuration (built by
 * loadSignInProviderConfigs in packages/core). Every provider uses the authorization code flow
 * with PKCE and state.
 */

export type ExternalProviderConfig =
  | {
      kind: "institution";
      id: string;
      name: string;
      issuer: string;
      clientId: string;
      clientSecret: string;
    }
  | { kind: "github" | "google"; id: string; name: string; clientId: string; clientSecret: string };

/** What Hubfed needs from any provider's profile to decide who signs in. */
export interface ExternalProfile {
  id: string;
  name: string | null;
  email: string | null;
  /** Whether the provider says the person controls the email. */
  emailVerified: boolean;
}

interface OidcProfile {
  sub: string;
  name?: string;
  preferred_username?: string;
  email?: string;
  email_verified?: boolean | string;
}

interface GitHubEmail {
  email: string;
  primary: boolean;
  verified: boolean;
}

interface GitHubUser {
  id: number;
  login: string;
  name: string | null;
  /** Filled in by our userinfo request: the primary email, only when GitHub has verified it. */
  verifiedPrimaryEmail: string | null;
}

function institutionProvider(
  config: Extract<ExternalProviderConfig, { kind: "institution" }>,
): OAuthConfig<OidcProfile> {
  return {
    id: config.id,
    name: config.name,
    type: "oauth",
    wellKnown: new URL(
      ".well-known/openid-configuration",
      `${config.issuer.replace(/\/$/, "")}/`,
    ).toString(),
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    authorization: { params: { scope: "openid email profile" } },
    idToken: true,
    checks: ["pkce", "state"],
    profile(profile) {
      // An institution's provider is authoritative for its own domains (which the sign-in
      // decision checks); many campus providers omit email_verified, so only an explicit
      // `false` counts as unverified.
      const verified = profile.email_verified !== false && profile.email_verified !== "false";
      return {
        id: profile.sub,
        name: profile.name ?? profile.preferred_username ?? null,
        email: profile.email ?? null,
        emailVerified: verified,
      } satisfies ExternalProfile;
    },
  };
}

function googleProvider(config: ExternalProviderConfig): OAuthConfig<OidcProfile> {
  return {
    ...institutionProvider({
      ...config,
      kind: "institution",
      issuer: "https://accounts.google.com",
    }),
    profile(profile) {
      return {
        id: profile.sub,
        name: profile.name ?? null,
        email: profile.email ?? null,
        emailVerified: profile.email_verified === true || profile.email_verified === "true",
      } satisfies ExternalProfile;
    },
  };
}

function githubProvider(config: ExternalProviderConfig): OAuthConfig<GitHubUser> {
  const api = "https://api.github.com";
  return {
    id: config.id,
    name: config.name,
    type: "oauth",
    authorization: {
      url: "https://github.com/login/oauth/authorize",
      params: { scope: "read:user user:email" },
    },
    token: "https://github.com/login/oauth/access_token",
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    checks: ["pkce", "state"],
    userinfo: {
      url: `${api}/user`,
      // GitHub's profile email may be unverified; ask for the list and keep the primary one only
      // when GitHub says it is verified.
      async request({ tokens }) {
        const headers = {
          Authorization: `Bearer ${tokens.access_token ?? ""}`,
          "User-Agent": "hubfed",
        };
        const user = (await (await fetch(`${api}/user`, { headers })).json()) as Omit<
          GitHubUser,
          "verifiedPrimaryEmail"
        >;
        const emails = (await (
          await fetch(`${api}/user/emails`, { headers })
        ).json()) as GitHubEmail[];
        const primary = Array.isArray(emails)
          ? emails.find((entry) => entry.primary && entry.verified)
          : undefined;
        return {
          ...user,
          name: user.name ?? undefined,
          verifiedPrimaryEmail: primary?.email ?? null,
        } as unknown as Record<string, unknown>;
      },
    },
    profile(profile) {
      return {
        id: String(profile.id),
        name: profile.name ?? profile.login,
        email: profile.verifiedPrimaryEmail,
        emailVerified: profile.verifiedPrimaryEmail !== null,
      } satisfies ExternalProfile;
    },
  };
}

export function buildExternalProviders(configs: ExternalProviderConfig[]): Provider[] {
  return configs.map((config) => {
    switch (config.kind) {
      case "institution":
        return institutionProvider(config) as Provider;
      case "google":
        return googleProvider(config) as Provider;
      case "github":
        return githubProvider(config) as Provider;
    }
  });
}
