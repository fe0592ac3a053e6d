import { can, type Actor } from "@hubfed/auth/permissions";
import { type DatabaseClient, recordAuditEvent } from "@hubfed/db";
import { rotateHubOidcClientSecret } from "@hubfed/identity/hub-clients";
import { sealedSecretContexts, type SecretBox } from "@hubfed/identity/secret-box";
import { provisionHubJob, provisionJobId, type JobQueues } from "@hubfed/jobs";
import { z } from "zod";

import { AppError } from "../errors";

/**
 * Operators' side of identity (SPEC §5): each institution's own sign-in provider, and the
 * secrets hubs use to sign people in at the portal. Secrets go in sealed and never come back out.
 */

function requireIdentityManager(actor: Actor) {
  if (!can(actor, "identity.manage"))
    throw new AppError("FORBIDDEN", "Only federation operators manage sign-in and secrets");
}

const isLoopback = (url: URL) => ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);

export const institutionSignInSchema = z.object({
  institutionSlug: z.string().min(1).max(80),
  issuer: z
    .string()
    .trim()
    .max(2000, "At most 2000 characters")
    .url("Enter the issuer's URL, e.g. https://login.example.edu/realms/students")
    // Refinements run even when the URL check failed: they must not throw on a non-URL (a
    // thrown TypeError would reach the form as a bare "Invalid URL" with no field).
    .refine((value) => {
      const url = URL.parse(value);
      return !url || url.protocol === "https:" || (url.protocol === "http:" && isLoopback(url));
    }, "The issuer must use https (plain http only on this machine, for testing)")
    .refine((value) => {
      const url = URL.parse(value);
      return !url || (!url.search && !url.hash);
    }, "The issuer has no query or fragment"),
  clientId: z
    .string()
    .trim()
    .min(1, "Enter the client id the institution registered for Hubfed")
    .max(200),
  /** Empty keeps the stored secret. */
  clientSecret: z.string().max(500).optional(),
  emailDomains: z
    .array(
      z
        .string()
        .trim()
        .toLowerCase()
        .regex(
          /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
          "Not a domain name",
        ),
    )
    .min(1, "List at least one email domain the institution vouches for")
    .max(50, "At most 50 email domains"),
});

export type InstitutionSignInInput = z.input<typeof institutionSignInSchema>;

export async function configureInstitutionSignIn(
  db: DatabaseClient,
  secretBox: SecretBox,
  actor: Actor,
  input: InstitutionSignInInput,
): Promise<void> {
  requireIdentityManager(actor);
  const parsed = institutionSignInSchema.safeParse(input);
  if (!parsed.success) {
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) {
      const key = issue.path.join(".");
      (fieldErrors[key] ??= []).push(issue.message);
    }
    throw new AppError("BAD_REQUEST", "Some sign-in settings need attention", fieldErrors);
  }
  const { institutionSlug, issuer, clientId, clientSecret, emailDomains } = parsed.data;
  const institution = await db.institution.findUnique({ where: { slug: institutionSlug } });
  if (!institution) throw new AppError("NOT_FOUND", "Institution not found");
  if (!clientSecret && !institution.oidcClientSecretEncrypted)
    throw new AppError("BAD_REQUEST", "Some sign-in settings need attention", {
      clientSecret: ["Enter the client secret"],
    });
  await db.$transaction(async (tx) => {
    await tx.institution.update({
      where: { id: institution.id },
      data: {
        oidcIssuer: issuer.replace(/\/$/, ""),
        oidcClientId: clientId,
        emailDomains: [...new Set(emailDomains)],
        ...(clientSecret
          ? {
              oidcClientSecretEncrypted: secretBox.seal(
                clientSecret,
                sealedSecretContexts.institutionOidcClientSecret(institution.id),
              ),
            }
          : {}),
      },
    });
    await recordAuditEvent(tx, {
      actorId: actor.userId,
      action: "institution.sign-in.configured",
      subjectType: "Institution",
      subjectId: institution.id,
      // Never the secret; only whether it changed.
      details: { issuer, clientId, emailDomains, secretChanged: Boolean(clientSecret) },
    });
  });
}

/** What operators see of sign-in: no secret, only whether one is set and when it last changed. */
export async function describeIdentitySettings(db: DatabaseClient, actor: Actor) {
  requireIdentityManager(actor);
  const [institutions, hubClients] = await Promise.all([
    db.institution.findMany({
      orderBy: { name: "asc" },
      select: {
        slug: true,
        name: true,
        emailDomains: true,
        oidcIssuer: true,
        oidcClientId: true,
        oidcClientSecretEncrypted: true,
      },
    }),
    db.hubOidcClient.findMany({
      orderBy: { hub: { slug: "asc" } },
      select: {
        clientId: true,
        redirectUris: true,
        rotatedAt: true,
        hub: { select: { slug: true, status: true } },
      },
    }),
  ]);
  return {
    institutions: institutions.map(({ oidcClientSecretEncrypted, ...institution }) => ({
      ...institution,
      hasClientSecret: oidcClientSecretEncrypted !== null,
    })),
    hubClients: hubClients.map((client) => ({
      clientId: client.clientId,
      hubSlug: client.hub.slug,
      hubStatus: client.hub.status,
      redirectUris: client.redirectUris,
      rotatedAt: client.rotatedAt,
    })),
  };
}

/**
 * Gives a hub a new client secret and reconciles it, which hands the new secret to the hub
 * (local: its configuration and a restart; Kubernetes: its Secret). Sign-ins in flight during the
 * switch fail once and succeed on retry. The secret and its audit event are identity's
 * (rotateHubOidcClientSecret); what stays here is the operator check and the reconcile, which
 * only core may queue.
 */
export async function rotateHubClientSecret(
  db: DatabaseClient,
  secretBox: SecretBox,
  actor: Actor,
  queues: JobQueues,
  hubSlug: string,
): Promise<{ rotatedAt: Date }> {
  requireIdentityManager(actor);
  const rotation = await rotateHubOidcClientSecret(db, secretBox, {
    hubSlug,
    actorId: actor.userId,
  });
  switch (rotation.outcome) {
    case "hub-not-found":
      throw new AppError("NOT_FOUND", "Hub not found");
    case "no-client":
      throw new AppError(
        "CONFLICT",
        "This hub has no sign-in client yet: it is registered at provisioning",
      );
    case "hub-archived":
      throw new AppError("CONFLICT", "An archived hub signs nobody in");
  }
  const { hub, rotatedAt } = rotation;
  await queues.add(
    provisionHubJob,
    { hubId: hub.id, trigger: "secret-rotation" },
    { jobId: provisionJobId(hub.id, { occasion: "secret-rotation", atMs: rotatedAt.getTime() }) },
  );
  return { rotatedAt };
}
