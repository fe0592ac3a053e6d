import type { DatabaseClient } from "@hubfed/db";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import {
  buildExternalProviders,
  type ExternalProfile,
  type ExternalProviderConfig,
} from "./sign-in-providers";
import { developmentSignInEmail } from "./development-sign-in";
import { sameOriginPath } from "./return-target";

export interface AuthConfig {
  db: DatabaseClient;
  secret: string;
  /**
   * The development sign-in (development-sign-in.ts): absent, it is off. Present, it signs in by
   * email alone, and only the listed accounts (the seeded demo accounts and a test run's own),
   * never any other user. The portal passes it only when developmentSignInSetting says it is on.
   */
  developmentSignIn?: { accounts: readonly string[] };
  /** Institution, GitHub and Google providers, and who each sign-in through them is. */
  external?: {
    providers: ExternalProviderConfig[];
    resolveSignIn(
      providerId: string,
      profile: ExternalProfile,
    ): Promise<{ allowed: true; userId: string } | { allowed: false; reason: string }>;
  };
}

export const developmentProviderId = "development";

declare module "next-auth" {
  interface Session {
    user: {
      id: string;
      name?: string | null;
      email?: string | null;
      username: string;
      isOperator: boolean;
    };
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    userId?: string;
    username?: string;
    isOperator?: boolean;
  }
}

export function createAuthOptions({
  db,
  secret,
  developmentSignIn,
  external,
}: AuthConfig): NextAuthOptions {
  const providers: NextAuthOptions["providers"] = buildExternalProviders(external?.providers ?? []);
  if (developmentSignIn) {
    const { accounts } = developmentSignIn;
    providers.push(
      CredentialsProvider({
        id: developmentProviderId,
        name: "Development sign-in",
        credentials: { email: { label: "Email", type: "email" } },
        async authorize(credentials) {
          const email = developmentSignInEmail(credentials?.email, accounts);
          if (!email) return null;
          const user = await db.user.findUnique({ where: { email } });
          return user ? { id: user.id, name: user.name, email: user.email } : null;
        },
      }),
    );
  }
  return {
    secret,
    providers,
    session: { strategy: "jwt", maxAge: 12 * 3600 },
    pages: { signIn: "/signin" },
    callbacks: {
      // External sign-ins become Hubfed users here (linked by verified email, see
      // resolveExternalSignIn in packages/core). The user object next-auth passes on to the jwt
      // callback then carries our user's id instead of the provider's.
      async signIn({ user, account }) {
        if (!account || account.provider === developmentProviderId) return true;
        if (!external) return false;
        const profile = user as typeof user & Partial<ExternalProfile>;
        const decision = await external.resolveSignIn(account.provider, {
          id: account.providerAccountId,
          name: user.name ?? null,
          email: user.email ?? null,
          emailVerified: profile.emailVerified === true,
        });
        if (!decision.allowed) return `/signin?error=${encodeURIComponent(decision.reason)}`;
        user.id = decision.userId;
        return true;
      },
      async jwt({ token, user }) {
        if (user) {
          const row = await db.user.findUnique({
            where: { id: user.id },
            select: { id: true, username: true, isOperator: true },
          });
          if (row) {
            token.userId = row.id;
            token.username = row.username;
            token.isOperator = row.isOperator;
          }
        }
        return token;
      },
      session({ session, token }) {
        session.user = {
          id: token.userId ?? "",
          name: token.name,
          email: token.email,
          username: token.username ?? "",
          isOperator: token.isOperator ?? false,
        };
        return session;
      },
      // Only ever redirect within the portal: next-auth's callbackUrl comes
      // from the browser (SPEC §8: every return URL is path-only).
      redirect({ url, baseUrl }) {
        return safeRedirectTarget(url, baseUrl);
      },
    },
  };
}

/**
 * Where next-auth may send someone after sign-in: a path on our own origin
 * (sameOriginPath, the one rule for caller-supplied return targets) as a full
 * URL, or the home page.
 */
export function safeRedirectTarget(requested: string, baseUrl: string): string {
  const path = sameOriginPath(requested, baseUrl);
  return path ? new URL(path, baseUrl).toString() : baseUrl;
}
