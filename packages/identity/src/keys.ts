import { generateKeyPairSync, randomUUID } from "node:crypto";
import { recordAuditEvent, type DatabaseClient } from "@hubfed/db";
import { sealedSecretContexts, type SecretBox } from "./secret-box";

/**
 * The portal's signing keys (SPEC §5). They live in the database, sealed, so every portal process
 * signs with the same key and tokens survive restarts. Rotation adds a key and retires the old one;
 * a retired key stays published in the JWKS for a grace period so tokens it signed still verify.
 */

/** Longer than any token we sign lives (id and access tokens: 1 hour). */
export const retiredKeyGraceMilliseconds = 24 * 3600 * 1000;

// Serialises key creation across portal processes starting at the same time.
const signingKeyLock = 72707370;

export interface SigningJwk {
  kty: "RSA";
  kid: string;
  alg: "RS256";
  use: "sig";
  n: string;
  e: string;
  d?: string;
  p?: string;
  q?: string;
  dp?: string;
  dq?: string;
  qi?: string;
}

function generateSigningJwk(): SigningJwk {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = privateKey.export({ format: "jwk" }) as Omit<SigningJwk, "kid" | "alg" | "use">;
  return { ...jwk, kty: "RSA", kid: randomUUID(), alg: "RS256", use: "sig" };
}

function publicPart({ kty, kid, alg, use, n, e }: SigningJwk) {
  return { kty, kid, alg, use, n, e };
}

async function insertKey(db: Pick<DatabaseClient, "oidcSigningKey">, secretBox: SecretBox) {
  const jwk = generateSigningJwk();
  await db.oidcSigningKey.create({
    data: {
      kid: jwk.kid,
      algorithm: jwk.alg,
      privateJwkEncrypted: secretBox.seal(
        JSON.stringify(jwk),
        sealedSecretContexts.signingKey(jwk.kid),
      ),
      publicJwk: publicPart(jwk),
    },
  });
  return jwk.kid;
}

/** Creates the first signing key when there is none; safe to call from every process. */
export async function ensureSigningKey(db: DatabaseClient, secretBox: SecretBox): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${signingKeyLock})`;
    const active = await tx.oidcSigningKey.count({ where: { retiredAt: null } });
    if (active === 0) await insertKey(tx, secretBox);
  });
}

/** What became of a request to rotate the signing key. */
export type SigningKeyRotation =
  | { outcome: "rotated"; kid: string }
  /** The portal creates the first key when it starts; until then there is nothing to rotate. */
  | { outcome: "no-signing-key" };

/**
 * Starts signing with a new key; the old one is retired but still published for verification.
 * The operator's audit event is recorded in the same transaction as the new key.
 */
export async function rotateSigningKey(
  db: DatabaseClient,
  secretBox: SecretBox,
  { actorId }: { actorId: string | null },
): Promise<SigningKeyRotation> {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${signingKeyLock})`;
    if ((await tx.oidcSigningKey.count()) === 0) return { outcome: "no-signing-key" };
    await tx.oidcSigningKey.updateMany({
      where: { retiredAt: null },
      data: { retiredAt: new Date() },
    });
    const kid = await insertKey(tx, secretBox);
    await recordAuditEvent(tx, {
      actorId,
      action: "oidc.signing-key.rotated",
      subjectType: "OidcSigningKey",
      subjectId: kid,
    });
    return { outcome: "rotated", kid };
  });
}

/**
 * The private keys the provider holds, the signing key first (oidc-provider signs with the first
 * key that fits), then retired keys still within their grace period.
 */
export async function loadSigningKeys(
  db: DatabaseClient,
  secretBox: SecretBox,
  now = new Date(),
): Promise<SigningJwk[]> {
  const rows = await db.oidcSigningKey.findMany({
    where: {
      OR: [
        { retiredAt: null },
        { retiredAt: { gt: new Date(now.getTime() - retiredKeyGraceMilliseconds) } },
      ],
    },
    orderBy: { createdAt: "desc" },
  });
  const ordered = [
    ...rows.filter((row) => row.retiredAt === null),
    ...rows.filter((row) => row.retiredAt !== null),
  ];
  return ordered.map(
    (row) =>
      JSON.parse(
        secretBox.open(row.privateJwkEncrypted, sealedSecretContexts.signingKey(row.kid)),
      ) as SigningJwk,
  );
}

/** Changes whenever a key is added or retired: the provider is rebuilt when it does. */
export async function signingKeysVersion(db: DatabaseClient): Promise<string> {
  const rows = await db.oidcSigningKey.findMany({
    select: { kid: true, retiredAt: true },
    orderBy: { createdAt: "asc" },
  });
  return rows.map((row) => `${row.kid}:${row.retiredAt?.getTime() ?? "active"}`).join(",");
}

/** The keys as operators see them: ids and dates, never key material. */
export async function listSigningKeys(db: DatabaseClient, now = new Date()) {
  const rows = await db.oidcSigningKey.findMany({
    select: { kid: true, algorithm: true, createdAt: true, retiredAt: true },
    orderBy: { createdAt: "desc" },
  });
  return rows.map((row) => ({
    ...row,
    state:
      row.retiredAt === null
        ? ("signing" as const)
        : now.getTime() - row.retiredAt.getTime() < retiredKeyGraceMilliseconds
          ? ("published" as const)
          : ("expired" as const),
  }));
}
