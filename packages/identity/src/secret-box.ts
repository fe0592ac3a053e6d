import { createCipheriv, createDecipheriv, createHmac, randomBytes } from "node:crypto";

/**
 * Secrets at rest (hub OIDC client secrets, signing keys, institutions' client secrets, local
 * hubs' service tokens): AES-256-GCM under a keyring (HUBFED_SECRET_KEY seals; keys named in
 * HUBFED_PREVIOUS_SECRET_KEYS still open). See docs/adr/0007-portal-oidc-provider.md, "Sealed
 * secrets".
 *
 * The stored form is `v2.<key id>.<iv>.<tag>.<ciphertext>` (base64url parts). Each value is
 * bound by GCM's associated data to where it lives — `<table>:<column>:<row id>` — so a value
 * copied into another row or column does not open there. The key id (derived from the key, so it
 * cannot disagree with it) says which key of the ring opens it; `resealSecrets` (reseal.ts)
 * rewrites every row under the current key. Only full 16-byte authentication tags are accepted.
 *
 * The first format, `v1.<iv>.<tag>.<ciphertext>`, had no key id and no associated data: it still
 * opens (with any key of the ring) so a database sealed before it keeps working, and the re-seal
 * rewrites it as v2.
 */

/** Where a sealed value lives: it opens only there. */
export interface SealedSecretContext {
  table: string;
  column: string;
  rowId: string;
}

export interface SecretBox {
  /** The id of the key that seals (the ring's first). */
  readonly currentKeyId: string;
  seal(plaintext: string, context: SealedSecretContext): string;
  open(sealed: string, context: SealedSecretContext): string;
  /** True when the value is in the old format or sealed with a key other than the current one. */
  needsReseal(sealed: string): boolean;
}

const currentVersion = "v2";
const legacyVersion = "v1";
const ivBytes = 12;
const tagBytes = 16;

function keyFromBase64(base64Key: string): Buffer {
  const key = Buffer.from(base64Key.trim(), "base64");
  if (key.length !== 32) throw new Error("The secret key must be 32 bytes, base64-encoded");
  return key;
}

/** A short, stable name for a key that reveals nothing useful about it. */
export function secretKeyIdOf(base64Key: string): string {
  return createHmac("sha256", keyFromBase64(base64Key))
    .update("hubfed secret box key id")
    .digest()
    .subarray(0, 6)
    .toString("base64url");
}

function associatedData(keyId: string, { table, column, rowId }: SealedSecretContext): Buffer {
  for (const part of [table, column, rowId]) {
    if (!part) throw new Error("A sealed secret needs its table, column and row id");
  }
  return Buffer.from(`hubfed-secret:${currentVersion}:${keyId}:${table}:${column}:${rowId}`);
}

function decode(part: string, expectedBytes?: number): Buffer {
  const bytes = Buffer.from(part, "base64url");
  // Refuse what base64url would quietly shorten (a truncated tag, a clipped nonce).
  if (bytes.toString("base64url") !== part) throw new Error("Not a sealed secret");
  if (expectedBytes !== undefined && bytes.length !== expectedBytes)
    throw new Error("Not a sealed secret");
  return bytes;
}

function decrypt(key: Buffer, iv: Buffer, tag: Buffer, ciphertext: Buffer, aad?: Buffer): string {
  // The tag length is fixed twice over: by the decipher and by decode's check above.
  const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: tagBytes });
  if (aad) decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString("utf8");
}

/**
 * A secret box over a keyring: the first key seals, every key opens. Pass previous keys while a
 * rotation is under way; drop them once `resealSecrets` has rewritten every row.
 */
export function createSecretBox(
  currentKey: string,
  previousKeys: readonly string[] = [],
): SecretBox {
  const ring = [currentKey, ...previousKeys].map((base64Key) => ({
    id: secretKeyIdOf(base64Key),
    key: keyFromBase64(base64Key),
  }));
  const current = ring[0]!;
  const byId = new Map(ring.map((entry) => [entry.id, entry.key]));

  return {
    currentKeyId: current.id,
    seal(plaintext, context) {
      const iv = randomBytes(ivBytes);
      const cipher = createCipheriv("aes-256-gcm", current.key, iv, { authTagLength: tagBytes });
      cipher.setAAD(associatedData(current.id, context));
      const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      return [
        currentVersion,
        current.id,
        iv.toString("base64url"),
        cipher.getAuthTag().toString("base64url"),
        ciphertext.toString("base64url"),
      ].join(".");
    },
    open(sealed, context) {
      const parts = sealed.split(".");
      if (parts[0] === currentVersion && parts.length === 5) {
        const [, keyId = "", iv = "", tag = "", ciphertext = ""] = parts;
        const key = byId.get(keyId);
        if (!key) throw new Error(`No key with id ${keyId} to open this secret`);
        return decrypt(
          key,
          decode(iv, ivBytes),
          decode(tag, tagBytes),
          decode(ciphertext),
          associatedData(keyId, context),
        );
      }
      if (parts[0] === legacyVersion && parts.length === 4) {
        const [, iv = "", tag = "", ciphertext = ""] = parts;
        const pieces = [decode(iv, ivBytes), decode(tag, tagBytes), decode(ciphertext)] as const;
        for (const { key } of ring) {
          try {
            return decrypt(key, ...pieces);
          } catch {
            // Not this key: the old format names none, so try the next.
          }
        }
        throw new Error("No key of the ring opens this secret");
      }
      throw new Error("Not a sealed secret");
    },
    needsReseal(sealed) {
      const [version, keyId] = sealed.split(".");
      return version !== currentVersion || keyId !== current.id;
    },
  };
}

/** Where each sealed column's values live, written once for every reader and writer. */
export const sealedSecretContexts = {
  hubOidcClientSecret: (hubId: string): SealedSecretContext => ({
    table: "HubOidcClient",
    column: "clientSecretEncrypted",
    rowId: hubId,
  }),
  signingKey: (kid: string): SealedSecretContext => ({
    table: "OidcSigningKey",
    column: "privateJwkEncrypted",
    rowId: kid,
  }),
  institutionOidcClientSecret: (institutionId: string): SealedSecretContext => ({
    table: "Institution",
    column: "oidcClientSecretEncrypted",
    rowId: institutionId,
  }),
  /** A `…Sealed` field of a hub's runtime state (the local runtime's service token, password). */
  hubRuntimeState: (hubId: string, field: `${string}Sealed`): SealedSecretContext => ({
    table: "Hub",
    column: `runtimeState.${field}`,
    rowId: hubId,
  }),
} as const;

/** A random secret for a client or a token: 32 bytes, base64url. */
/**
 * HUBFED_PREVIOUS_SECRET_KEYS as the keyring takes it: keys sealed with before the
 * current one, comma-separated, blanks ignored (the portal and the worker read it alike).
 */
export function parsePreviousSecretKeys(value: string): string[] {
  return value
    .split(",")
    .map((key) => key.trim())
    .filter((key) => key.length > 0);
}

export function generateSecret(): string {
  return randomBytes(32).toString("base64url");
}
