import { type DatabaseClient, recordAuditEvent } from "@hubfed/db";

import { sealedSecretContexts, type SecretBox } from "@hubfed/identity/secret-box";
import { findOrCreateUserByEmail } from "./create-user";

/**
 * Sign-in providers and account linking (SPEC §5). People sign in with their institution's own
 * OpenID Connect provider (configured per institution in the database), or with GitHub or Google
 * when the federation configures them. Accounts link by verified email: the same person signing
 * in through two providers is one Hubfed user.
 */

export type SignInProviderConfig =
  | {
      kind: "institution";
      /** next-auth provider id, also the Account.provider value. */
      id: string;
      name: string;
      institutionId: string;
      issuer: string;
      clientId: string;
      clientSecret: string;
      /** Lowercase domains the institution vouches for. */
      emailDomains: string[];
    }
  | {
      kind: "github" | "google";
      id: "github" | "google";
      name: string;
      clientId: string;
      clientSecret: string;
    };

export interface SocialProviderSettings {
  githubClientId?: string;
  githubClientSecret?: string;
  googleClientId?: string;
  googleClientSecret?: string;
}

export function institutionProviderId(institutionSlug: string): string {
  return `institution-${institutionSlug}`;
}

/** Every provider people may sign in with right now; secrets are unsealed for next-auth only. */
export async function loadSignInProviderConfigs(
  db: DatabaseClient,
  secretBox: SecretBox,
  social: SocialProviderSettings,
): Promise<SignInProviderConfig[]> {
  const institutions = await db.institution.findMany({
    where: {
      oidcIssuer: { not: null },
      oidcClientId: { not: null },
      oidcClientSecretEncrypted: { not: null },
    },
    orderBy: { name: "asc" },
    select: {
      id: true,
      slug: true,
      name: true,
      emailDomains: true,
      oidcIssuer: true,
      oidcClientId: true,
      oidcClientSecretEncrypted: true,
    },
  });
  const configs: SignInProviderConfig[] = institutions.map((institution) => ({
    kind: "institution",
    id: institutionProviderId(institution.slug),
    name: institution.name,
    institutionId: institution.id,
    issuer: institution.oidcIssuer ?? "",
    clientId: institution.oidcClientId ?? "",
    clientSecret: secretBox.open(
      institution.oidcClientSecretEncrypted ?? "",
      sealedSecretContexts.institutionOidcClientSecret(institution.id),
    ),
    emailDomains: institution.emailDomains.map((domain) => domain.toLowerCase()),
  }));
  if (social.githubClientId && social.githubClientSecret) {
    configs.push({
      kind: "github",
      id: "github",
      name: "GitHub",
      clientId: social.githubClientId,
      clientSecret: social.githubClientSecret,
    });
  }
  if (social.googleClientId && social.googleClientSecret) {
    configs.push({
      kind: "google",
      id: "google",
      name: "Google",
      clientId: social.googleClientId,
      clientSecret: social.googleClientSecret,
    });
  }
  return configs;
}

export interface ExternalSignIn {
  provider: string;
  providerAccountId: string;
  email?: string | null;
  /** Whether the provider vouches that the person controls this email. */
  emailVerified: boolean;
  name?: string | null;
  /** Set for an institution's provider: only these email domains may sign in through it. */
  institution?: { id: string; emailDomains: string[] };
}

export type SignInDecision =
  | { allowed: true; userId: string; linked: "existing-account" | "verified-email" | "new-user" }
  | { allowed: false; reason: "email-not-verified" | "email-domain-not-allowed" };

function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf("@") + 1).toLowerCase();
}

/**
 * Finds or creates the Hubfed user behind an external sign-in. A known provider account signs in
 * as its user. Otherwise the email must be verified — an unverified email would let anyone who
 * types someone else's address take over their account — and, through an institution's
 * provider, belong to one of the institution's domains.
 */
export async function resolveExternalSignIn(
  db: DatabaseClient,
  signIn: ExternalSignIn,
): Promise<SignInDecision> {
  const known = await db.account.findUnique({
    where: {
      provider_providerAccountId: {
        provider: signIn.provider,
        providerAccountId: signIn.providerAccountId,
      },
    },
    select: { userId: true },
  });
  if (known) return { allowed: true, userId: known.userId, linked: "existing-account" };

  const email = signIn.email?.trim().toLowerCase();
  if (!email || !signIn.emailVerified) return { allowed: false, reason: "email-not-verified" };
  if (signIn.institution && !signIn.institution.emailDomains.includes(emailDomain(email))) {
    return { allowed: false, reason: "email-domain-not-allowed" };
  }

  return db.$transaction(async (tx) => {
    const existing = await tx.user.findUnique({ where: { email }, select: { id: true } });
    const user =
      existing ??
      (await findOrCreateUserByEmail(tx, { email, name: signIn.name, emailVerified: new Date() }));
    await tx.account.upsert({
      where: {
        provider_providerAccountId: {
          provider: signIn.provider,
          providerAccountId: signIn.providerAccountId,
        },
      },
      create: {
        userId: user.id,
        type: "oauth",
        provider: signIn.provider,
        providerAccountId: signIn.providerAccountId,
      },
      update: {},
    });
    await tx.user.updateMany({
      where: { id: user.id, emailVerified: null },
      data: { emailVerified: new Date() },
    });
    if (signIn.institution) {
      await tx.institutionMembership.upsert({
        where: { userId_institutionId: { userId: user.id, institutionId: signIn.institution.id } },
        create: { userId: user.id, institutionId: signIn.institution.id, role: "MEMBER" },
        update: {},
      });
    }
    await recordAuditEvent(tx, {
      actorId: user.id,
      action: existing ? "account.linked" : "user.created",
      subjectType: "User",
      subjectId: user.id,
      details: { provider: signIn.provider },
    });
    return {
      allowed: true as const,
      userId: user.id,
      linked: existing ? ("verified-email" as const) : ("new-user" as const),
    };
  });
}
